// What a live import reads on one host over SSH, with read-only commands only, and the parser
// of its answer: the host name, the OS family (/etc/os-release), the IPv4 addresses with their
// labels (`ip -o -4 addr show`), the default route, the IPVS table (`ipvsadm -Sn`), whether
// keepalived runs, keepalived.conf with every file its includes name (followed on the host,
// globs expanded by the host's shell), and the kernel settings the generated files set.

/** Sysctl leaves read per interface (all, default, lo and each NIC) and the global keys. */
const CONF_LEAVES = ['arp_ignore', 'arp_announce', 'send_redirects'];
const GLOBAL_KEYS = ['net.ipv4.ip_forward'];

export const KEEPALIVED_CONF = '/etc/keepalived/keepalived.conf';

/**
 * The script (POSIX sh). Each part starts with a line `@@IMPORT <part>`; file contents are
 * base64 so any byte comes back as it is. It writes nothing and changes nothing.
 */
export function liveReadScript(): string {
  const leaves = CONF_LEAVES.join(' ');
  return [
    'echo "@@IMPORT hostname"; hostname 2>/dev/null || cat /proc/sys/kernel/hostname',
    'echo "@@IMPORT os-release"; cat /etc/os-release 2>/dev/null',
    'echo "@@IMPORT addresses"; ip -o -4 addr show 2>/dev/null',
    'echo "@@IMPORT default-route"; ip -4 route show default 2>/dev/null',
    'echo "@@IMPORT ipvsadm"; if command -v ipvsadm >/dev/null 2>&1; then ipvsadm -Sn 2>/dev/null || echo "@@IMPORT-ERROR ipvsadm -Sn failed"; else echo "@@IMPORT-ERROR no ipvsadm"; fi',
    'echo "@@IMPORT keepalived-running"; if pidof keepalived >/dev/null 2>&1; then echo yes; else echo no; fi',
    'echo "@@IMPORT sysctl"',
    ...GLOBAL_KEYS.map((k) => `v=$(sysctl -n ${k} 2>/dev/null) && echo "${k} = $v"`),
    'for d in /proc/sys/net/ipv4/conf/*; do i=${d##*/}',
    `  for l in ${leaves}; do [ -r "$d/$l" ] && echo "net.ipv4.conf.$i.$l = $(cat "$d/$l")"; done`,
    'done',
    // keepalived.conf and its includes: the include words of each file, relative ones against
    // the file's directory, expanded by this shell's globbing; each file once.
    `todo=${KEEPALIVED_CONF}; seen=" "`,
    'while [ -n "$todo" ]; do',
    '  set -- $todo; f=$1; shift; todo="$*"',
    '  case "$seen" in *" $f "*) continue ;; esac',
    '  seen="$seen$f "',
    '  if ! { [ -f "$f" ] && [ -r "$f" ]; }; then continue; fi',
    '  echo "@@IMPORT file $f"; base64 <"$f"',
    '  dir=${f%/*}',
    '  # An include line may name several patterns: its words, split on purpose.',
    '  # shellcheck disable=SC2013',
    "  for p in $(sed -n 's/^[[:space:]]*include[rmwba]\\{0,1\\}[[:space:]][[:space:]]*//p' \"$f\" | sed 's/[#!].*//'); do",
    '    case "$p" in /*) ;; *) p="$dir/$p" ;; esac',
    '    for g in $p; do todo="$todo $g"; done',
    '  done',
    'done',
    'echo "@@IMPORT end"',
  ].join('\n');
}

export interface HostAddress {
  iface: string;
  address: string;
  prefix: number;
  /** The address's label when it is not the interface's own name (`lo:0`, `eth0:1`). */
  label?: string;
}

export interface LiveHostRead {
  hostname: string;
  os: { id: string; versionId: string; idLike: string[] };
  addresses: HostAddress[];
  /** The default route's gateway, if any. */
  gateway?: string;
  /** `ipvsadm -Sn` as printed (undefined: no ipvsadm, or it failed: see ipvsadmError). */
  ipvsadm?: string;
  ipvsadmError?: string;
  keepalivedRunning: boolean;
  /** keepalived.conf and its includes, by path on the host. */
  keepalivedFiles: Map<string, string>;
  sysctls: Map<string, string>;
}

/** Splits the script's answer into its parts. */
function parts(out: string): Array<{ head: string[]; lines: string[] }> {
  const list: Array<{ head: string[]; lines: string[] }> = [];
  for (const line of out.split('\n')) {
    const m = /^@@IMPORT (.+)$/.exec(line);
    if (m) list.push({ head: m[1].split(' '), lines: [] });
    else list.at(-1)?.lines.push(line);
  }
  return list;
}

function osRelease(lines: string[]): LiveHostRead['os'] {
  const v = new Map<string, string>();
  for (const l of lines) {
    const m = /^([A-Z_]+)=(.*)$/.exec(l.trim());
    if (m) v.set(m[1], m[2].replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
  }
  return { id: v.get('ID') ?? '', versionId: v.get('VERSION_ID') ?? '', idLike: (v.get('ID_LIKE') ?? '').split(/\s+/).filter(Boolean) };
}

/** `ip -o -4 addr show` lines: `2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\ ...`. */
function addresses(lines: string[]): HostAddress[] {
  const out: HostAddress[] = [];
  for (const l of lines) {
    const m = /^\d+:\s+(\S+)\s+inet\s+(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})\s+(.*)$/.exec(l.trim());
    if (!m) continue;
    const iface = m[1].replace(/@.*$/, '');
    // The label is the last word before the "\" that ends ip's one-line form, when it names a label.
    const rest = m[4].split('\\')[0].trim().split(/\s+/);
    const last = rest.at(-1) ?? '';
    out.push({ iface, address: m[2], prefix: Number(m[3]), label: last.startsWith(`${iface}:`) ? last : undefined });
  }
  return out;
}

export function parseLiveRead(out: string): LiveHostRead {
  const r: LiveHostRead = {
    hostname: '', os: { id: '', versionId: '', idLike: [] }, addresses: [], keepalivedRunning: false,
    keepalivedFiles: new Map(), sysctls: new Map(),
  };
  for (const p of parts(out)) {
    const body = p.lines.join('\n').replace(/\n+$/, '');
    switch (p.head[0]) {
      case 'hostname': r.hostname = body.trim(); break;
      case 'os-release': r.os = osRelease(p.lines); break;
      case 'addresses': r.addresses = addresses(p.lines); break;
      case 'default-route': r.gateway = /^default via (\d{1,3}(?:\.\d{1,3}){3})\b/m.exec(body)?.[1]; break;
      case 'ipvsadm': {
        const err = /^@@IMPORT-ERROR (.*)$/m.exec(body);
        if (err) r.ipvsadmError = err[1];
        else r.ipvsadm = `${body}\n`;
        break;
      }
      case 'keepalived-running': r.keepalivedRunning = body.trim() === 'yes'; break;
      case 'sysctl':
        for (const l of p.lines) {
          const m = /^(\S+) = (.*)$/.exec(l);
          if (m) r.sysctls.set(m[1], m[2].trim());
        }
        break;
      case 'file': r.keepalivedFiles.set(p.head.slice(1).join(' '), Buffer.from(p.lines.join(''), 'base64').toString('utf8')); break;
    }
  }
  return r;
}

/** The `target os` word for an os-release, or undefined when the language has none for it. */
export function targetOsOf(os: LiveHostRead['os']): string | undefined {
  const family = [os.id, ...os.idLike];
  const major = os.versionId.split('.')[0];
  if (os.id === 'ubuntu') return 'ubuntu';
  if (os.id === 'debian' || family.includes('debian')) return os.id === 'debian' ? 'debian' : family.includes('ubuntu') ? 'ubuntu' : 'debian';
  if (family.some((f) => ['rhel', 'centos', 'fedora', 'rocky', 'almalinux', 'ol'].includes(f))) {
    if (major === '7') return 'rhel7';
    if (Number(major) >= 8) return 'rhel9';
  }
  return undefined;
}
