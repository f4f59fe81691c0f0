#!/usr/bin/env bash
# Packages the built extension into dist/lvs-dr-studio.vsix with vsce (devDependency).
# Expects `npm run build` output (dist/client/, dist/server/).
# What goes into the VSIX is controlled by .vscodeignore; the file list is printed and checked.
# --no-rewrite-relative-links: README.md links to docs/*.md (shipped in the VSIX); the repository URL
# is not GitHub/GitLab, so vsce cannot rewrite them to absolute URLs and would fail otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT="${LVS_VSIX_OUT:-dist/lvs-dr-studio.vsix}"
die() { echo "[package-vsix] ERROR: $*" >&2; exit 1; }

for f in dist/client/extension.js dist/client/activation.js dist/client/language-client.js dist/server/server.js dist/server/cli.js dist/server/cli-main.js dist/server/cli-check.js dist/server/cli-generate.js dist/server/cli-deploy.js dist/server/cli-lab.js; do
  [ -s "$f" ] || die "$f is missing: run \`npm run build\` first"
done
[ -f README.md ] || echo "[package-vsix] warning: README.md is missing (the Marketplace page will be empty)" >&2
[ -x node_modules/.bin/vsce ] || die "node_modules/.bin/vsce not found (devDependency @vscode/vsce; run npm install)"

mkdir -p "$(dirname "$OUT")"
rm -f "$OUT"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
start=$(date +%s%N)
if ! npx --no-install vsce package --no-dependencies --allow-missing-repository --no-rewrite-relative-links --out "$OUT" >"$log" 2>&1; then
  cat "$log" >&2
  die "vsce package failed (see above)"
fi
cat "$log"
[ -s "$OUT" ] || die "vsce reported success but $OUT was not written"

# Check the content: what must be there, and what must never be.
list="$(unzip -Z1 "$OUT")"
for f in extension/package.json extension/package.nls.json extension/package.nls.zh-cn.json extension/l10n/bundle.l10n.zh-cn.json extension/dist/client/extension.js extension/dist/client/activation.js extension/dist/client/language-client.js extension/dist/server/server.js extension/dist/server/cli.js extension/dist/server/cli-main.js extension/dist/server/cli-deploy.js; do
  grep -qx "$f" <<<"$list" || die "$OUT lacks $f (check .vscodeignore)"
done
bad="$(grep -E '^extension/(node_modules|client|server|test|out|examples|scripts|\.ci|\.git)/|\.ts$|\.map$' <<<"$list" | grep -v '\.d\.ts$' || true)"
[ -z "$bad" ] || die "$OUT contains files that must not ship:"$'\n'"$bad"
echo "[package-vsix] $OUT: $(wc -c <"$OUT") bytes, $(grep -c '^extension/' <<<"$list") files, $(( ($(date +%s%N) - start) / 1000000 )) ms"
grep '^extension/' <<<"$list" | sed 's/^/  /'
