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

/**
 * A director: keepalived's pid (from its pid file, builtins only), the addresses held, the IPVS
 * table with weights and connection counts (/proc/net/ip_vs), the kernel's rate estimates
 * (`ipvsadm -Ln --rate --exact`), the drains recorded, the IPVS timeouts when asked, and
 * keepalived's JSON state dump (one small write by keepalived per refresh).
 */
export function directorScript(opts: { jsonSignal?: number; timeouts: boolean; askSignum: boolean }): string {
  const lines = [
    "kpid=''",
    'for f in /run/keepalived.pid /var/run/keepalived.pid; do',
    '  if [ -s "$f" ] && read -r p <"$f" && kill -0 "$p" 2>/dev/null; then kpid=$p; break; fi',
    'done',
    section('keepalived'),
    'echo "${kpid:-none}"',
  ];
  // Ask keepalived for a fresh JSON dump first and read it last: it writes the file while the
  // rest is read. The signal number is asked once per connection (the build's `--signum`).
  if (opts.askSignum) lines.push(section('signum'), 'sig=$(keepalived --signum=JSON 2>/dev/null) || sig=none', 'echo "$sig"');
  else if (opts.jsonSignal !== undefined) lines.push(`sig=${sq(opts.jsonSignal)}`);
  else lines.push('sig=none');
  lines.push('case $sig in *[!0-9]*|\'\') sig=none ;; esac');
  lines.push('if [ -n "$kpid" ] && [ "$sig" != none ]; then kill -s "$sig" "$kpid" 2>/dev/null || true; fi');
  lines.push(
    section('addr'), 'ip -o addr show 2>/dev/null || true',
    section('ipvs'), 'if [ -r /proc/net/ip_vs ]; then while IFS= read -r l; do printf \'%s\\n\' "$l"; done </proc/net/ip_vs; fi',
    section('rate'), 'ipvsadm -Ln --rate --exact 2>/dev/null || true',
  );
  lines.push(section('overrides'), `if [ -f ${sq(OVERRIDES_FILE)} ]; then while IFS= read -r l; do printf '%s\\n' "$l"; done <${sq(OVERRIDES_FILE)}; fi`);
  if (opts.timeouts) lines.push(section('timeout'), 'ipvsadm -L --timeout 2>/dev/null || true');
  lines.push(
    section('json'),
    // Never follow a link someone else planted in /tmp.
    `if [ -n "$kpid" ] && [ "$sig" != none ] && [ -f ${sq(KEEPALIVED_JSON)} ] && [ ! -L ${sq(KEEPALIVED_JSON)} ]; then`,
    `  while IFS= read -r l || [ -n "$l" ]; do printf '%s\\n' "$l"; done <${sq(KEEPALIVED_JSON)}`,
    'fi',
  );
  lines.push(`echo '${MARK} END'`);
  return lines.join('\n');
}

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
