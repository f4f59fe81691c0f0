// The deploy engine: plan and deploy one cluster (docs/deploy.md).
//   resolve (targets.ts) → guard (nothing hostile reaches a shell) → connect + preflight every
//   host → lock every host (address order) → read the current files → plan (diff) →
//   [deploy] drain removed real servers → real servers (parallel, bounded) → backup
//   director → master → optional HTTP probe through the VIP → unlock → journal.
// Any failure or cancellation after the first change rolls back every host changed in this
// run, in reverse order, and undoes the drains; the error names the host and the step.
import { readFileSync } from 'node:fs';
import { discardBackupScript, pruneScript, restoreHost } from './backup';

/** Backups kept on each host after a successful deploy. */
export const KEEP_BACKUPS = 5;
import { hostDiff, masker } from './diff';
import { activeConnections, DrainItem, drainsFor, setWeights } from './drain';
import { CancelledError, DeployError, wordsOf } from './errors';
import { timeoutProblems } from './dead-man-switch';
import { assertNoProblems, guardTarget } from './guard';
import { applyHost, HostProgress } from './host-apply';
import { rollbackHost } from './host-rollback';
import { Journal, JournalHost, journalDirFor, newDeployId, sourceHash, writeJournal } from './journal';
import { applyStages, boundedEach } from './order';
import { GeneratedFile } from '../generate';
import { OWNED_RECORD, ownedRecordFile, parseOwnedRecord } from './owned-record';
import { OwnedFiles, pathsToRead, planHost, summarize } from './plan';
import { awaitMasterTakeover } from './master-takeover';
import { probe, probeWords } from './probe';
import { readRemote, RemoteSnapshot } from './remote-files';
import { BACKUP_ROOT } from './remote';
import { checkClusterAddresses, checkSelfAddresses } from './self-address-guard';
import { thisRunner } from '../shared/run-liveness';
import { DEFAULTS, Session } from './session';
import { Armed, awaitSwitch, confirmTimeout, settleSwitch, switchHooks } from './switch-hooks';
import { ClusterTarget, EngineOptions, HostPlan, HostTarget, PlanResult } from './types';
import { settleMaster } from './vrrp-bridge';
import { holdBackups, prepareVrrpRollback, releaseBackups, VrrpChange, vrrpChangeOf, vrrpStages } from './vrrp-change-order';
import { english, joinMsgs, listMsgs, t } from '../shared/l10n/message';

export interface DeployResult {
  journal: Journal;
  journalFile: string;
  plan?: PlanResult;
  error?: DeployError | CancelledError;
}

function newJournal(target: ClusterTarget, id: string, kind: Journal['kind']): Journal {
  let text = '';
  try {
    text = readFileSync(target.file, 'utf8');
  } catch { /* hashed as empty */ }
  return {
    version: 1, kind, id, tool: 'lvs-dr-studio', source: target.file, sourceSha256: sourceHash(text),
    cluster: target.cluster, target: target.kind, labId: target.labId,
    startedAt: new Date().toISOString(), outcome: 'running', hosts: [], runner: thisRunner(),
  };
}

function journalHost(s: Session, name: string): JournalHost {
  let h = s.journalHosts.get(name);
  if (!h) {
    const ht = s.target.hosts.find((x) => x.name === name)!;
    h = { name, address: ht.address, role: ht.role, changed: false, hadApply: false, outcome: 'not-reached', files: [], steps: [] };
    s.journalHosts.set(name, h);
  }
  return h;
}

/**
 * Reads one host: the generated files and the host's record of what it owns (owned-record.ts),
 * then the files that record names and the file no longer generates (a second read, only when
 * there are such files). Journals in the workspace play no part in what may be removed.
 */
async function readHost(s: Session, h: HostTarget, gen: GeneratedFile[]): Promise<{ snap: RemoteSnapshot; owned: OwnedFiles }> {
  const first = await readRemote(s.remote(h.name), gen.map((g) => g.path), h.role !== 'server', s.commandTimeout);
  const record = first.files.find((f) => f.path === OWNED_RECORD);
  const owned = record?.state === 'present' ? parseOwnedRecord(record.content!.toString('utf8')) : new Map<string, string>();
  const extra = pathsToRead([], owned).filter((p) => !gen.some((g) => g.path === p));
  if (extra.length === 0) return { snap: first, owned };
  const more = await readRemote(s.remote(h.name), extra, false, s.commandTimeout);
  return { snap: { files: [...first.files, ...more.files], ipvs: first.ipvs }, owned };
}

/** Reads every host and computes its plan (the session is connected, preflighted, maybe locked). */
async function readAndPlan(s: Session): Promise<PlanResult> {
  const tg = s.target;
  const hosts: HostPlan[] = new Array(tg.hosts.length);
  await boundedEach(tg.hosts.map((h, i) => ({ h, i })), 8, async ({ h, i }) => {
    const generated = tg.files.filter((f) => f.host === h.name);
    const gen = [...generated, ownedRecordFile(h.name, generated)];
    const { snap, owned } = await s.step(h.name, 'read', () => readHost(s, h, gen),
      (x) => t`${x.snap.files.filter((f) => f.state === 'present').length} of ${x.snap.files.length} present`);
    hosts[i] = await s.step(h.name, 'plan', async () => planHost(h, gen, snap, owned), (p) => summarize(p));
    for (const w of hosts[i].warnings) s.info(h.name, 'plan', w);
  });
  const mask = masker(tg.secretValues);
  const diffs = new Map<string, string>();
  for (const p of hosts) if (p.changed) diffs.set(p.host.name, hostDiff(p, mask, s.opts.locale));
  return { target: tg, hosts, changed: hosts.some((p) => p.changed), diffs, warnings: hosts.flatMap((p) => p.warnings.map((w) => joinMsgs([p.host.name, w], ': '))) };
}

function recordPlan(s: Session, plan: PlanResult): void {
  for (const p of plan.hosts) {
    const jh = journalHost(s, p.host.name);
    jh.changed = p.changed;
    jh.hadApply = p.hadApply;
    jh.outcome = p.changed ? 'not-reached' : 'unchanged';
    jh.warnings = p.warnings.length ? p.warnings.map(english) : undefined;
    jh.files = p.files.map((f) => ({ path: f.path, action: f.action, before: f.before, after: f.after }));
  }
}

/** `lvsdr plan`: connect, read, diff; nothing is written and no lock is taken. */
export async function planDeploy(target: ClusterTarget, opts: EngineOptions = {}): Promise<PlanResult> {
  guardTarget(target);
  if (!opts.skipSelfAddressCheck) checkClusterAddresses(target);
  const s = new Session(target, opts, newDeployId());
  try {
    await s.connectAll(target.hosts);
    await selfAddressCheck(s);
    return await readAndPlan(s);
  } finally {
    s.closeAll();
  }
}

/** `lvsdr deploy`. Never throws for a failed deploy: the result carries the error and the journal. */
export async function deploy(target: ClusterTarget, opts: EngineOptions = {}): Promise<DeployResult> {
  guardTarget(target);
  assertNoProblems(timeoutProblems(confirmTimeout(opts)));
  if (!opts.skipSelfAddressCheck) checkClusterAddresses(target);
  const id = newDeployId();
  const s = new Session(target, opts, id);
  const journal = newJournal(target, id, 'deploy');
  const dir = journalDirFor(target.file, opts.journalDir);
  for (const h of target.hosts) journalHost(s, h.name);
  const flush = () => {
    journal.hosts = target.hosts.map((h) => journalHost(s, h.name));
    journal.steps = s.clusterSteps.length ? s.clusterSteps : undefined;
    journal.log = s.log;
    return writeJournal(dir, journal);
  };
  const journalFile = flush();
  const t0 = Date.now();
  const progress = new Map<string, HostProgress>();
  let seq = 0;
  let drains: DrainItem[] = [];
  let drained = false;
  const switches = new Map<string, Armed>();
  let plan: PlanResult | undefined;
  let error: DeployError | CancelledError | undefined;
  /** Backup directors whose keepalived is held for a VRRP parameter change (vrrp-change-order.ts). */
  const held: string[] = [];
  let vrrp: VrrpChange | undefined;

  try {
    await s.connectAll(target.hosts);
    await selfAddressCheck(s);
    await s.lockAll(target.hosts);
    s.checkCancel(undefined, 'read');
    plan = await readAndPlan(s);
    recordPlan(s, plan);
    flush();
    if (!plan.changed) {
      s.info(undefined, 'plan', t`no host has changes: nothing is written, no script is run`);
      journal.outcome = 'no-change';
    } else if (opts.ui?.confirmPlan && !(await opts.ui.confirmPlan(plan))) {
      s.info(undefined, 'plan', t`the plan was declined: nothing is written`);
      journal.outcome = 'cancelled';
      journal.error = { step: 'plan', message: 'the plan was declined' };
    } else {
      for (const p of plan.hosts) if (!p.changed) s.skip(p.host.name, 'apply', t`no change`);
      // Gentle removal: drain real servers the new configuration no longer balances.
      const live = new Map<string, string[]>();
      for (const p of plan.hosts) if (p.host.role !== 'server' && p.ipvs) live.set(p.host.name, p.ipvs);
      drains = drainsFor(live, target.services, target.vips);
      if (drains.length) {
        journal.drains = drains;
        drained = true;
        await drain(s, drains);
      }
      const changed = plan.hosts.filter((p) => p.changed);
      let order = 0;
      vrrp = vrrpChangeOf(changed);
      if (vrrp) journal.vrrp = vrrp;
      if (vrrp) s.info(undefined, 'plan', t`VRRP settings change (${listMsgs(vrrp.keys)}): ${listMsgs(vrrp.hold)} held (keepalived stopped) while the master changes, then applied`);
      for (const stage of vrrpStages(applyStages(changed.map((p) => ({ role: p.host.role, p }))), vrrp)) {
        s.checkCancel(undefined, 'apply');
        if (stage.hold && vrrp) await holdBackups(s, vrrp, held);
        let failure: unknown;
        await boundedEach(stage.items, stage.parallel ? (opts.concurrency ?? DEFAULTS.concurrency) : 1, async ({ p }) => {
          const hp: HostProgress = { plan: p, seq: ++seq, backedUp: false, uploadStarted: false, applyStarted: false, done: false, bridge: !!vrrp && p.host.role === 'master' };
          hp.hooks = switchHooks(s, hp, switches);
          progress.set(p.host.name, hp);
          journalHost(s, p.host.name).order = ++order;
          // On disk before the host is touched: a run killed now leaves a journal naming it.
          flush();
          try {
            await applyHost(s, hp);
            journalHost(s, p.host.name).outcome = 'deployed';
            journalHost(s, p.host.name).backupDir = `${BACKUP_ROOT}/${id}`;
          } catch (e) {
            journalHost(s, p.host.name).outcome = 'failed';
            failure ??= e;
          }
          flush();
        }, () => failure !== undefined || s.cancelled);
        if (failure) throw failure;
      }
      // The backups run the new settings beside the bridged master: it takes its own priority back.
      for (const hp of progress.values()) if (hp.bridge) await settleMaster(s, hp.plan.host.name);
      await releaseBackups(s, held.splice(0));
      await awaitMasterTakeover(s, changed, plan.hosts);
      s.checkCancel(undefined, 'probe');
      journal.outcome = 'success';
      // Keep the newest backups only (what `lvsdr rollback` may still need).
      await Promise.all(changed.map(async (p) => {
        const r = await s.remote(p.host.name).run(pruneScript(KEEP_BACKUPS), s.commandTimeout).catch(() => undefined);
        if (r && r.code !== 0) s.info(p.host.name, 'backup', t`old backups not pruned: ${r.stderr.trim()}`);
      }));
    }
    if (opts.probe && target.probes.length && (journal.outcome === 'success' || journal.outcome === 'no-change')) {
      const pr = await s.step(undefined, 'probe', async () => probe(target.probes, { signal: opts.signal }), (r) => probeWords(r)).catch(() => undefined);
      if (pr) journal.probe = pr;
    }
  } catch (e) {
    error = e instanceof DeployError || e instanceof CancelledError ? e : new DeployError(undefined, 'apply', wordsOf(e));
    journal.outcome = error instanceof CancelledError ? 'cancelled' : 'failed';
    // A cancellation with a reason in words (the parent went away) says so in the journal.
    const why = error instanceof CancelledError && typeof opts.signal?.reason === 'string' ? `: ${opts.signal.reason}` : '';
    journal.error = { host: error.host, step: error.step, message: `${error.message}${why}` };
    flush();
    await prepareVrrpRollback(s, vrrp, progress, held);
    const bridged: string[] = [];
    journal.rolledBack = await rollbackRun(s, progress, drained ? drains : [], switches, flush, vrrp ? bridged : undefined);
    for (const name of bridged) await settleMaster(s, name).catch(() => undefined);
    await releaseBackups(s, held.splice(0));
  } finally {
    await s.unlockAll();
    s.closeAll();
  }
  journal.finishedAt = new Date().toISOString();
  journal.durationMs = Date.now() - t0;
  flush();
  return { journal, journalFile, plan, error };
}

async function drain(s: Session, items: DrainItem[]): Promise<void> {
  const directors = [...new Set(items.flatMap((i) => i.directors))];
  for (const d of directors) {
    const mine = items.filter((i) => i.directors.includes(d));
    await s.step(d, 'drain', () => setWeights(s.remote(d), mine.map((i) => ({ ...i, weight: 0 })), s.commandTimeout),
      () => t`weight 0 for ${listMsgs(mine.map((i) => `${i.real} (${i.key})`))}`);
  }
  const deadline = Date.now() + (s.opts.drainTimeoutMs ?? DEFAULTS.drainTimeoutMs);
  await s.step(undefined, 'drain', async () => {
    for (;;) {
      let active = 0;
      for (const d of directors) {
        const m = await activeConnections(s.remote(d), items.filter((i) => i.directors.includes(d)), s.commandTimeout);
        for (const i of items) active += m.get(`${i.key} ${i.real}`) ?? 0;
      }
      if (active === 0) return t`no active connections left`;
      if (Date.now() >= deadline) return t`timeout: ${active} active connections left, removing anyway`;
      s.checkCancel(undefined, 'drain');
      await new Promise((r) => setTimeout(r, 2000));
    }
  }, (d) => d);
}

/** Refuses, before any lock or write, a plan that would cut the deploy off from a host. */
async function selfAddressCheck(s: Session): Promise<void> {
  if (s.opts.skipSelfAddressCheck) return;
  const views = await s.step(undefined, 'preflight', () => checkSelfAddresses(s.target, (n) => s.remote(n), s.commandTimeout),
    () => t`no host would carry the address the deploy comes from or a cluster host's address`);
  for (const h of s.target.hosts) if (!views.hosts.get(h.name)?.from) s.info(h.name, 'preflight', t`SSH_CONNECTION not readable: the deploy's own address could not be checked on this host`);
  for (const j of views.hops) if (!j.from) s.info(undefined, 'preflight', t`jump host ${j.hop}: SSH_CONNECTION not readable (a hop that only forwards): the addresses it sees could not be checked`);
}

/** Rolls back every host this run touched, newest first, then undoes the drains. */
/** `bridged`, given for a VRRP change: masters roll back through the bridge and are added to it. */
async function rollbackRun(s: Session, progress: Map<string, HostProgress>, drains: DrainItem[], switches: Map<string, Armed>, flush: () => void, bridged?: string[]): Promise<string[]> {
  const done: string[] = [];
  const hosts = [...progress.values()].filter((h) => h.backedUp).sort((a, b) => (b.seq ?? 0) - (a.seq ?? 0));
  if (hosts.length) s.info(undefined, 'rollback', t`rolling back ${listMsgs(hosts.map((h) => h.plan.host.name))}`);
  const unreachable: HostProgress[] = [];
  for (const hp of hosts) {
    const name = hp.plan.host.name;
    // The host's dead man's switch first: disarmed, it cannot race the rollback below.
    const sw = switches.has(name) ? await settleSwitch(s, name) : 'disarmed';
    if (sw === 'unreachable') unreachable.push(hp);
    else if (sw === 'fired') await restoredByItself(s, name, done);
    else await rollbackOne(s, hp, done, bridged);
    flush();
  }
  for (const hp of unreachable) {
    const name = hp.plan.host.name;
    if (await awaitSwitch(s, name, switches.get(name)!)) await restoredByItself(s, name, done);
    else await rollbackOne(s, hp, done, bridged);
    flush();
  }
  if (drains.length) {
    const directors = [...new Set(drains.flatMap((i) => i.directors))];
    for (const d of directors) {
      try {
        const r = await s.ensureConnected(d);
        await s.step(d, 'drain', () => setWeights(r, drains.filter((i) => i.directors.includes(d)), s.commandTimeout), () => t`weights restored`);
      } catch { /* reported by step() */ }
    }
  }
  return done;
}

/** A host whose switch fired: its files and runtime are back; only the backup is left to drop. */
async function restoredByItself(s: Session, name: string, done: string[]): Promise<void> {
  const jh = s.journalHosts.get(name)!;
  jh.outcome = 'rolled-back';
  jh.backupDir = undefined;
  done.push(name);
  try {
    await s.step(name, 'restore', async () => restoreHost(await s.ensureConnected(name), s.runId, [], true, s.commandTimeout),
      () => t`restored by the host itself (dead man's switch); backup removed`);
  } catch { /* reported by step(); the backup stays */ }
}

async function rollbackOne(s: Session, hp: HostProgress, done: string[], bridged?: string[]): Promise<void> {
  const name = hp.plan.host.name;
  const jh = s.journalHosts.get(name)!;
  try {
    if (!hp.backup) {
      // The backup itself failed: nothing was written; drop what it left.
      const r = await s.ensureConnected(name);
      await r.run(discardBackupScript(s.runId), s.commandTimeout);
      jh.outcome = 'rolled-back';
    } else {
      const bridge = !!bridged && hp.plan.host.role === 'master';
      if (await rollbackHost(s, {
        name, deployId: s.runId,
        entries: hp.plan.files.filter((f) => f.action !== 'unchanged').map((f) => ({ path: f.path, before: f.before })),
        restoreFiles: hp.uploadStarted, undoRuntime: hp.applyStarted, hadApply: hp.plan.hadApply, removeBackup: true, bridge,
      })) bridged!.push(name);
      jh.outcome = 'rolled-back';
    }
    jh.backupDir = undefined;
    done.push(name);
  } catch (e) {
    jh.outcome = 'rollback-failed';
    const why = t`${wordsOf(e)} — the backup stays in ${BACKUP_ROOT}/${s.runId} on the host`;
    s.emit({ host: name, step: 'rollback', state: 'failed', detail: english(why), detailWords: why });
  }
}
