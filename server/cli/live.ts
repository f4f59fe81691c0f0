// `lvsdr status | drain | restore | failover`: the live status engine (server/live/) from a
// terminal, a script or VS Code. `status --json` writes one snapshot per line
// (server/protocol/live-snapshot.ts); text for a person goes to stdout, progress of actions to
// stderr. Actions ask before acting (or take --yes), and each is appended to the action journal.
// With `--events jsonl` (and --yes) an action speaks the event channel on stdout instead
// (server/protocol/events.ts): begin, its progress as log events, questions (host keys), and a
// result with the outcome, the action journal and the one-line summary.
//   status    exit 0 no error finding, 3 error findings, 1 error, 2 usage
//   drain     exit 0 drained, 4 connections left at the timeout, 1 error or declined, 2 usage
//   restore   exit 0 restored, 1 error or declined, 2 usage
//   failover  exit 0 done, 1 error or declined, 2 usage
import { GenerateRefusedError } from '../generate';
import { resolveTarget } from '../deploy/targets';
import { wordsOf } from '../deploy/errors';
import { ProgressPrinter } from '../deploy/progress-text';
import type { ClusterTarget } from '../deploy/types';
import { LiveStatus } from '../live/engine';
import { drain, failover, Report, requireRealServer, restore } from '../live/actions';
import { localize } from '../shared/l10n/localize';
import { actionLogFile, ActionRecord, logAction } from '../live/action-log';
import { formatSnapshot } from '../live/format';
import { printable } from '../protocol/printable';
import { localeFromEnv } from '../shared/l10n/locale';
import { OptionSpecs, OptionValues, parseCommand, requireUsage, usageError, UsageError } from './args';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';
import { DRAIN, FAILOVER, RESTORE, STATUS } from './commands';
import { EventChannel, printableTwin } from './event-channel';
import { Args, ask, chooseTarget, Front, makeUi, runInsideLab } from './deploy';

type LiveCommand = 'status' | 'drain' | 'restore' | 'failover';
const SPECS = { status: STATUS, drain: DRAIN, restore: RESTORE, failover: FAILOVER };

type AllOptions = typeof STATUS['options'] & typeof DRAIN['options'] & typeof FAILOVER['options'] & typeof RESTORE['options'];

interface LiveArgs {
  base: Args;
  v: OptionValues<AllOptions>;
  server?: string;
}

function parse(cmd: LiveCommand, argv: string[]): LiveArgs | number {
  const parsed = parseCommand<OptionSpecs>(SPECS[cmd], argv);
  if (typeof parsed === 'number') return parsed;
  const v = parsed.values as OptionValues<AllOptions>;
  requireUsage(v.target === undefined || v.target === 'lab' || v.target === 'hosts', t`--target is 'lab' or 'hosts', not '${String(v.target)}'`);
  const want = cmd === 'drain' || cmd === 'restore' ? 2 : 1;
  requireUsage(parsed.positionals.length === want, want === 2 ? t`FILE and SERVER are needed` : t`exactly one FILE`);
  requireUsage(v.events === undefined || v.events === 'jsonl', t`--events takes 'jsonl', not '${String(v.events)}'`);
  for (const fp of v['accept-key'] ?? []) requireUsage(/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp), t`--accept-key takes a fingerprint as ssh-keygen -l prints it (SHA256:…), not '${fp}'`);
  const base: Args = {
    file: parsed.positionals[0], target: v.target as 'lab' | 'hosts' | undefined, cluster: v.cluster, yes: !!v.yes,
    acceptNew: !!v['accept-new'], acceptKeys: v['accept-key'] ?? [], skipOsCheck: true, trustRepoKnownHosts: !!v['trust-repo-known-hosts'],
    force: false, json: !!v.json, events: v.events !== undefined, identity: v.identity, knownHosts: v['known-hosts'], journalDir: v['journal-dir'],
  };
  return { base, v, server: parsed.positionals[1] };
}

function seconds(text: string | undefined, name: string, min: number, max: number, dflt: number): number {
  if (text === undefined) return dflt;
  const n = Number(text);
  requireUsage(Number.isFinite(n) && n >= min && n <= max, t`--${name} is a number of seconds from ${min} to ${max}`);
  return n;
}

interface Opened {
  a: LiveArgs;
  target: ClusterTarget;
  live: LiveStatus;
  front: Front;
}

/**
 * With the parsed arguments: enters the lab's client namespace when needed (the run inside it then
 * speaks for this one, channel included), resolves the target, opens the engine. `channel`: the event channel of
 * an action run with --events.
 */
async function open(cmd: LiveCommand, a: LiveArgs, argv: string[], intervalMs?: number, channel?: EventChannel): Promise<Opened | number> {
  const kind = chooseTarget(a.base);
  if (kind === 'lab') {
    const code = await runInsideLab([cmd, ...argv, ...(a.base.target ? [] : ['--target', 'lab'])]);
    if (code !== undefined) return code;
  }
  const front: Front = { cmd: 'drift', channel, printer: new ProgressPrinter(process.stderr), human: process.stderr, locale: localeFromEnv(process.env) };
  const ui = makeUi(a.base, front, { progress: () => undefined });
  const target = await resolveTarget({ file: a.base.file, cluster: a.base.cluster, target: kind, identity: a.base.identity, knownHosts: a.base.knownHosts, hostsOnly: true, ui });
  channel?.emit({
    type: 'begin', command: cmd as 'drain' | 'restore' | 'failover', cluster: target.cluster, target: target.kind,
    hosts: target.hosts.map((h) => ({ name: h.name, role: h.role, address: h.address })),
  });
  return { a, target, front, live: new LiveStatus(target, { ui, intervalMs, locale: front.locale }) };
}

function fail(cmd: LiveCommand, e: unknown): number {
  if (e instanceof UsageError) {
    return usageError(SPECS[cmd], e.msg);
  }
  if (e instanceof GenerateRefusedError) {
    for (const x of e.errors) process.stderr.write(`${e.sourceName}:${x.line}:${x.column} error ${x.code} ${inReaderLanguage(x.msg)}\n`);
    process.stderr.write(`lvsdr ${cmd}: ${inReaderLanguage(t`the file has errors; nothing was contacted`)}\n`);
    return 1;
  }
  process.stderr.write(`lvsdr ${cmd}: ${printable(inReaderLanguage(wordsOf(e)))}\n`);
  return 1;
}

export async function statusCommand(argv: string[]): Promise<number> {
  let live: LiveStatus | undefined;
  try {
    const pre = parse('status', argv);
    if (typeof pre === 'number') return pre;
    const intervalMs = seconds(pre.v.interval, 'interval', 0.5, 3600, 2) * 1000;
    let count = Infinity;
    if (pre.v.count !== undefined) {
      count = Number(pre.v.count);
      requireUsage(Number.isInteger(count) && count >= 1, t`--count is a whole number ≥ 1`);
    }
    const o = await open('status', pre, argv, intervalMs);
    if (typeof o === 'number') return o;
    live = o.live;
    const watch = !!o.a.v.watch;
    let stop = false;
    const onSignal = () => { stop = true; };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let errors = 0;
    try {
      for (let n = 0; !stop && n < (watch ? count : 1); n++) {
        const t0 = Date.now();
        const snap = await live.refresh();
        errors = snap.findings.filter((f) => f.severity === 'error').length;
        if (o.a.v.json) process.stdout.write(JSON.stringify(snap) + '\n');
        else process.stdout.write((watch && process.stdout.isTTY ? '\x1b[H\x1b[2J' : '') + formatSnapshot(snap, o.front.locale) + (watch ? '\n' : ''));
        if (!watch) break;
        const wait = Math.max(0, intervalMs - (Date.now() - t0));
        for (let waited = 0; waited < wait && !stop; waited += 100) await new Promise((r) => setTimeout(r, Math.min(100, wait - waited)));
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return errors > 0 ? 3 : 0;
  } catch (e) {
    return fail('status', e);
  } finally {
    live?.close();
  }
}

/** Asks on the terminal unless --yes; refuses without a terminal. */
async function confirm(cmd: LiveCommand, a: LiveArgs, question: Msg): Promise<boolean> {
  if (a.base.yes) return true;
  if (!process.stdin.isTTY || !process.stderr.isTTY) {
    process.stderr.write(`lvsdr ${cmd}: ${inReaderLanguage(t`refusing to act without --yes when there is no terminal to confirm`)}\n`);
    return false;
  }
  // The answer is y or yes in any language (the prompt says so).
  return /^y(es)?$/i.test((await ask(`${inReaderLanguage(question)} [y/N] `)).trim());
}

async function action(cmd: 'drain' | 'restore' | 'failover', argv: string[],
  preview: (o: Opened) => Msg, act: (o: Opened, report: Report) => Promise<{ outcome: ActionRecord['outcome']; detail: Msg; code: number }>): Promise<number> {
  let o: Opened | number | undefined;
  let channel: EventChannel | undefined;
  let journal: string | undefined;
  // The last line on the channel: every run that got past its arguments ends with one.
  const locale = localeFromEnv(process.env);
  const result = (outcome: 'success' | 'timed-out' | 'failed', exitCode: number, summary?: Msg, error?: Msg) => channel?.emit({
    type: 'result', command: cmd, outcome, exitCode, journal, hosts: [],
    ...(summary ? { summary: localize(summary, locale) } : {}),
    ...(error ? { error: { message: printable(english(error)), ...printableTwin('messageLocalized', error, locale) } } : {}),
  });
  try {
    const a = parse(cmd, argv);
    if (typeof a === 'number') return a;
    channel = a.base.events ? new EventChannel() : undefined;
    o = await open(cmd, a, argv, undefined, channel);
    if (typeof o === 'number') return o;
    const opened = o;
    const log = actionLogFile(opened.target.file, opened.a.base.journalDir);
    journal = log;
    const startedAt = new Date();
    const record = (outcome: ActionRecord['outcome'], detail: string) => logAction(log, {
      action: cmd, cluster: opened.target.cluster, target: opened.target.kind, source: opened.target.file, server: opened.a.server,
      outcome, detail, startedAt: startedAt.toISOString(), ms: Date.now() - startedAt.getTime(),
    });
    // The action journal keeps English (like the logs); the person reads their language.
    const text = preview(opened);
    if (channel) channel.log('info', text, locale);
    else process.stderr.write(`${inReaderLanguage(text)}\n`);
    if (!(await confirm(cmd, opened.a, t`go ahead?`))) {
      record('declined', english(text));
      result('failed', 1, undefined, t`refusing to act without --yes when there is no terminal to confirm`);
      return 1;
    }
    try {
      const r = await act(opened, (l) => (channel ? channel.log('info', l, locale) : process.stderr.write(`lvsdr ${cmd}: ${printable(localize(l, locale))}\n`)));
      record(r.outcome, english(r.detail));
      if (channel) result(r.outcome === 'timed-out' ? 'timed-out' : 'success', r.code, r.detail);
      else process.stdout.write(`${inReaderLanguage(r.detail)}\n`);
      return r.code;
    } catch (e) {
      record('failed', e instanceof Error ? e.message : String(e));
      throw e;
    }
  } catch (e) {
    const code = fail(cmd, e);
    if (code !== 2) result('failed', code, undefined, wordsOf(e));
    return code;
  } finally {
    channel?.close();
    if (o && typeof o !== 'number') o.live.close();
  }
}

export function drainCommand(argv: string[]): Promise<number> {
  return action('drain', argv, (o) => {
    requireRealServer(o.live, o.a.server!);
    const svcs = o.live.spec.services.filter((s) => s.reals.some((r) => r.name === o.a.server)).map((s) => s.name);
    const where = listMsgs(o.live.spec.directors.map((d) => d.name));
    return t`drain ${o.a.server!} of cluster ${o.target.cluster} (${o.target.kind}): weight 0 in ${svcs.length ? listMsgs(svcs) : t`no service`} on ${where}, then wait for its active connections to end; it stays drained (a runtime override, shown as drift LVS510) until \`lvsdr restore\``;
  }, async (o, report) => {
    const timeoutMs = seconds(o.a.v.timeout, 'timeout', 0, 86_400, 300) * 1000;
    const r = await drain(o.live, o.a.server!, { timeoutMs, wait: !o.a.v['no-wait'], report });
    if (r.active > 0) return { outcome: 'timed-out', detail: t`${o.a.server!} has weight 0; ${r.active} active connections left after ${(r.ms / 1000).toFixed(0)} s`, code: 4 };
    return { outcome: 'done', detail: r.active === 0 ? t`${o.a.server!} drained (no active connection after ${(r.ms / 1000).toFixed(1)} s)` : t`${o.a.server!} drained (weight 0; not waited)`, code: 0 };
  });
}

export function restoreCommand(argv: string[]): Promise<number> {
  return action('restore', argv,
    (o) => {
      requireRealServer(o.live, o.a.server!);
      return t`restore ${o.a.server!} of cluster ${o.target.cluster} (${o.target.kind}): the file's weights on every director, the drain record removed`;
    },
    async (o, report) => {
      await restore(o.live, o.a.server!, report);
      return { outcome: 'done', detail: t`${o.a.server!} restored`, code: 0 };
    });
}

export function failoverCommand(argv: string[]): Promise<number> {
  return action('failover', argv,
    (o) => o.a.v['no-return']
      ? t`controlled failover of cluster ${o.target.cluster} (${o.target.kind}): keepalived stopped on the VIP holder, so the backup takes the VIPs (and keeps them); the gap a client sees is measured`
      : t`controlled failover of cluster ${o.target.cluster} (${o.target.kind}): keepalived stopped on the VIP holder, so the backup takes the VIPs, then started again so it takes them back; the gap a client sees is measured`,
    async (o, report) => {
      const r = await failover(o.live, { back: !o.a.v['no-return'], probe: o.a.v.probe, report });
      const gap = (ms?: number) => (ms === undefined ? t`not measured (no HTTP service to probe)` : t`${ms} ms`);
      const over = t`failover ${r.from} → ${r.to} in ${(r.overMs / 1000).toFixed(1)} s, client gap ${gap(r.gapOverMs)}`;
      const detail = r.backMs !== undefined
        ? t`${over}; back to ${r.from} in ${(r.backMs / 1000).toFixed(1)} s, client gap ${gap(r.gapBackMs)}`
        : t`${over}; the VIPs stay on ${r.to}`;
      return { outcome: 'done', detail, code: 0 };
    });
}
