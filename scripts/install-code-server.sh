#!/usr/bin/env bash
# Installs code-server (= VS Code server + web workbench) on demand into a cache directory,
# for the "real VS Code" test tier (scripts/run-vscode-tests.mjs). Not a project dependency.
#
#   bash scripts/install-code-server.sh          # prints the code-server binary path on its last line
#
# Environment:
#   LVS_CACHE_DIR             cache root (default: $HOME/.cache/lvs-dr-studio)
#   LVS_CODE_SERVER_VERSION   default 4.100.3 (= VS Code 1.100.3, wants Node 20)
#   LVS_CODE_SERVER_FORCE=1   reinstall even if a working install is present
#
# code-server 4.100.3 needs libkrb5-dev (native `kerberos` module) and, offline, a local ripgrep:
# @vscode/ripgrep@1.15.11 downloads rg in its postinstall unless a cached archive exists at
# $TMPDIR/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz,
# so we build that archive from Debian's /usr/bin/rg.
# npm >= 11.x blocks dependency install scripts unless approved (allowScripts); code-server's own
# postinstall runs nested `npm install`s (lib/vscode) that need their native builds, so we
# allow all scripts for this one isolated, pinned install (env var, so nested npm runs inherit it).
set -euo pipefail

VERSION="${LVS_CODE_SERVER_VERSION:-4.100.3}"
CACHE_ROOT="${LVS_CACHE_DIR:-${HOME:-/root}/.cache/lvs-dr-studio}"
DIR="$CACHE_ROOT/code-server-$VERSION"
BIN="$DIR/bin/code-server"
TMPBASE="${TMPDIR:-/tmp}"
RG_VERSION="v13.0.0-10"
RG_CACHE_DIR="$TMPBASE/vscode-ripgrep-cache-1.15.11"
RG_ARCHIVE="$RG_CACHE_DIR/ripgrep-$RG_VERSION-x86_64-unknown-linux-musl.tar.gz"

log() { echo "[install-code-server] $*" >&2; }
die() { echo "[install-code-server] ERROR: $*" >&2; exit 1; }

works() {
  [ -x "$BIN" ] || return 1
  local v
  # (the first run may also print "Wrote default config file ..." lines: look for the version line)
  v="$(XDG_CONFIG_HOME="$DIR/.config" XDG_DATA_HOME="$DIR/.data" "$BIN" --version 2>/dev/null)" || return 1
  printf '%s\n' "$v" | grep -q "^$VERSION " || return 1
  # the bundled ripgrep and the VS Code server must be there too (postinstall ran)
  [ -x "$DIR/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || return 1
  [ -f "$DIR/node_modules/code-server/lib/vscode/out/server-main.js" ] || return 1
  return 0
}

if [ "${LVS_CODE_SERVER_FORCE:-0}" != "1" ] && works; then
  log "code-server $VERSION already installed in $DIR"
  echo "$BIN"
  exit 0
fi

# One installer at a time (parallel test runs share the cache).
mkdir -p "$CACHE_ROOT"
if command -v flock >/dev/null; then
  exec 9>"$CACHE_ROOT/.code-server-$VERSION.lock"
  flock 9
  if [ "${LVS_CODE_SERVER_FORCE:-0}" != "1" ] && works; then
    log "code-server $VERSION was installed by a concurrent run"
    echo "$BIN"
    exit 0
  fi
fi

# --- prerequisites ----------------------------------------------------------------------------
[ "$(uname -m)" = "x86_64" ] || die "only x86_64 Linux is supported by this script (got $(uname -m))"
command -v node >/dev/null || die "node not found"
command -v npm >/dev/null || die "npm not found"
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
[ "$NODE_MAJOR" = "20" ] || log "warning: code-server $VERSION wants Node 20, this is $(node --version)"

missing=()
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
[ -x /usr/bin/rg ] || missing+=(ripgrep)
command -v make >/dev/null || missing+=(make)
command -v g++ >/dev/null || missing+=(g++)
command -v python3 >/dev/null || missing+=(python3)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    log "installing apt packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2 ||
      { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2; } ||
      die "apt-get install failed"
  else
    echo "[install-code-server] missing system packages: ${missing[*]}. Run as root:" >&2
    echo "  apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# --- offline ripgrep for @vscode/ripgrep's postinstall -----------------------------------------
if [ ! -s "$RG_ARCHIVE" ]; then
  log "creating ripgrep cache archive $RG_ARCHIVE from /usr/bin/rg"
  mkdir -p "$RG_CACHE_DIR"
  stage="$(mktemp -d)"
  cp /usr/bin/rg "$stage/rg"
  chmod 755 "$stage/rg"
  tar -czf "$RG_ARCHIVE.tmp" -C "$stage" rg
  mv "$RG_ARCHIVE.tmp" "$RG_ARCHIVE"
  rm -rf "$stage"
fi

# --- npm install into the cache dir ------------------------------------------------------------
log "installing code-server@$VERSION into $DIR (takes ~1 min)"
rm -rf "$DIR"
mkdir -p "$DIR/bin"
cat >"$DIR/package.json" <<EOF
{
  "name": "lvs-dr-studio-code-server-cache",
  "private": true,
  "description": "code-server $VERSION for the LVS-DR Studio VS Code test tier (created by scripts/install-code-server.sh)",
  "allowScripts": { "code-server": true, "@vscode/ripgrep": true, "argon2": true, "kerberos": true, "node-pty": true, "@parcel/watcher": true, "@vscode/spdlog": true, "@vscode/deviceid": true, "@vscode/policy-watcher": true, "@vscode/windows-registry": true, "native-watchdog": true }
}
EOF

export npm_config_unsafe_perm=true npm_config_yes=true npm_config_ignore_scripts=false
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
# npm 11 allowScripts policy: also cover the nested installs of code-server's postinstall.
if npm config get dangerously-allow-all-scripts >/dev/null 2>&1 &&
   [ "$(npm config get dangerously-allow-all-scripts 2>/dev/null)" != "undefined" ]; then
  export npm_config_dangerously_allow_all_scripts=true
fi
export TMPDIR="$TMPBASE"

start=$(date +%s)
(cd "$DIR" && npm install --no-save --foreground-scripts "code-server@$VERSION") >"$DIR/npm-install.log" 2>&1 || {
  tail -n 40 "$DIR/npm-install.log" >&2
  die "npm install code-server@$VERSION failed (full log: $DIR/npm-install.log)"
}
log "npm install took $(( $(date +%s) - start )) s"

PKG="$DIR/node_modules/code-server"
[ -f "$PKG/out/node/entry.js" ] || die "code-server entry point missing after npm install"

# Did the postinstall scripts run? (blocked scripts leave lib/vscode without node_modules)
if [ ! -x "$PKG/lib/vscode/node_modules/@vscode/ripgrep/bin/rg" ] || [ ! -d "$PKG/lib/vscode/node_modules/node-pty/build" ]; then
  log "postinstall scripts did not (fully) run; running them explicitly"
  (cd "$PKG" && sh ./postinstall.sh) >>"$DIR/npm-install.log" 2>&1 || {
    tail -n 40 "$DIR/npm-install.log" >&2
    die "code-server postinstall failed (full log: $DIR/npm-install.log)"
  }
fi
# ripgrep fallback: if @vscode/ripgrep still has no binary, use Debian's.
RGDIR="$PKG/lib/vscode/node_modules/@vscode/ripgrep/bin"
if [ -d "$PKG/lib/vscode/node_modules/@vscode/ripgrep" ] && [ ! -x "$RGDIR/rg" ]; then
  log "placing /usr/bin/rg into @vscode/ripgrep"
  mkdir -p "$RGDIR" && cp /usr/bin/rg "$RGDIR/rg"
fi

cat >"$BIN" <<EOF
#!/bin/sh
exec node "$PKG/out/node/entry.js" "\$@"
EOF
chmod 755 "$BIN"

works || { "$BIN" --version >&2 || true; die "code-server installed but '$BIN --version' / sanity checks failed (see $DIR/npm-install.log)"; }
log "installed: $("$BIN" --version | grep "^$VERSION ")"
echo "$BIN"
