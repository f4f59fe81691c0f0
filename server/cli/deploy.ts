// `lvsdr plan | deploy | rollback | drift FILE`: the deploy engine (server/deploy/) from a
// terminal or a script. Progress goes to stderr (overwritten lines on a terminal, plain lines
// otherwise); plans, diffs and summaries go to stdout. With `--events jsonl` stdout carries the
// event channel instead (server/protocol/events.ts, the front end answers questions on stdin)
// and the text for a person goes to stderr. Remote text is made printable before it is shown.
//   plan      exit 0 no change, 3 changes, 1 error, 2 usage
//   deploy    exit 0 deployed (or nothing to do), 1 failed (rolled back), 130 cancelled, 2 usage
//   rollback  exit 0 rolled back, 1 error, 2 usage
//   drift     exit 0 in sync, 3 drift, 1 error, 2 usage
// `plan DIR` and `drift DIR` run once per cluster of every .lvs file below DIR (every-cluster.ts).
// `--target lab` runs the deploy from the lab's client namespace (re-executing itself there
// with `ip netns exec` when started elsewhere), the only place that reaches the lab.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { defaultSecretResolver, GenerateRefusedError, SecretResolver } from '../generate';
import { readState, stateDir } from '../lab';
import { deploy, planDeploy } from '../deploy/engine';
import { drift } from '../deploy/drift';
import { LiveStatus } from '../live/engine';
import type { LiveFinding } from '../protocol/live-snapshot';
import { CancelledError, DeployError, wordsOf } from '../deploy/errors';
import { STEP_WORDS } from '../deploy/step-words';
import { planToJson } from '../deploy/plan-json';
import { planId } from '../deploy/plan';
import { inNamespace, labClientNamespace } from '../deploy/lab-namespace';
import { ProgressPrinter } from '../deploy/progress-text';
import { BACKUP_ROOT } from '../deploy/remote';
import { rollbackLast } from '../deploy/rollback';
import { resolveTarget } from '../deploy/targets';
import { ClusterTarget, DeployUi, EngineOptions } from '../deploy/types';
import { entryMatches, fingerprint, lookupName, parseKnownHosts, readKnownHosts } from '../deploy/known-hosts';
import { ResultEvent } from '../protocol/events';
import { printable } from '../protocol/printable';
import { Locale, localeFromEnv } from '../shared/l10n/locale';
import { localize } from '../shared/l10n/localize';
import { EventChannel, printableTwin } from './event-channel';
import { watchParent } from './parent-gone';
import { OptionSpecs, OptionValues, parseCommand, requireUsage, usageError, UsageError } from './args';
import { english, listMsgs, Msg, t } from '../shared/l10n/message';
import { inReaderLanguage } from './reader-language';
import { applyQuestion, printDiffs, printPlan, summary } from './deploy-text';
import { DEPLOY, DRIFT, PLAN, ROLLBACK } from './commands';
import { runUnlock } from './unlock';
import { explainSshText } from './explain-ssh';
import { runForDirectory } from './every-cluster';
import { DEPLOY_ID_PATTERN } from '../protocol/journal-header';

type Command = 'plan' | 'deploy' | 'rollback' | 'drift';

const SPECS = { plan: PLAN, deploy: DEPLOY, rollback: ROLLBACK, drift: DRIFT };

export interface Args {
  file: string;
  target?: 'lab' | 'hosts';
  cluster?: string;
  yes: boolean;
  acceptNew: boolean;
  /** Fingerprints of unknown host keys the user checked (VS Code's modal): only these are accepted. */
  acceptKeys: string[];
  concurrency?: number;
  probe?: boolean;
  drainTimeoutS?: number;
  confirmTimeoutS?: number;
  journalDir?: string;
  identity?: string;
  knownHosts?: string;
  skipOsCheck: boolean;
  /** `--trust-repo-known-hosts`: a known_hosts the file names inside its repository is used. */
  trustRepoKnownHosts: boolean;
  force: boolean;
  json: boolean;
  planId?: string;
  /** `--events jsonl`: the event channel on stdout. */
  events: boolean;
  /** `rollback --deploy ID`: the deploy to roll back. */
  deployId?: string;
  /** `deploy --explain-ssh HOST`: print how HOST is reached and stop. */
  explainSsh?: string;
}

/** The command's arguments, or the exit status when it stops here (help, usage error). */
function parseDeployArgs(cmd: Command, argv: string[]): Args | number {
  const parsed = parseCommand<OptionSpecs>(SPECS[cmd], argv);
  if (typeof parsed === 'number') return parsed;
  // Every option of the four commands, absent where a command does not declare it.
  const v = parsed.values as OptionValues<typeof DEPLOY['options'] & typeof PLAN['options'] & typeof ROLLBACK['options']>;
  const where = v.target;
  requireUsage(where === undefined || where === 'lab' || where === 'hosts', t`--target is 'lab' or 'hosts', not '${String(where)}'`);
  const acceptKeys = v['accept-key'] ?? [];
  for (const fp of acceptKeys) {
    requireUsage(/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp), t`--accept-key takes a fingerprint as ssh-keygen -l prints it (SHA256:…), not '${fp}'`);
  }
  let concurrency: number | undefined;
  if (v.concurrency !== undefined) {
    concurrency = Number(v.concurrency);
    requireUsage(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64, t`--concurrency is a whole number from 1 to 64`);
  }
  let drainTimeoutS: number | undefined;
  if (v['drain-timeout'] !== undefined) {
    drainTimeoutS = Number(v['drain-timeout']);
    requireUsage(Number.isFinite(drainTimeoutS) && drainTimeoutS >= 0, t`--drain-timeout is a number of seconds`);
  }
  let confirmTimeoutS: number | undefined;
  if (v['confirm-timeout'] !== undefined) {
    confirmTimeoutS = Number(v['confirm-timeout']);
    requireUsage(Number.isInteger(confirmTimeoutS) && confirmTimeoutS >= 5 && confirmTimeoutS <= 86_400, t`--confirm-timeout is a whole number of seconds from 5 to 86400`);
  }
  requireUsage(!(v.probe && v['no-probe']), t`--probe and --no-probe exclude each other`);
  requireUsage(v['plan-id'] === undefined || /^[0-9a-f]{16}$/.test(v['plan-id']), t`--plan-id is the 16-hex-digit planId of \`lvsdr plan --json\``);
  requireUsage(v.events === undefined || v.events === 'jsonl', t`--events takes 'jsonl', not '${String(v.events)}'`);
  requireUsage(!(v.events && v.json), t`--events and --json exclude each other (the result event carries the plan)`);
  requireUsage(v.deploy === undefined || DEPLOY_ID_PATTERN.test(v.deploy), t`--deploy is a deploy id as the journal names it (20250601T123456789Z-1a2b3c)`);
  requireUsage(parsed.positionals.length === 1, parsed.positionals.length ? t`exactly one FILE` : t`FILE is missing`);
  return {
    file: parsed.positionals[0], target: where, cluster: v.cluster, yes: v.yes ?? false, acceptNew: v['accept-new'] ?? false, acceptKeys,
    concurrency, probe: v.probe ? true : v['no-probe'] ? false : undefined, drainTimeoutS, confirmTimeoutS, journalDir: v['journal-dir'],
    identity: v.identity, knownHosts: v['known-hosts'], skipOsCheck: v['skip-os-check'] ?? false, trustRepoKnownHosts: v['trust-repo-known-hosts'] ?? false, force: v.force ?? false,
    json: v.json ?? false, planId: v['plan-id'], events: v.events !== undefined, deployId: v.deploy, explainSsh: v['explain-ssh'],
  };
}

/** The target: as given, else the lab when a lab built from this very file is up, else the hosts. */
export function chooseTarget(a: Pick<Args, 'target' | 'file'>): 'lab' | 'hosts' {
  if (a.target) return a.target;
  try {
    const st = readState();
    if (st && st.phase === 'up' && st.file === resolve(a.file)) return 'lab';
  } catch { /* no lab */ }
  return 'hosts';
}

/**
 * For the lab target: when this process is not in the lab's client namespace, runs the same
 * command there and returns its exit code; undefined when we already are inside.
 */
export async function runInsideLab(argv: string[]): Promise<number | undefined> {
  const st = readState();
  if (!st) return undefined; // resolveTarget reports "no lab is up"
  const ns = labClientNamespace(st);
  if (inNamespace(ns)) return undefined;
  if (process.env.LVSDR_IN_LAB_NS === ns) return undefined; // never loop
  return new Promise<number>((res) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...process.execArgv, process.argv[1], ...argv], {
      stdio: 'inherit', env: { ...process.env, LVSDR_IN_LAB_NS: ns, LVSDR_LAB_DIR: st.dir || stateDir() },
    });
    const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
    const onInt = forward('SIGINT');
    const onTerm = forward('SIGTERM');
    const onHup = forward('SIGHUP');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    process.on('SIGHUP', onHup);
    child.on('error', (e) => {
      process.stderr.write(`lvsdr: ${inReaderLanguage(t`cannot enter the lab's client namespace ${ns}: ${e.message}`)}\n`);
      res(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      process.off('SIGHUP', onHup);
      res(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

export function ask(question: string, hidden = false): Promise<string> {
  return new Promise((res) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    if (hidden) {
      const w = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WritableStream };
      w._writeToOutput = (s: string) => {
        if (s.startsWith(question)) w.output.write(question);
      };
    }
    rl.question(question, (answer) => {
      rl.close();
      if (hidden) process.stderr.write('\n');
      res(answer);
    });
  });
}

/**
 * Where a run reports: text (progress on stderr, results on stdout) or, with `--events jsonl`,
 * the event channel on stdout with the human text on stderr.
 */
export interface Front {
  cmd: Command;
  channel?: EventChannel;
  printer: ProgressPrinter;
  /** Plans, diffs and summaries for a person. */
  human: NodeJS.WritableStream;
  /** The reader's language (LC_ALL, LC_MESSAGES, LANG). */
  locale: Locale;
}

function frontFor(cmd: Command, a: Args): Front {
  const channel = a.events ? new EventChannel() : undefined;
  const locale = localeFromEnv(process.env);
  return { cmd, channel, printer: new ProgressPrinter(process.stderr, 10, locale), human: channel ? process.stderr : process.stdout, locale };
}

/** A line for the user: a log event on the channel (English, and the reader's language beside), else `lvsdr: …` on stderr in the reader's language. */
function note(f: Front, level: 'info' | 'warning' | 'error', text: Msg): void {
  if (f.channel) f.channel.log(level, text, f.locale);
  else {
    f.printer.flush();
    process.stderr.write(`lvsdr: ${printable(inReaderLanguage(text))}\n`);
  }
}

/**
 * The keys known_hosts holds for the host (under its name or address), for the host-key
 * question. The engine asks only when there are none today (a key of another type is refused).
 */
function knownKeys(file: string, host: string, address: string, port: number): Array<{ keyType: string; fingerprint: string }> {
  try {
    const names = [lookupName(host, port), lookupName(address, port)];
    return parseKnownHosts(readKnownHosts(file))
      .filter((e) => !e.marker && names.some((n) => entryMatches(e, n)))
      .map((e) => ({ keyType: e.keyType, fingerprint: fingerprint(e.key) }));
  } catch {
    return [];
  }
}

export function makeUi(a: Args, f: Front, extra: Partial<DeployUi> = {}): DeployUi {
  const { channel } = f;
  return {
    progress: (e) => {
      const { detailWords, ...event } = e;
      const shown = event.detail === undefined ? event : { ...event, detail: printable(event.detail) };
      if (channel) {
        channel.emit({ type: 'progress', ...shown, ...(detailWords && f.locale !== 'en' ? { detailLocalized: printable(localize(detailWords, f.locale)) } : {}) });
      }
      else f.printer.event({ ...shown, detailWords });
    },
    confirmHostKey: async (q) => {
      const key = `${q.host} (${q.address}): ${q.keyType} ${q.fingerprint}`;
      if (a.acceptNew || a.acceptKeys.includes(q.fingerprint)) {
        note(f, 'info', a.acceptNew ? t`accepting the new host key of ${key}, recorded in ${q.knownHosts}` : t`accepting the confirmed host key of ${key}, recorded in ${q.knownHosts}`);
        return true;
      }
      if (channel) {
        const answer = await channel.ask({
          kind: 'host-key', host: q.host, address: q.address, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint,
          knownHosts: q.knownHosts, known: knownKeys(q.knownHosts, q.host, q.address, q.port),
        });
        const ok = answer?.kind === 'host-key' && answer.accept;
        note(f, ok ? 'info' : 'warning', ok ? t`accepting the host key of ${key}, recorded in ${q.knownHosts}` : t`unknown host key of ${key}; refused`);
        return ok;
      }
      note(f, 'warning', a.acceptKeys.length ? t`unknown host key of ${key}; refused (it is not one of the keys given with --accept-key)`
        : t`unknown host key of ${key}; refused (check it, then run again with --accept-new)`);
      return false;
    },
    // A terminal needs --trust-repo-known-hosts; on the event channel the front end shows the
    // file and the keys it vouches for, and answers (VS Code remembers an approval per workspace).
    confirmRepoKnownHosts: async (q) => {
      if (a.trustRepoKnownHosts) {
        note(f, 'warning', t`using ${q.knownHosts}, a known_hosts inside the repository ${q.repository}, for ${q.hosts.join(', ')} (--trust-repo-known-hosts)`);
        return true;
      }
      if (!channel) return false;
      const answer = await channel.ask({
        kind: 'repo-known-hosts', knownHosts: q.knownHosts, repository: q.repository,
        hosts: q.targets.map((h) => ({ ...h, keys: knownKeys(q.knownHosts, h.name, h.address, h.port) })),
      });
      const ok = answer?.kind === 'repo-known-hosts' && answer.accept;
      note(f, ok ? 'warning' : 'info', ok ? t`using ${q.knownHosts}, a known_hosts inside the repository ${q.repository}, for ${q.hosts.join(', ')} (approved in the front end)` : t`${q.knownHosts} (inside the repository ${q.repository}) not approved`);
      return ok;
    },
    // Secret references (SSH passwords, VRRP auth): the environment or the file, as for every
    // other secret of the CLI (LVS_SECRET_NAME, env:NAME, file:PATH), then the front end. On the
    // event channel env: and file: go to the front end, which reads them only once the user
    // approved that reference for the workspace (a cloned repository names them, not the user).
    resolveSecret: async (ref) => {
      const known = (channel ? frontEndResolver : defaultSecretResolver)(ref);
      if (known !== undefined || !channel) return known;
      const answer = await channel.ask({ kind: 'secret', source: ref.source, name: ref.name });
      return answer?.kind === 'secret' ? answer.value ?? undefined : undefined;
    },
    askPassphrase: async (keyFile, host) => {
      if (channel) {
        const answer = await channel.ask({ kind: 'passphrase', keyFile, host });
        return answer?.kind === 'passphrase' ? answer.value || undefined : undefined;
      }
      if (!process.stdin.isTTY) return undefined;
      f.printer.flush();
      return (await ask(inReaderLanguage(t`passphrase for ${keyFile} (${host}): `), true)) || undefined;
    },
    ...extra,
  };
}

function engineOptions(a: Args, ui: DeployUi, signal?: AbortSignal): EngineOptions {
  return {
    ui, signal, concurrency: a.concurrency, journalDir: a.journalDir,
    drainTimeoutMs: a.drainTimeoutS !== undefined ? a.drainTimeoutS * 1000 : undefined,
    confirmTimeoutS: a.confirmTimeoutS, locale: localeFromEnv(process.env),
  };
}

/** `HOST: STEP failed: REASON` (or cancelled) of a deploy that did not complete. */
function failureLine(e: DeployError | CancelledError): Msg {
  const step = STEP_WORDS[e.step];
  if (e instanceof CancelledError) return e.host ? t`${e.host}: ${step} cancelled: ${e.words}` : t`${step} cancelled: ${e.words}`;
  return e.words;
}

type RunError = Omit<NonNullable<ResultEvent['error']>, 'messageLocalized'> & {
  /** The message as words, when the English `message` has them (for `messageLocalized`). */
  words?: Msg;
};

/** The last event of a run on the channel (and the channel closed); returns the exit status. */
function finish(f: Front, result: Omit<ResultEvent, 'v' | 'type' | 'command' | 'error'> & { error?: RunError }): number {
  if (f.channel) {
    let error: ResultEvent['error'];
    if (result.error) {
      const { words, ...rest } = result.error;
      error = { ...rest, message: printable(rest.message), ...(words ? printableTwin('messageLocalized', words, f.locale) : {}) };
    }
    f.channel.emit({ type: 'result', command: f.cmd, ...result, error });
    f.channel.close();
  }
  return result.exitCode;
}

function report(cmd: Command, e: unknown, f?: Front): number {
  f?.printer.flush();
  let words: Msg;
  let code = 1;
  if (e instanceof UsageError) {
    usageError(SPECS[cmd], e.msg);
    words = e.msg;
    code = 2;
  } else if (e instanceof GenerateRefusedError) {
    for (const x of e.errors) process.stderr.write(`${e.sourceName}:${x.line}:${x.column} error ${x.code} ${inReaderLanguage(x.msg)}\n`);
    process.stderr.write(`lvsdr ${cmd}: ${inReaderLanguage(t`the file has errors; nothing was contacted`)}\n`);
    const first = e.errors[0];
    words = first ? t`${e.sourceName} has errors (${first.line}:${first.column} ${first.code} ${first.msg}); nothing was contacted` : t`${e.sourceName} has errors; nothing was contacted`;
  } else {
    words = wordsOf(e);
    process.stderr.write(`lvsdr ${cmd}: ${printable(inReaderLanguage(words))}\n`);
  }
  if (!f) return code;
  const at = e instanceof DeployError || e instanceof CancelledError ? { host: e.host, step: e.step } : {};
  const message = e instanceof UsageError || !(e instanceof Error) || e instanceof GenerateRefusedError ? english(words) : e.message;
  return finish(f, { outcome: 'failed', exitCode: code, hosts: [], error: { ...at, message, words } });
}

async function prepare(cmd: Command, argv: string[]): Promise<{ a: Args; kind: 'lab' | 'hosts'; delegated?: number } | number> {
  const a = parseDeployArgs(cmd, argv);
  if (typeof a === 'number') return a;
  const kind = chooseTarget(a);
  if (kind === 'lab') {
    const code = await runInsideLab([cmd, ...argv, ...(a.target ? [] : ['--target', 'lab'])]);
    if (code !== undefined) return { a, kind, delegated: code };
  }
  return { a, kind };
}

/**
 * On the event channel: only `secret:NAME` from the environment (LVS_SECRET_NAME); `env:` and
 * `file:` references are asked on the channel, never read here.
 */
const frontEndResolver: SecretResolver = (ref) => (ref.source === 'secret' ? defaultSecretResolver(ref) : undefined);

async function resolveFor(a: Args, kind: 'lab' | 'hosts', f: Front, ui: DeployUi, hostsOnly = false): Promise<ClusterTarget> {
  const target = await resolveTarget({
    file: a.file, cluster: a.cluster, target: kind, identity: a.identity, knownHosts: a.knownHosts,
    secrets: f.channel ? frontEndResolver : undefined,
    skipOsCheck: a.skipOsCheck, hostsOnly, ui,
  });
  f.channel?.emit({
    type: 'begin', command: f.cmd, cluster: target.cluster, target: target.kind,
    hosts: target.hosts.map((h) => ({ name: h.name, role: h.role, address: h.address })),
  });
  return target;
}

export async function planCommand(args: string[]): Promise<number> {
  let f: Front | undefined;
  try {
    const many = await runForDirectory(PLAN, args, planCommand);
    if (many !== undefined) return many;
    const prepared = await prepare('plan', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    f = frontFor('plan', a);
    const ui = makeUi(a, f);
    const target = await resolveFor(a, kind, f, ui);
    const plan = await planDeploy(target, engineOptions(a, ui));
    f.printer.flush();
    const json = planToJson(plan);
    if (a.json && !f.channel) process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    else printPlan(plan, f.human);
    return finish(f, {
      outcome: plan.changed ? 'changes' : 'no-change', exitCode: plan.changed ? 3 : 0,
      hosts: plan.hosts.map((h) => ({ name: h.host.name, outcome: h.changed ? 'changes' : 'unchanged' })), plan: json,
    });
  } catch (e) {
    return report('plan', e, f);
  }
}

export async function deployCommand(args: string[]): Promise<number> {
  let a: Args;
  try {
    const parsed = parseDeployArgs('deploy', args);
    if (typeof parsed === 'number') return parsed;
    a = parsed;
    if (a.explainSsh !== undefined) {
      process.stdout.write(explainSshText({ file: a.file, host: a.explainSsh, cluster: a.cluster, identity: a.identity, knownHosts: a.knownHosts, target: a.target }).map((l) => `${printable(l)}\n`).join(''));
      return 0;
    }
  } catch (e) {
    return report('deploy', e);
  }
  const interactive = !!process.stdin.isTTY && !!process.stderr.isTTY;
  if (!a.yes && !a.planId && (!interactive || a.events)) {
    process.stderr.write(`lvsdr deploy: ${inReaderLanguage(a.events ? t`refusing to deploy without --yes with --events` : t`refusing to deploy without --yes when there is no terminal to confirm the plan`)}\n`);
    return 2;
  }
  let f: Front | undefined;
  try {
    const prepared = await prepare('deploy', args);
    if (typeof prepared === 'number') return prepared;
    const { kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    const front = (f = frontFor('deploy', a));
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = () => {
      interrupts++;
      front.printer.flush();
      if (interrupts === 1) {
        process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`cancelling: hosts changed so far are being rolled back (Ctrl-C twice more to abandon the rollback)`)}\n`);
        controller.abort();
      } else if (interrupts === 2) {
        process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`a rollback is running; one more Ctrl-C leaves the hosts half-rolled-back`)}\n`);
      } else {
        process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`abandoned; see the journal and the backups in ${BACKUP_ROOT} on the hosts`)}\n`);
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // Parent gone (terminal closed, VS Code window closed, reader of a pipe dead): cancel and
    // roll back as for a first Ctrl-C; the journal records why, the dead pipe gets nothing more.
    const stopWatching = watchParent((why) => {
      interrupts = Math.max(interrupts, 1);
      controller.abort(`the process that started lvsdr went away (${why}); rolled back`);
    }, front.channel);
    try {
      let planMismatch: Msg | undefined;
      const ui = makeUi(a, front, a.planId ? {
        // Deploy exactly the plan the user saw: refuse when the plan under the locks differs.
        confirmPlan: async (plan) => {
          const id = planId(plan.hosts);
          if (id === a.planId) return true;
          const words = t`the plan changed since it was shown (plan id ${id}, expected ${a.planId ?? ''}): the hosts or the file changed meanwhile; nothing was written`;
          planMismatch = words;
          note(front, 'error', words);
          return false;
        },
      } : a.yes ? {} : {
        confirmPlan: async (plan) => {
          front.printer.flush();
          printPlan(plan, process.stderr);
          const answer = await ask(applyQuestion(plan));
          return /^y(es)?$/i.test(answer.trim());
        },
      });
      const target = await resolveFor(a, kind, front, ui);
      const probe = a.probe ?? kind === 'lab';
      const r = await deploy(target, { ...engineOptions(a, ui, controller.signal), probe });
      front.printer.flush();
      if (r.plan && a.yes) printDiffs(r.plan, front.human);
      summary(r.journal, r.journalFile, front.human, r.error && r.journal.error?.message === r.error.message ? wordsOf(r.error) : undefined);
      const hosts = r.journal.hosts.map((h) => ({ name: h.name, outcome: h.outcome }));
      const outcome = r.journal.outcome === 'running' ? 'failed' : r.journal.outcome;
      if (r.error) {
        process.stderr.write(`lvsdr deploy: ${printable(inReaderLanguage(failureLine(r.error)))}\n`);
        if (r.journal.rolledBack?.length) process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`rolled back: ${listMsgs(r.journal.rolledBack)}`)}\n`);
        const failed = r.journal.hosts.filter((h) => h.outcome === 'rollback-failed');
        if (failed.length) process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`ROLLBACK FAILED on ${listMsgs(failed.map((h) => h.name))}: the backups stay on those hosts in ${BACKUP_ROOT}/${r.journal.id}`)}\n`);
        const code = r.error instanceof CancelledError ? 130 : 1;
        return finish(front, { outcome, exitCode: code, journal: r.journalFile, hosts, error: { host: r.error.host, step: r.error.step, message: r.error.message, words: failureLine(r.error) } });
      }
      if (r.journal.outcome === 'cancelled') {
        const code = planMismatch ? 1 : 130;
        const why = planMismatch ?? t`the plan was declined`;
        return finish(front, { outcome, exitCode: code, journal: r.journalFile, hosts, error: { step: 'plan', message: english(why), words: why } });
      }
      if (r.journal.probe && !r.journal.probe.ok) {
        process.stderr.write(`lvsdr deploy: ${inReaderLanguage(t`deployed, but the probe through the VIP failed`)}\n`);
        const why = t`deployed, but the probe through the VIP failed: ${r.journal.probe.detail}`;
        return finish(front, { outcome: 'failed', exitCode: 1, journal: r.journalFile, hosts, error: { step: 'probe', message: english(why), words: why } });
      }
      return finish(front, { outcome, exitCode: 0, journal: r.journalFile, hosts });
    } finally {
      stopWatching();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (e) {
    return report('deploy', e, f);
  }
}

export async function rollbackCommand(args: string[]): Promise<number> {
  let f: Front | undefined;
  try {
    const prepared = await prepare('rollback', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    f = frontFor('rollback', a);
    // A rollback is never cancelled by its parent going away: it goes on, writing to the journal.
    watchParent(() => undefined, f.channel);
    const ui = makeUi(a, f);
    const target = await resolveFor(a, kind, f, ui, true);
    const r = await rollbackLast(target, { ...engineOptions(a, ui), force: a.force, deployId: a.deployId });
    f.printer.flush();
    if (r.journalFile) summary(r.journal, r.journalFile, f.human, r.error && r.journal.error?.message === r.error.message ? wordsOf(r.error) : undefined);
    const hosts = r.journal.hosts.map((h) => ({ name: h.name, outcome: h.outcome }));
    if (r.error) {
      process.stderr.write(`lvsdr rollback: ${printable(inReaderLanguage(wordsOf(r.error)))}\n`);
      return finish(f, { outcome: 'failed', exitCode: 1, journal: r.journalFile, hosts, error: { host: r.error.host, step: r.error.step, message: r.error.message, words: wordsOf(r.error) } });
    }
    f.human.write(`${inReaderLanguage(t`rolled back deploy ${r.of!.id}`)}\n`);
    return finish(f, { outcome: 'rolled-back', exitCode: 0, journal: r.journalFile, hosts });
  } catch (e) {
    return report('rollback', e, f);
  }
}

export async function driftCommand(args: string[]): Promise<number> {
  let f: Front | undefined;
  try {
    const many = await runForDirectory(DRIFT, args, driftCommand);
    if (many !== undefined) return many;
    const prepared = await prepare('drift', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    f = frontFor('drift', a);
    const ui = makeUi(a, f);
    const target = await resolveFor(a, kind, f, ui);
    const r = await drift(target, engineOptions(a, ui));
    // Runtime drift: one read of the running cluster, checked against the file (LVS5xx).
    const live = new LiveStatus(target, { ui, locale: localeFromEnv(process.env) });
    let runtime: LiveFinding[];
    try {
      runtime = (await live.refresh()).findings;
    } finally {
      live.close();
    }
    const inSync = r.inSync && runtime.length === 0;
    f.printer.flush();
    if (a.json && !f.channel) {
      process.stdout.write(JSON.stringify({ ...r, inSync, filesInSync: r.inSync, runtime }, null, 2) + '\n');
    } else {
      const out = f.human;
      // Text for a person, in the reader's language; file states and severities stay as the JSON has them.
      const say = inReaderLanguage;
      out.write(say(r.deployId ? t`drift of cluster ${target.cluster} (${target.kind}) against ${target.file} (last deploy ${r.deployId})`
        : t`drift of cluster ${target.cluster} (${target.kind}) against ${target.file}`) + '\n');
      for (const h of r.hosts) {
        const bad = h.files.filter((x) => x.status !== 'in-sync');
        out.write(`  ${h.name.padEnd(12)} ${say(bad.length ? t`${bad.length} of ${h.files.length} files differ` : t`in sync`)}\n`);
        for (const x of bad) {
          const cause = x.cause === 'host' ? t`changed on the host since the last deploy`
            : x.cause === 'file' ? t`the .lvs file changed since the last deploy (not deployed yet)` : t`not deployed by a recorded deploy`;
          out.write(`    ${x.status.padEnd(8)} ${x.path}  ${say(t`(${cause})`)}\n`);
        }
      }
      out.write(say(runtime.length ? t`runtime:` : t`runtime: as the file says`) + '\n');
      for (const x of runtime) out.write(`  ${x.severity.padEnd(11)} ${x.code} ${x.host ? `${x.host}: ` : ''}${printable(x.messageLocalized ?? x.message)}\n`);
      out.write(say(inSync ? t`in sync` : r.inSync ? t`DRIFT (runtime)` : runtime.length ? t`DRIFT (files and runtime)` : t`DRIFT (files)`) + '\n');
    }
    return finish(f, {
      outcome: inSync ? 'in-sync' : 'drift', exitCode: inSync ? 0 : 3,
      hosts: r.hosts.map((h) => ({ name: h.name, outcome: h.files.every((x) => x.status === 'in-sync') && !runtime.some((x) => x.host === h.name) ? 'in-sync' : 'drift' })),
      drift: {
        inSync, deployId: r.deployId,
        hosts: r.hosts.map((h) => ({ name: h.name, files: h.files.map((x) => ({ path: x.path, status: x.status, cause: x.cause })) })),
        runtime,
      },
    });
  } catch (e) {
    return report('drift', e, f);
  }
}

/** `lvsdr unlock` (unlock.ts), in this bundle, entering the lab as the other commands do. */
export function unlockCommand(args: string[]): Promise<number> {
  return runUnlock(args, runInsideLab);
}
