#!/usr/bin/env bash
# Installs the Debian packages the test tiers need (root), or prints the exact command to run.
# Usage: install-system-deps.sh TIER...   (tiers: vscode ui generate fuzz lab bench)
set -euo pipefail

declare -A PKGS=(
  [vscode]="chromium ripgrep libkrb5-dev"
  # fonts-wqy-microhei: a CJK font, or the Chinese run of the UI tier (--locale zh-cn) draws boxes.
  [ui]="chromium ripgrep libkrb5-dev fonts-wqy-microhei"
  [generate]="shellcheck keepalived ipvsadm"
  # The fuzz tier: shellcheck and keepalived --config-test on generated files; ip and unshare
  # (util-linux) give keepalived a network namespace with the interfaces the files name.
  [fuzz]="shellcheck keepalived iproute2 util-linux"
  # gcc and libc6-dev: the lab compiles linux.uml's FPU-state shim (server/lab/uml-xstate-shim.ts).
  # nftables and iptables: the firewall-mark rules of multi-port services (nft on rhel9/debian/ubuntu,
  # iptables on rhel7), run inside the lab's UML directors. ansible, ansible-lint and yamllint: the
  # Ansible export is run and checked with them (test/deploy/ansible-*.test.ts, deploy-e2e tier).
  [lab]="user-mode-linux gcc libc6-dev kmod ipvsadm keepalived openssh-server openssh-client iproute2 ethtool curl procps python3 nftables iptables ansible ansible-lint yamllint"
  # P4 of `npm run bench`: the lab, plus the Ansible the deploy is compared with.
  [bench]="user-mode-linux gcc libc6-dev kmod ipvsadm keepalived openssh-server openssh-client iproute2 ethtool curl procps python3 ansible"
)

want=()
for tier in "$@"; do
  for p in ${PKGS[$tier]:-}; do want+=("$p"); done
done
[ ${#want[@]} -eq 0 ] && exit 0

missing=()
for p in $(printf '%s\n' "${want[@]}" | sort -u); do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "missing Debian packages: run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing Debian packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
