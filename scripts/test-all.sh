#!/usr/bin/env bash
# Runs every test tier in order. Under CI=true a tier that cannot run is a failure; elsewhere
# (a laptop without root) such a tier is skipped with a one-line reason.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0; failed=0; skipped=0
declare -a summary=()

tier() {  # tier NAME COMMAND...
  local name=$1; shift
  local started=$SECONDS
  echo "::: tier $name"
  if "$@"; then
    passed=$((passed + 1)); summary+=("pass  $name ($((SECONDS - started)) s)")
  else
    failed=$((failed + 1)); summary+=("FAIL  $name ($((SECONDS - started)) s)")
  fi
}

# Tiers run at the same time as each other (the two lab tiers: each brings up its own labs, one
# test file at a time, so two labs at most share the machine). Each writes its own log, shown
# whole when the tiers are joined, in the order they started.
bg_dir=$(mktemp -d)
declare -a bg_names=() bg_pids=()
stop_started_tiers() {
  local pid
  for pid in "${bg_pids[@]}"; do kill -- "-$pid" 2>/dev/null; done
  rm -rf "$bg_dir"
}
trap stop_started_tiers EXIT

tier_start() {  # tier_start NAME COMMAND...
  local name=$1; shift
  echo "::: tier $name started (its output follows when it ends)"
  # set -m: its own process group, so an interrupted run stops the whole tier.
  set -m
  ( t0=$(date +%s); "$@" > "$bg_dir/$name.log" 2>&1; echo "$? $(( $(date +%s) - t0 ))" > "$bg_dir/$name.rc" ) &
  set +m
  bg_names+=("$name"); bg_pids+=("$!")
}

tiers_join() {
  local i name rc secs
  for i in "${!bg_names[@]}"; do
    name=${bg_names[$i]}
    wait "${bg_pids[$i]}"
    echo "::: tier $name"
    cat "$bg_dir/$name.log"
    read -r rc secs < "$bg_dir/$name.rc" || { rc=1; secs='?'; }
    if [ "$rc" -eq 0 ]; then
      passed=$((passed + 1)); summary+=("pass  $name ($secs s, alongside other tiers)")
    else
      failed=$((failed + 1)); summary+=("FAIL  $name ($secs s, alongside other tiers)")
    fi
  done
  bg_names=(); bg_pids=()
}

cannot_run() {  # cannot_run NAME REASON
  if [ "${CI:-}" = "true" ]; then
    echo "::: tier $1 cannot run under CI: $2"; failed=$((failed + 1)); summary+=("FAIL  $1 (cannot run: $2)")
  else
    echo "::: tier $1 skipped: $2"; skipped=$((skipped + 1)); summary+=("skip  $1 ($2)")
  fi
}

is_root_linux() { [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ]; }

ui_all() {  # the designer in English, then the extension's strings with VS Code's display language set to Chinese
  local rc=0
  node scripts/run-ui-tests.mjs || rc=$?
  node scripts/run-ui-tests.mjs --locale zh-cn || rc=$?
  return "$rc"
}

ui_live() {  # the runner brings its lab down itself; this also covers a runner that died before it could
  node scripts/run-ui-tests.mjs --live && return 0
  local rc=$?
  node dist/server/cli.js lab down || echo "::: ui-live: lvsdr lab down failed: the next lab tier may find a lab up"
  return "$rc"
}

if is_root_linux; then
  bash scripts/install-system-deps.sh vscode ui generate fuzz lab || exit 1
fi
[ -d node_modules ] || npm ci || exit 1

tier typecheck npx tsc -p tsconfig.json
tier lint npm run --silent lint
tier build npm run --silent build
tier unit node --test --test-reporter=spec out/test/unit/
tier lsp-protocol node --test --test-reporter=spec out/test/lsp/
tier fuzz node --test --test-reporter=spec out/test/fuzz/
tier package bash scripts/package-vsix.sh
if command -v chromium >/dev/null 2>&1 || is_root_linux; then
  tier vscode-integration node scripts/run-vscode-tests.mjs
  tier vscode-untrusted env LVS_VSCODE_UNTRUSTED=1 LVS_VSCODE_SUITE=out/test/vscode/untrusted/suite node scripts/run-vscode-tests.mjs
else
  cannot_run vscode-integration "needs Debian chromium (apt-get install chromium ripgrep libkrb5-dev)"
  cannot_run vscode-untrusted "needs Debian chromium (apt-get install chromium ripgrep libkrb5-dev)"
fi

if command -v chromium >/dev/null 2>&1 || is_root_linux; then
  tier ui ui_all
else
  cannot_run ui "needs Debian chromium (apt-get install chromium ripgrep libkrb5-dev)"
fi
# The live designer on the seed lab (test/ui/live.steps.mjs): chromium as for ui, and root for the lab.
if is_root_linux; then
  tier ui-live ui_live
else
  cannot_run ui-live "needs root on Linux for the lab (network namespaces, user-mode Linux) and Debian chromium"
fi
if is_root_linux; then
  tier_start lab-e2e node --test --test-concurrency=1 --test-reporter=spec out/test/lab/
  if [ -d out/test/deploy ]; then tier_start deploy-e2e node --test --test-concurrency=1 --test-reporter=spec out/test/deploy/; fi
  tiers_join
else
  cannot_run lab-e2e "needs root on Linux (network namespaces, user-mode Linux)"
fi

echo
echo "::: summary"
printf '  %s\n' "${summary[@]}"
echo "tiers: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
