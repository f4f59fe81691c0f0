// The one read-only command each host runs per refresh. Few processes on the host (the
// director's CPU budget for status is 1 % at a 2 s interval): shell builtins read /proc and the
// pid file; `ip`, `ipvsadm` and `ss` are the only programs started. Output sections are marked
// `@@LVSDR <name>` (remote.ts's markedLines) so a chatty login profile cannot be mistaken for data.
// Nothing here writes, except keepalived's own JSON dump that SIGJSON asks it for.
import { MARK } from '../deploy/remote';
import { STATE_DIR } from '../generate';
import { sq } from '../shared/shell-quote';

/** Each director's record of the operator's runtime overrides (drains), one per line: `drain NAME ADDRESS SINCE`. */
export const OVERRIDES_FILE = `${STATE_DIR}/overrides`;

/** keepalived writes its JSON state dump here on the JSON signal (keepalived(8), --enable-json builds). */
export const KEEPALIVED_JSON = '/tmp/keepalived.json';

const section = (name: string) => `echo '${MARK} ${name}'`;

/** A real server: the addresses on `lo`, the ARP sysctls (builtins), the listening sockets. */
export function realServerScript(): string {
  const sysctl = (name: string, file: string) =>
    `v=''; read -r v <${sq(`/proc/sys/net/ipv4/conf/${file}`)} 2>/dev/null || true; echo ${sq(name)}="$v"`;
  return [
    section('lo'), 'ip -o addr show dev lo 2>/dev/null || true',
    section('arp'),
    sysctl('allIgnore', 'all/arp_ignore'), sysctl('allAnnounce', 'all/arp_announce'),
    sysctl('loIgnore', 'lo/arp_ignore'), sysctl('loAnnounce', 'lo/arp_announce'),
    section('listen'), 'ss -Hlntu 2>/dev/null || true',
    `echo '${MARK} END'`,
  ].join('\n');
}

/**
 * The director's reader: one long-lived shell per connection (the command line is this constant
 * text, no value of the file in it), answering each request line with one marked reply. Per
 * request it starts one program, `head`, which prints the IPVS table, the local addresses (the
 * kernel's fib_trie and if_inet6), the drain record and keepalived's last JSON dump with a
 * `==> FILE <==` line before each; the pid check, the signal and the loop are shell builtins.
 * `ipvsadm` runs only when the request asks for rates or timeouts (every few refreshes): on a
 * small director each program started costs more CPU than all the reading.
 * keepalived is asked for its next JSON dump after the read, so the file is complete when the
 * next request reads it (one refresh old; the VIPs held, read now, correct the state).
 */
export function directorLoopScript(): string {
  const J = sq(KEEPALIVED_JSON);
  return [
    'sig=$(keepalived --signum=JSON 2>/dev/null) || sig=none',
    "case $sig in *[!0-9]*|'') sig=none ;; esac",
    'while IFS= read -r req; do',
    "  kpid=''",
    '  for f in /run/keepalived.pid /var/run/keepalived.pid; do',
    '    if [ -s "$f" ] && read -r p <"$f" && kill -0 "$p" 2>/dev/null; then kpid=$p; break; fi',
    '  done',
    `  echo '${MARK} keepalived'`,
    '  echo "${kpid:-none}"',
    `  echo '${MARK} signum'`,
    '  echo "$sig"',
    `  echo '${MARK} files'`,
    '  set -- /proc/net/ip_vs /proc/net/fib_trie /proc/net/if_inet6',
    `  if [ -f ${sq(OVERRIDES_FILE)} ]; then set -- "$@" ${sq(OVERRIDES_FILE)}; fi`,
    // Never follow a link someone else planted in /tmp.
    `  if [ -n "$kpid" ] && [ "$sig" != none ] && [ -f ${J} ] && [ ! -L ${J} ]; then set -- "$@" ${J}; fi`,
    '  head -v -c 1048576 -- "$@" 2>/dev/null || true',
    `  case $req in *rates*) echo '${MARK} rate'; ipvsadm -Ln --rate --exact 2>/dev/null || true ;; esac`,
    `  case $req in *timeouts*) echo '${MARK} timeout'; ipvsadm -L --timeout 2>/dev/null || true ;; esac`,
    '  if [ -n "$kpid" ] && [ "$sig" != none ]; then kill -s "$sig" "$kpid" 2>/dev/null || true; fi',
    `  echo '${MARK} END'`,
    'done',
  ].join('\n');
}
