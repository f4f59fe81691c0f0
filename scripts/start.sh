#!/usr/bin/env bash
# `npm start`: the product on this machine. Installs what it needs, builds and packages the
# extension, starts code-server (VS Code in the browser) with the extension installed and
# examples/ open, brings the local lab up for examples/seed.lvs when it can (root, Linux),
# prints how to reach everything, and tears the lab down on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8080}"
CACHE="${LVS_CACHE_DIR:-${HOME:-/root}/.cache/lvs-dr-studio}"
STATE="$CACHE/start"
mkdir -p "$STATE"

is_root_linux() { [ "$(uname -s)" = Linux ] && [ "$(id -u)" -eq 0 ]; }

if is_root_linux; then
  bash scripts/install-system-deps.sh vscode lab generate
fi
[ -d node_modules ] || npm ci --no-audit --no-fund
npm run --silent build
bash scripts/package-vsix.sh >/dev/null
CODE_SERVER="$(bash scripts/install-code-server.sh | tail -n 1)"

"$CODE_SERVER" --extensions-dir "$STATE/extensions" --user-data-dir "$STATE/user-data" \
  --install-extension dist/lvs-dr-studio.vsix --force >/dev/null

lab_up=0
cleanup() {
  if [ "$lab_up" = 1 ]; then
    echo "stopping the local lab…"
    # Once: the trap runs on the signal and again on exit.
    lab_up=0
    node dist/server/cli.js lab down || true
  fi
}
trap cleanup EXIT INT TERM

if is_root_linux && node dist/server/cli.js help 2>/dev/null | grep -q '^  lab '; then
  if node dist/server/cli.js lab up examples/seed.lvs; then
    lab_up=1
    echo
    node dist/server/cli.js lab status || true
  else
    echo "the local lab did not come up (see above); the editor runs without it"
  fi
else
  echo "local lab: needs root on Linux; starting the editor without it"
fi

echo
echo "LVS-DR Studio: open http://127.0.0.1:$PORT/?folder=$(pwd)/examples   (Ctrl+C stops everything)"
"$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
  --disable-workspace-trust --user-data-dir "$STATE/user-data" --extensions-dir "$STATE/extensions" \
  "$(pwd)/examples"
