// The read-only loops the live status engine starts once per host connection, each answering one
// request per refresh. Few processes on the host (the director's CPU budget for status is 1 % at
// a 2 s interval): shell builtins read /proc and the pid file; `ip`, `ss` (real servers) and
// `ipvsadm` (directors, every few refreshes) are the only programs started. Output sections are marked
// `@@LVSDR <name>` (remote.ts's markedLines) so a chatty login profile cannot be mistaken for data.
// Nothing here writes, except keepalived's own JSON dump that SIGJSON asks it for.
import { MARK } from '../deploy/remote';
import { STATE_DIR } from '../generate';
import { sq } from '../shared/shell-quote';

/** Each director's record of the operator's runtime overrides (drains), one per line: `drain NAME ADDRESS SINCE`. */
export const OVERRIDES_FILE = `${STATE_DIR}/overrides`;

/** keepalived writes its JSON state dump here on the JSON signal (keepalived(8), --enable-json builds). */
export const KEEPALIVED_JSON = '/tmp/keepalived.json';

/**
 * The real server's reader: a loop like the director's, one per connection, answering each
 * request with the addresses on `lo` and their prefix (`ip`: no /proc file gives IPv4 addresses
 * per device), the ARP sysctls (builtins) and, when the request asks (`listen`, every few
 * refreshes: a listening socket comes and goes rarely), the listening sockets (`ss`, filtered in
 * the kernel: /proc/net/tcp would carry every connection of a busy server on every refresh).
 */
export function realServerLoopScript(): string {
  const sysctl = (name: string, file: string) =>
    `  v=''; read -r v <${sq(`/proc/sys/net/ipv4/conf/${file}`)} 2>/dev/null; out="\${out}${name}=$v$nl"`;
  return [
    "nl='\n'",
    'while IFS= read -r req; do',
    `  r=$(ip -o addr show dev lo 2>/dev/null); out="${MARK} lo$nl\${r:+$r$nl}${MARK} arp$nl"`,
    sysctl('allIgnore', 'all/arp_ignore'), sysctl('allAnnounce', 'all/arp_announce'),
    sysctl('loIgnore', 'lo/arp_ignore'), sysctl('loAnnounce', 'lo/arp_announce'),
    `  case $req in *listen*) r=$(ss -Hlntu 2>/dev/null); out="$out${MARK} listen$nl\${r:+$r$nl}" ;; esac`,
    `  printf '%s${MARK} END\\n' "$out"`,
    'done',
  ].join('\n');
}

/**
 * `add_files FILE…` appends to `$out` what `head -v` prints of the readable ones (a blank line
 * before every header but the first). Under bash, `read -d ''` takes a whole file with buffered
 * reads (none of these files holds a NUL byte) and no program starts; elsewhere one `head` does.
 */
const ADD_FILES = [
  'if [ -n "$BASH_VERSION" ]; then',
  '  add_files() {',
  "    sep=''",
  '    for f in "$@"; do',
  '      [ -r "$f" ] || continue',
  "      d=''",
  '      # shellcheck disable=SC3045 # bash only: this branch runs when BASH_VERSION is set',
  `      IFS= read -r -d '' d <"$f"`,
  '      out="$out$sep==> $f <==$nl$d"',
  '      sep=$nl',
  '    done',
  '  }',
  'else',
  '  add_files() { d=$(head -v -c 1048576 -- "$@" 2>/dev/null; echo x); out="$out${d%x}"; }',
  'fi',
].join('\n');

/**
 * `ipvs_sections REQUEST` sets `$r` to the `rate` and `timeout` sections the request asks for,
 * each from one `ipvsadm` (the only program a director's reader starts).
 */
const IPVS_SECTIONS = [
  'ipvs_sections() {',
  "  r=''",
  `  case $1 in *rates*) x=$(ipvsadm -Ln --rate --exact 2>/dev/null); r="$r${MARK} rate$nl\${x:+$x$nl}" ;; esac`,
  `  case $1 in *timeouts*) x=$(ipvsadm -L --timeout 2>/dev/null); r="$r${MARK} timeout$nl\${x:+$x$nl}" ;; esac`,
  '}',
].join('\n');

/**
 * The director's reader: one long-lived shell per connection (the command line is constant text,
 * no value of the file in it), answering each request line with one marked reply: the IPVS
 * table, the local addresses (the kernel's fib_trie and if_inet6), the drain record and
 * keepalived's last JSON dump, each after a `==> FILE <==` line as `head -v` prints them.
 * A refresh costs the director a few dozen system calls and, under bash, no program started:
 * on a small director (and in the lab's user-mode Linux) one program started costs more CPU
 * than all the reading, and every write is one more SSH packet for sshd to seal and send, so
 * the reply is gathered in `$out` and written once. `ipvsadm` runs only when the request asks
 * for rates or timeouts (every few refreshes); with `later`, it runs after the reply and its
 * sections come with the next reply, so that no refresh waits for a program to start.
 * keepalived is asked for its next JSON dump after the read, so the file is complete when the
 * next request reads it (one refresh old; the VIPs held, read now, correct the state).
 */
export function directorLoopScript(): string {
  const J = sq(KEEPALIVED_JSON);
  const O = sq(OVERRIDES_FILE);
  return [
    'sig=$(keepalived --signum=JSON 2>/dev/null) || sig=none',
    "case $sig in *[!0-9]*|'') sig=none ;; esac",
    "nl='\n'",
    ADD_FILES,
    IPVS_SECTIONS,
    "next=''",
    'while IFS= read -r req; do',
    "  kpid=''",
    '  for f in /run/keepalived.pid /var/run/keepalived.pid; do',
    '    if [ -s "$f" ] && read -r p <"$f" && kill -0 "$p" 2>/dev/null; then kpid=$p; break; fi',
    '  done',
    `  out="${MARK} keepalived$nl\${kpid:-none}$nl${MARK} signum$nl$sig$nl${MARK} files$nl"`,
    '  set -- /proc/net/ip_vs /proc/net/fib_trie /proc/net/if_inet6',
    `  if [ -f ${O} ]; then set -- "$@" ${O}; fi`,
    // Never follow a link someone else planted in /tmp.
    `  if [ -n "$kpid" ] && [ "$sig" != none ] && [ -f ${J} ] && [ ! -L ${J} ]; then set -- "$@" ${J}; fi`,
    '  add_files "$@"',
    // The next marker starts a line even when the last file ends without a newline.
    '  case $out in *"$nl") ;; *) out="$out$nl" ;; esac',
    // What ipvsadm printed after the last reply.
    '  out="$out$next"; next=\'\'',
    '  case $req in',
    '    *later*) ;;',
    '    *rates*|*timeouts*) ipvs_sections "$req"; out="$out$r" ;;',
    '  esac',
    '  if [ -n "$kpid" ] && [ "$sig" != none ]; then kill -s "$sig" "$kpid" 2>/dev/null || true; fi',
    `  printf '%s${MARK} END\\n' "$out"`,
    // `later`: ipvsadm runs now, after the reply, while the engine waits for the next refresh.
    '  case $req in *later*) ipvs_sections "$req"; next=$r ;; esac',
    'done',
  ].join('\n');
}

/**
 * The command line that starts a reader (`directorLoopScript` or `realServerLoopScript`), after
 * `sudo -n ` when the login is not root: bash where the host has it (every target OS does; it
 * reads the director's files without starting a program), else sh. The script travels as one
 * quoted argument; `env` sets PATH and the locale.
 */
export function readerCommand(script: string, env: string): string {
  // BASH_ENV would have bash run a script of the environment's before the loop.
  const launch = 'unset BASH_ENV ENV; if command -v bash >/dev/null 2>&1; then exec bash --norc --noprofile -c "$1"; fi; exec sh -c "$1"';
  return `sh -c ${sq(launch)} lvsdr-status ${sq(`${env}\n${script}`)}`;
}
