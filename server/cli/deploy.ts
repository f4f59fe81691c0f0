// `lvsdr plan | deploy | rollback | drift FILE`: the deploy engine (server/deploy/) from a
// terminal or a script. Progress goes to stderr (overwritten lines on a terminal, plain lines
// otherwise); plans, diffs and summaries go to stdout.
//   plan      exit 0 no change, 3 changes, 1 error, 2 usage
//   deploy    exit 0 deployed (or nothing to do), 1 failed (rolled back), 130 cancelled, 2 usage
//   rollback  exit 0 rolled back, 1 error, 2 usage
//   drift     exit 0 in sync, 3 drift, 1 error, 2 usage
// `--target lab` runs the deploy from the lab's client namespace (re-executing itself there
// with `ip netns exec` when started elsewhere), the only place that reaches the lab.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import { defaultSecretResolver, GenerateError, GenerateRefusedError } from '../generate';
import { readState, stateDir } from '../lab';
import { ConnectError } from '../deploy/connection';
import { deploy, planDeploy } from '../deploy/engine';
import { drift } from '../deploy/drift';
import { CancelledError, DeployError, GuardError } from '../deploy/errors';
import { Journal } from '../deploy/journal';
import { planToJson } from '../deploy/plan-json';
import { planId } from '../deploy/plan';
import { inNamespace, labClientNamespace } from '../deploy/lab-namespace';
import { ProgressPrinter } from '../deploy/progress-text';
import { rollbackLast } from '../deploy/rollback';
import { resolveTarget } from '../deploy/targets';
import { ClusterTarget, DeployUi, EngineOptions, PlanResult } from '../deploy/types';
import { OptionSpecs, OptionValues, parseCommand, requireUsage, usageLine, UsageError } from './args';
import { DEPLOY, DRIFT, PLAN, ROLLBACK } from './commands';

type Command = 'plan' | 'deploy' | 'rollback' | 'drift';

const SPECS = { plan: PLAN, deploy: DEPLOY, rollback: ROLLBACK, drift: DRIFT };

interface Args {
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
  journalDir?: string;
  identity?: string;
  knownHosts?: string;
  skipOsCheck: boolean;
  force: boolean;
  json: boolean;
  planId?: string;
}

/** The command's arguments, or the exit status when it stops here (help, usage error). */
function parseDeployArgs(cmd: Command, argv: string[]): Args | number {
  const parsed = parseCommand<OptionSpecs>(SPECS[cmd], argv);
  if (typeof parsed === 'number') return parsed;
  // Every option of the four commands, absent where a command does not declare it.
  const v = parsed.values as OptionValues<typeof DEPLOY['options'] & typeof PLAN['options'] & typeof ROLLBACK['options']>;
  const t = v.target;
  requireUsage(t === undefined || t === 'lab' || t === 'hosts', `--target is 'lab' or 'hosts', not '${t}'`);
  const acceptKeys = v['accept-key'] ?? [];
  for (const fp of acceptKeys) {
    requireUsage(/^SHA256:[A-Za-z0-9+/]{43}$/.test(fp), `--accept-key takes a fingerprint as ssh-keygen -l prints it (SHA256:…), not '${fp}'`);
  }
  let concurrency: number | undefined;
  if (v.concurrency !== undefined) {
    concurrency = Number(v.concurrency);
    requireUsage(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64, '--concurrency is a whole number from 1 to 64');
  }
  let drainTimeoutS: number | undefined;
  if (v['drain-timeout'] !== undefined) {
    drainTimeoutS = Number(v['drain-timeout']);
    requireUsage(Number.isFinite(drainTimeoutS) && drainTimeoutS >= 0, '--drain-timeout is a number of seconds');
  }
  requireUsage(!(v.probe && v['no-probe']), '--probe and --no-probe exclude each other');
  requireUsage(v['plan-id'] === undefined || /^[0-9a-f]{16}$/.test(v['plan-id']), '--plan-id is the 16-hex-digit planId of `lvsdr plan --json`');
  requireUsage(parsed.positionals.length === 1, parsed.positionals.length ? 'exactly one FILE' : 'FILE is missing');
  return {
    file: parsed.positionals[0], target: t, cluster: v.cluster, yes: v.yes ?? false, acceptNew: v['accept-new'] ?? false, acceptKeys,
    concurrency, probe: v.probe ? true : v['no-probe'] ? false : undefined, drainTimeoutS, journalDir: v['journal-dir'],
    identity: v.identity, knownHosts: v['known-hosts'], skipOsCheck: v['skip-os-check'] ?? false, force: v.force ?? false,
    json: v.json ?? false, planId: v['plan-id'],
  };
}

/** The target: as given, else the lab when a lab built from this very file is up, else the hosts. */
function chooseTarget(a: Args): 'lab' | 'hosts' {
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
async function runInsideLab(argv: string[]): Promise<number | undefined> {
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
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    child.on('error', (e) => {
      process.stderr.write(`lvsdr: cannot enter the lab's client namespace ${ns}: ${e.message}\n`);
      res(1);
    });
    child.on('close', (code, signal) => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      res(code ?? (signal === 'SIGINT' ? 130 : 1));
    });
  });
}

function ask(question: string, hidden = false): Promise<string> {
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

function makeUi(a: Args, printer: ProgressPrinter, extra: Partial<DeployUi> = {}): DeployUi {
  return {
    progress: (e) => printer.event(e),
    confirmHostKey: async (q) => {
      printer.flush();
      if (a.acceptNew) {
        process.stderr.write(`lvsdr: accepting the new host key of ${q.host} (${q.address}): ${q.keyType} ${q.fingerprint}, recorded in ${q.knownHosts}\n`);
        return true;
      }
      if (a.acceptKeys.includes(q.fingerprint)) {
        process.stderr.write(`lvsdr: accepting the confirmed host key of ${q.host} (${q.address}): ${q.keyType} ${q.fingerprint}, recorded in ${q.knownHosts}\n`);
        return true;
      }
      const why = a.acceptKeys.length ? 'it is not one of the keys given with --accept-key' : 'check it, then run again with --accept-new';
      process.stderr.write(`lvsdr: unknown host key of ${q.host} (${q.address}): ${q.keyType} ${q.fingerprint}; refused (${why})\n`);
      return false;
    },
    // SSH password references (`password secret:NAME`): the environment or the file, as for
    // every other secret of the CLI (LVS_SECRET_NAME, env:NAME, file:PATH).
    resolveSecret: async (ref) => defaultSecretResolver(ref),
    askPassphrase: async (keyFile, host) => {
      if (!process.stdin.isTTY) return undefined;
      printer.flush();
      return (await ask(`passphrase for ${keyFile} (${host}): `, true)) || undefined;
    },
    ...extra,
  };
}

function engineOptions(a: Args, ui: DeployUi, signal?: AbortSignal): EngineOptions {
  return {
    ui, signal, concurrency: a.concurrency, journalDir: a.journalDir,
    drainTimeoutMs: a.drainTimeoutS !== undefined ? a.drainTimeoutS * 1000 : undefined,
  };
}

function report(cmd: Command, e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`lvsdr ${cmd}: ${e.message}\n${usageLine(SPECS[cmd])}`);
    return 2;
  }
  if (e instanceof GenerateRefusedError) {
    for (const f of e.errors) process.stderr.write(`${e.sourceName}:${f.line}:${f.column} error ${f.code} ${f.message}\n`);
    process.stderr.write(`lvsdr ${cmd}: the file has errors; nothing was contacted\n`);
    return 1;
  }
  if (e instanceof GuardError || e instanceof GenerateError) {
    process.stderr.write(`lvsdr ${cmd}: ${e.message}\n`);
    return 1;
  }
  if (e instanceof DeployError) {
    process.stderr.write(`lvsdr ${cmd}: ${e.message}\n`);
    return 1;
  }
  if (e instanceof ConnectError) {
    process.stderr.write(`lvsdr ${cmd}: ${e.message}\n`);
    return 1;
  }
  process.stderr.write(`lvsdr ${cmd}: ${e instanceof Error ? e.message : String(e)}\n`);
  return 1;
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

function resolveFor(a: Args, kind: 'lab' | 'hosts', hostsOnly = false): Promise<ClusterTarget> {
  return resolveTarget({
    file: a.file, cluster: a.cluster, target: kind, identity: a.identity, knownHosts: a.knownHosts,
    skipOsCheck: a.skipOsCheck, hostsOnly,
  });
}

function printPlan(plan: PlanResult, out: NodeJS.WritableStream): void {
  const t = plan.target;
  out.write(`plan for cluster ${t.cluster} (${t.kind === 'lab' ? `lab ${t.labId}` : 'hosts'}) from ${t.file}\n`);
  for (const p of plan.hosts) {
    const n = (k: string) => p.files.filter((f) => f.action === k).length;
    out.write(`  ${p.host.name.padEnd(12)} ${p.host.role.padEnd(7)} ${p.host.address.padEnd(15)} ` +
      (p.changed ? `${n('add')} added, ${n('change')} changed, ${n('unchanged')} unchanged${n('remove') ? `, ${n('remove')} removed` : ''}` : 'no change') + '\n');
  }
  for (const w of plan.warnings) out.write(`  warning: ${w}\n`);
  for (const [host, diff] of plan.diffs) {
    out.write(`\n# ${host}\n${diff}`);
    if (!diff.endsWith('\n')) out.write('\n');
  }
  out.write(plan.changed ? `\n${[...plan.diffs.keys()].length} host(s) to change\n` : '\nno changes: every host already has these files\n');
}

export async function planCommand(args: string[]): Promise<number> {
  try {
    const prepared = await prepare('plan', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    const printer = new ProgressPrinter(process.stderr);
    const target = await resolveFor(a, kind);
    const plan = await planDeploy(target, engineOptions(a, makeUi(a, printer)));
    printer.flush();
    if (a.json) process.stdout.write(JSON.stringify(planToJson(plan), null, 2) + '\n');
    else printPlan(plan, process.stdout);
    return plan.changed ? 3 : 0;
  } catch (e) {
    return report('plan', e);
  }
}

function summary(j: Journal, file: string, out: NodeJS.WritableStream): void {
  out.write(`\n${j.kind} ${j.id}: ${j.outcome}${j.durationMs !== undefined ? ` in ${(j.durationMs / 1000).toFixed(1)} s` : ''}\n`);
  for (const h of j.hosts) out.write(`  ${h.name.padEnd(12)} ${h.outcome}\n`);
  if (j.error) out.write(`  error: ${j.error.message}\n`);
  if (j.rolledBack?.length) out.write(`  rolled back: ${j.rolledBack.join(', ')}\n`);
  if (j.probe) out.write(`  probe: ${j.probe.ok ? 'ok' : 'FAILED'}: ${j.probe.detail}; answered by ${j.probe.answeredBy.join(', ') || 'nobody'}\n`);
  out.write(`  journal: ${file}\n`);
}

export async function deployCommand(args: string[]): Promise<number> {
  let a: Args;
  try {
    const parsed = parseDeployArgs('deploy', args);
    if (typeof parsed === 'number') return parsed;
    a = parsed;
  } catch (e) {
    return report('deploy', e);
  }
  const interactive = !!process.stdin.isTTY && !!process.stderr.isTTY;
  if (!a.yes && !a.planId && !interactive) {
    process.stderr.write('lvsdr deploy: refusing to deploy without --yes when there is no terminal to confirm the plan\n');
    return 2;
  }
  try {
    const prepared = await prepare('deploy', args);
    if (typeof prepared === 'number') return prepared;
    const { kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    const printer = new ProgressPrinter(process.stderr);
    const controller = new AbortController();
    let interrupts = 0;
    const onSignal = () => {
      interrupts++;
      printer.flush();
      if (interrupts === 1) {
        process.stderr.write('lvsdr deploy: cancelling: hosts changed so far are being rolled back (Ctrl-C twice more to abandon the rollback)\n');
        controller.abort();
      } else if (interrupts === 2) {
        process.stderr.write('lvsdr deploy: a rollback is running; one more Ctrl-C leaves the hosts half-rolled-back\n');
      } else {
        process.stderr.write('lvsdr deploy: abandoned; see the journal and the backups in /var/lib/lvs-dr/backup on the hosts\n');
        process.exit(130);
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      const target = await resolveFor(a, kind);
      let planMismatch = false;
      const ui = makeUi(a, printer, a.planId ? {
        // Deploy exactly the plan the user saw: refuse when the plan under the locks differs.
        confirmPlan: async (plan) => {
          const id = planId(plan.hosts);
          if (id === a.planId) return true;
          planMismatch = true;
          printer.flush();
          process.stderr.write(`lvsdr deploy: the plan changed since it was shown (plan id ${id}, expected ${a.planId}): the hosts or the file changed meanwhile; nothing was written\n`);
          return false;
        },
      } : a.yes ? {} : {
        confirmPlan: async (plan) => {
          printer.flush();
          printPlan(plan, process.stderr);
          const answer = await ask(`apply this plan to ${plan.diffs.size} host(s)? [y/N] `);
          return /^y(es)?$/i.test(answer.trim());
        },
      });
      const probe = a.probe ?? kind === 'lab';
      const r = await deploy(target, { ...engineOptions(a, ui, controller.signal), probe });
      printer.flush();
      if (r.plan && a.yes) {
        for (const [host, diff] of r.plan.diffs) process.stdout.write(`\n# ${host}\n${diff}`);
      }
      summary(r.journal, r.journalFile, process.stdout);
      if (r.error) {
        process.stderr.write(`lvsdr deploy: ${r.error instanceof DeployError && r.error.host ? `${r.error.host}: ${r.error.step}` : r.error.step} ${r.error instanceof CancelledError ? 'cancelled' : 'failed'}: ` +
          `${r.error instanceof DeployError ? r.error.reason : r.error.message}\n`);
        if (r.journal.rolledBack?.length) process.stderr.write(`lvsdr deploy: rolled back: ${r.journal.rolledBack.join(', ')}\n`);
        const failed = r.journal.hosts.filter((h) => h.outcome === 'rollback-failed');
        if (failed.length) process.stderr.write(`lvsdr deploy: ROLLBACK FAILED on ${failed.map((h) => h.name).join(', ')}: the backups stay on those hosts in /var/lib/lvs-dr/backup/${r.journal.id}\n`);
        return r.error instanceof CancelledError ? 130 : 1;
      }
      if (r.journal.outcome === 'cancelled') return planMismatch ? 1 : 130;
      if (r.journal.probe && !r.journal.probe.ok) {
        process.stderr.write('lvsdr deploy: deployed, but the probe through the VIP failed\n');
        return 1;
      }
      return 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  } catch (e) {
    return report('deploy', e);
  }
}

export async function rollbackCommand(args: string[]): Promise<number> {
  try {
    const prepared = await prepare('rollback', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    const printer = new ProgressPrinter(process.stderr);
    const target = await resolveFor(a, kind, true);
    const r = await rollbackLast(target, { ...engineOptions(a, makeUi(a, printer)), force: a.force });
    printer.flush();
    if (r.journalFile) summary(r.journal, r.journalFile, process.stdout);
    if (r.error) {
      process.stderr.write(`lvsdr rollback: ${r.error.message}\n`);
      return 1;
    }
    process.stdout.write(`rolled back deploy ${r.of!.id}\n`);
    return 0;
  } catch (e) {
    return report('rollback', e);
  }
}

export async function driftCommand(args: string[]): Promise<number> {
  try {
    const prepared = await prepare('drift', args);
    if (typeof prepared === 'number') return prepared;
    const { a, kind, delegated } = prepared;
    if (delegated !== undefined) return delegated;
    const printer = new ProgressPrinter(process.stderr);
    const target = await resolveFor(a, kind);
    const r = await drift(target, engineOptions(a, makeUi(a, printer)));
    printer.flush();
    if (a.json) {
      process.stdout.write(JSON.stringify(r, null, 2) + '\n');
    } else {
      process.stdout.write(`drift of cluster ${target.cluster} (${target.kind}) against ${target.file}${r.deployId ? ` (last deploy ${r.deployId})` : ''}\n`);
      for (const h of r.hosts) {
        const bad = h.files.filter((f) => f.status !== 'in-sync');
        process.stdout.write(`  ${h.name.padEnd(12)} ${bad.length ? `${bad.length} of ${h.files.length} files differ` : 'in sync'}\n`);
        for (const f of bad) {
          const cause = f.cause === 'host' ? 'changed on the host since the last deploy'
            : f.cause === 'file' ? 'the .lvs file changed since the last deploy (not deployed yet)' : 'not deployed by a recorded deploy';
          process.stdout.write(`    ${f.status.padEnd(8)} ${f.path}  (${cause})\n`);
        }
      }
      process.stdout.write(r.inSync ? 'in sync\n' : 'DRIFT\n');
    }
    return r.inSync ? 0 : 3;
  } catch (e) {
    return report('drift', e);
  }
}
