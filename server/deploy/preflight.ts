// Preflight of one host: privileges (root, else passwordless `sudo -n`), the tools the engine
// and the generated scripts need, and the OS family against the file's `target os`.
import { DeployError } from './errors';
import { failureText, markedLines, MARK, RemoteHost } from './remote';
import { sqList } from '../shared/shell-quote';
import { Msg, t } from '../shared/l10n/message';

/** Tools every host needs (engine + generated scripts); directors add ipvsadm / keepalived. */
export const BASE_TOOLS = ['ip', 'sysctl', 'base64', 'sha256sum', 'mkdir', 'mv', 'cp', 'rm', 'chmod', 'cat', 'setsid', 'awk', 'sort', 'grep'];

export interface PreflightResult {
  user: string;
  viaSudo: boolean;
  os: { id: string; versionId: string; idLike: string[] };
  missingTools: string[];
  osMismatch?: string;
  hostname: string;
}

export function requiredTools(role: 'master' | 'backup' | 'server', ha: boolean): string[] {
  if (role === 'server') return BASE_TOOLS;
  return [...BASE_TOOLS, 'ipvsadm', ...(ha ? ['keepalived'] : [])];
}

/** Parses /etc/os-release text (KEY=value, optionally quoted). */
export function parseOsRelease(text: string): { id: string; versionId: string; idLike: string[] } {
  const v: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) v[m[1]] = m[2].replace(/^(["'])(.*)\1$/, '$2');
  }
  return { id: (v.ID ?? 'unknown').toLowerCase(), versionId: v.VERSION_ID ?? '', idLike: (v.ID_LIKE ?? '').toLowerCase().split(/\s+/).filter(Boolean) };
}

const RHEL_IDS = ['rhel', 'centos', 'rocky', 'almalinux', 'ol', 'scientific', 'fedora'];

/** Why the host's OS does not fit `target os`, or undefined when it does. */
export function osMismatch(target: string, os: { id: string; versionId: string; idLike: string[] }): Msg | undefined {
  const family = [os.id, ...os.idLike];
  const major = os.versionId.split('.')[0];
  const desc = `${os.id}${os.versionId ? ` ${os.versionId}` : ''}`;
  switch (target) {
    case 'rhel7':
    case 'rhel9': {
      if (!family.some((f) => RHEL_IDS.includes(f))) return t`target os ${target}, but the host runs ${desc} (not a RHEL family system)`;
      const want = target === 'rhel7' ? '7' : '9';
      if (os.id !== 'fedora' && major !== want) return t`target os ${target}, but the host runs ${desc}`;
      return undefined;
    }
    case 'debian':
      return os.id === 'debian' ? undefined : t`target os debian, but the host runs ${desc}`;
    case 'ubuntu':
      return os.id === 'ubuntu' ? undefined : t`target os ubuntu, but the host runs ${desc}`;
    default:
      return t`unknown target os ${target}`;
  }
}

/** Shell lines setting $uid from /proc/self/status (no process start). */
const UID_LINES = [
  'uid=""',
  'while read -r k v rest; do if [ "$k" = "Uid:" ]; then uid=$v; break; fi; done </proc/self/status',
];

/** Tools, OS and identity, without starting a process. */
function inspectScript(tools: string[]): string {
  return [
    `for t in ${sqList(tools)}; do`,
    '  if command -v "$t" >/dev/null 2>&1; then :; else echo "missing=$t"; fi',
    'done',
    `echo '${MARK} OS'`,
    'for f in /etc/os-release /usr/lib/os-release; do',
    '  if [ -r "$f" ]; then while IFS= read -r line; do echo "$line"; done <"$f"; break; fi',
    'done',
    `echo '${MARK} END'`,
    'n=""; read -r n </proc/sys/kernel/hostname || true',
    'echo "hostname=$n"',
    ...UID_LINES,
    'echo "uid=$uid"',
  ].join('\n');
}

export async function preflight(h: RemoteHost, tools: string[], timeoutMs?: number): Promise<PreflightResult> {
  // One round trip as the login user: identity, and (when it is root) everything else too.
  // Otherwise passwordless `sudo -n` is required (never a password prompt over the channel)
  // and the tools are looked up again as root (sudo's PATH may differ).
  const first = await h.runUnprivileged([
    inspectScript(tools),
    'echo "user=${LOGNAME:-${USER:-unknown}}"',
    'if [ "$uid" != 0 ]; then',
    '  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then echo sudo=yes; else echo sudo=no; fi',
    'fi',
  ].join('\n'), timeoutMs);
  if (first.code !== 0) throw new DeployError(h.name, 'preflight', t`cannot run commands: ${failureText(first)}`);
  const user = /^user=(.*)$/m.exec(first.stdout)?.[1] ?? '?';
  const viaSudo = /^uid=(.*)$/m.exec(first.stdout)?.[1] !== '0';
  let r = first;
  if (viaSudo) {
    if (!/^sudo=yes$/m.test(first.stdout)) {
      throw new DeployError(h.name, 'preflight', t`${user} is not root and cannot use sudo without a password (sudo -n); log in as root or allow passwordless sudo`);
    }
    h.sudo = 'sudo -n ';
    r = await h.run(inspectScript(tools), timeoutMs);
    if (r.code !== 0) throw new DeployError(h.name, 'preflight', t`preflight script failed: ${failureText(r)}`);
    if (!/^uid=0$/m.test(r.stdout)) throw new DeployError(h.name, 'preflight', t`commands do not run as root through sudo -n`);
  } else {
    h.sudo = '';
  }
  const missingTools = [...r.stdout.matchAll(/^missing=(.+)$/gm)].map((m) => m[1]);
  const osText = markedLines(r.stdout).find((s) => s.words[0] === 'OS')?.body.join('\n') ?? '';
  return {
    user, viaSudo, missingTools,
    os: parseOsRelease(osText),
    hostname: /^hostname=(.*)$/m.exec(r.stdout)?.[1] ?? '',
  };
}
