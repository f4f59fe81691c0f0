// `lvsdr import [--keepalived FILE]... [--config-id ID]... [--ipvsadm FILE] [--cluster NAME]
// [--out FILE.lvs]`, or `lvsdr import --ssh [USER@]ADDR|ALIAS... [--key PATH] [--known-hosts PATH]
// [--accept-new]`: adopts an existing cluster (server/import; live hosts: import-live.ts). The .lvs goes to --out or
// stdout; what was not expressible, inferred or noted, and the validator's findings, go to
// stderr. Exit 0 all imported, 4 something was reported as not expressible, 1 unreadable or
// invalid input (with file and line), 2 usage.
import { writeFileSync } from 'node:fs';
import { findingText, importCluster, ImportInput, ImportInputError, importLive, importResult, ImportResult } from '../import';
import { NAME_RE } from '../language/names';
import { NAME_RULE_WORDS } from '../model/name-rule';
import { Locale, localeFromEnv } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { english, Msg, t } from '../shared/l10n/message';
import { parseCommand, usageError } from './args';
import { IMPORT } from './commands';
import { parseHostSpec, readLiveCluster } from './import-live';
import { EventChannel, printableTwin } from './event-channel';
import { printable } from '../protocol/printable';

export async function importCommand(args: string[]): Promise<number> {
  const parsed = parseCommand(IMPORT, args);
  if (typeof parsed === 'number') return parsed;
  const { keepalived = [], ipvsadm, cluster, out, ssh = [] } = parsed.values;
  const ids = parsed.values['config-id'] ?? [];
  const usage = (why: Msg) => usageError(IMPORT, why);
  if (parsed.positionals.length > 0) return usage(t`inputs are named by --keepalived, --ipvsadm and --ssh`);
  if (keepalived.length === 0 && !ipvsadm && ssh.length === 0) return usage(t`nothing to import: give --keepalived FILE, --ipvsadm FILE or --ssh USER@ADDR`);
  if (ssh.length > 0 && (keepalived.length > 0 || ipvsadm)) return usage(t`--ssh reads the hosts' own files: it does not go with --keepalived or --ipvsadm`);
  if (ssh.length === 0 && (parsed.values.key || parsed.values['known-hosts'] || parsed.values['accept-new'])) return usage(t`--key, --known-hosts and --accept-new go with --ssh`);
  const badHost = ssh.find((h) => !parseHostSpec(h));
  if (badHost !== undefined) return usage(t`--ssh ${badHost}: not [USER@]ADDR or [USER@]ALIAS (an IPv4 address or a ~/.ssh/config Host name of letters, digits, _, . and -; a user name of letters, digits, _ and -)`);
  if (cluster !== undefined && !NAME_RE.test(cluster)) return usage(t`--cluster ${cluster}: not a name (${NAME_RULE_WORDS})`);
  const events = parsed.values.events;
  if (events !== undefined && events !== 'jsonl') return usage(t`--events takes 'jsonl', not '${events}'`);
  if (events !== undefined && out !== undefined) return usage(t`--events and --out exclude each other (the result event carries the .lvs)`);
  const channel = events ? new EventChannel() : undefined;
  // stderr speaks the reader's language; the event channel's JSON stays English with a localized twin.
  const locale = localeFromEnv(process.env);
  if (ssh.length > 0) {
    const name = cluster ?? 'imported';
    const hosts = await readLiveCluster({
      hosts: ssh, identity: parsed.values.key, knownHosts: parsed.values['known-hosts'], acceptNew: parsed.values['accept-new'] ?? false, cluster: name,
      confirmHostKey: channel && (async (q) => {
        const answer = await channel.ask({ kind: 'host-key', host: q.host, address: q.address, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint, knownHosts: q.knownHosts, known: [] });
        return answer?.kind === 'host-key' && answer.accept;
      }),
    });
    if (hosts.length === 0) return failed(t`no host could be read`, locale, channel);
    const live = importLive(hosts, name);
    return write(importResult(live.cluster, live.findings, name), out, locale, channel);
  }
  let files: ImportInput['keepalived'];
  if (ids.length === 0) files = keepalived.map((path) => ({ path }));
  else if (keepalived.length === 1) files = ids.map((configId) => ({ path: keepalived[0], configId }));
  else if (ids.length === keepalived.length) files = keepalived.map((path, i) => ({ path, configId: ids[i] }));
  else return usageError(IMPORT, t`--config-id is given once per --keepalived, or several times for one file`);
  try {
    return write(importCluster({ keepalived: files, ipvsadm, cluster }), out, locale, channel);
  } catch (err) {
    if (err instanceof ImportInputError) return failed(err.words, locale, channel);
    throw err;
  }
}

/** Nothing imported: why, on stderr and in the channel's result event; exit 1. */
function failed(words: Msg, locale: Locale, channel?: EventChannel): number {
  process.stderr.write(`lvsdr import: ${localize(words, locale)}\n`);
  if (channel) {
    const error = { message: printable(english(words)), ...printableTwin('messageLocalized', words, locale) };
    channel.emit({ type: 'result', command: 'import', outcome: 'failed', exitCode: 1, hosts: [], error });
    channel.close();
  }
  return 1;
}

/** Findings to stderr, the .lvs to `out`, stdout or the channel's result event; the exit status. */
function write(r: ImportResult, out: string | undefined, locale: Locale, channel?: EventChannel): number {
  for (const f of r.findings) process.stderr.write(findingText(f, locale) + '\n');
  const where = out ?? '<stdout>';
  for (const v of r.validation) process.stderr.write(`${where}:${v.line}: ${v.severity} ${v.code}: ${localize(v.words, locale)}\n`);
  const exitCode = r.lossy ? 4 : 0;
  if (channel) {
    channel.emit({
      type: 'result', command: 'import', outcome: 'success', exitCode, hosts: [],
      imported: {
        text: r.text,
        findings: r.findings.map((f) => ({ kind: f.kind, file: f.file, line: f.line, message: printable(f.message), ...printableTwin('messageLocalized', f.words, locale) })),
        validation: r.validation.map((v) => ({ code: v.code, severity: v.severity, line: v.line, message: v.message, ...printableTwin('messageLocalized', v.words, locale) })),
      },
    });
    channel.close();
  } else if (out) writeFileSync(out, r.text);
  else process.stdout.write(r.text);
  return exitCode;
}
