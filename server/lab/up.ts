// `lab up FILE [--cluster NAME]`: builds the cluster of a .lvs file on this machine.
//
//   lab namespace  lvsdr-ID         bridge lab0 (no address, no uplink)
//   director       lvsdr-ID-lvs1    linux.uml; vec0 = raw socket on raw0, renamed to the file's iface
//   real server    lvsdr-ID-web1    the file's iface, + own mount/UTS/IPC/PID namespaces
//   client         lvsdr-ID-client  eth0 with a free address of the network, no default route
//
// Every namespace is written to the state file before it is created, so `lab down` can
// always undo a failed or interrupted `up`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONTROL_PORT, CONTROL_SERVER_PY, controlExec, writeControlToken } from './control';
import { createLabKeys } from './keys';
import { addAddress, addBridge, addNamespace, addVethToBridge, ifName, segmentationOffloadOff, setLinkUp, txChecksumOff } from './netns';
import { checkPrerequisites, formatPrereqReport } from './packages';
import { LabLayout, layoutLab } from './layout';
import { waitForTcp } from './probe';
import { startRealServer } from './real-server';
import { RESPONDER_PY } from './responder';
import { sleep } from './run';
import { LabHost, LabState, newLabId, readState, stateDir, unusableStateDir, writeState } from './state';
import { buildUmlXstateShim } from './uml-xstate-shim';
import { bootDirector, prepareModuleRoot, READY_MARK, UML_RAW_LINK } from './uml-director';
import { labDown } from './down';
import { pidAlive } from '../shared/process-alive';
import { labProgress } from './progress-words';
import { joinMsgs, listMsgs, Msg, t } from '../shared/l10n/message';
import { MessageError } from '../shared/l10n/message-error';

/** A refusal or failure of the lab, with the exit code the CLI returns. */
export class LabError extends MessageError {
  constructor(words: Msg, readonly exitCode = 1) {
    super(words);
    this.name = 'LabError';
  }
}

/** An error's text as a message: its words when it has them, else its message as it came (a command's output). */
function wordsOf(e: unknown): Msg {
  return e instanceof MessageError ? e.words : joinMsgs([e instanceof Error ? e.message : String(e)], '');
}

export interface UpOptions {
  cluster?: string;
  /** Leave a failed lab in place for inspection (default: tear it down). */
  keepOnFailure?: boolean;
  bootTimeoutMs?: number;
  /** Progress, one line a call, in the reader's language when the caller renders it. */
  log?: (line: Msg) => void;
}

const BRIDGE = 'lab0';

export function nsName(id: string, host?: string): string {
  return host ? `lvsdr-${id}-${host.replace(/[^A-Za-z0-9_.-]/g, '-')}` : `lvsdr-${id}`;
}

export async function labUp(file: string, opts: UpOptions = {}): Promise<LabState> {
  const log = opts.log ?? (() => undefined);
  const t0 = Date.now();
  const prereq = checkPrerequisites();
  if (!prereq.ok) throw new LabError(t`the lab cannot start on this machine:\n${formatPrereqReport(prereq)}`, 3);
  const dir = stateDir();
  const bad = unusableStateDir(dir);
  if (bad) throw new LabError(bad, 2);
  const existing = readState(dir);
  if (existing) {
    throw new LabError(t`a lab is already up (lab ${existing.id}, cluster ${existing.cluster} from ${existing.file}, ${existing.phase}); see 'lvsdr lab status', or 'lvsdr lab down' first`);
  }
  const absFile = resolve(file);
  let text: string;
  try {
    text = readFileSync(absFile, 'utf8');
  } catch (e) {
    throw new LabError(t`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, 2);
  }
  let plan: LabLayout;
  try {
    plan = layoutLab(file, text, opts.cluster);
  } catch (e) {
    throw new LabError(wordsOf(e), 2);
  }

  const id = newLabId();
  const labNs = nsName(id);
  const hosts: LabHost[] = plan.hosts.map((p, i) => ({
    name: p.name, kind: p.kind, ns: nsName(id, p.name), address: p.address, prefix: p.prefix, iface: p.iface,
    ...(p.address6 ? { address6: p.address6, prefix6: p.prefix6 } : {}),
    bridgePort: ifName(`p${i}-`, p.name), tcpPorts: p.tcpPorts, udpPorts: p.udpPorts,
    umid: p.kind === 'director' ? `lvsdr-${id}-${p.name}` : undefined,
  }));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const state: LabState = {
    version: 1, id, dir, file: absFile, cluster: plan.cluster, createdAt: new Date().toISOString(), phase: 'creating',
    labNs, bridge: BRIDGE, network: plan.network, prefix: plan.prefix, gateway: plan.gateway, vips: plan.vips,
    namespaces: [], hosts,
    keys: { private: '', public: '', authorizedKeys: '', knownHosts: '', hostKeys: {} },
    control: { port: CONTROL_PORT, tokenFile: join(dir, 'control.token'), script: join(dir, 'control.py') },
    umlDir: join(dir, 'uml'),
    timings: {},
  };
  writeState(state);
  log(labProgress.starting(id, plan.cluster, hosts.length, file));

  try {
    await build(state, prereq.umlModules!, opts, log);
  } catch (e) {
    state.phase = 'failed';
    writeState(state);
    const detail = failureDetail(state);
    if (!opts.keepOnFailure) {
      log(labProgress.tearingDown);
      await labDown(state);
    }
    throw new LabError(t`lab up failed: ${wordsOf(e)}${detail}${opts.keepOnFailure ? t`\n(lab left in place: 'lvsdr lab down' removes it)` : ''}`);
  }
  state.phase = 'up';
  state.timings.totalMs = Date.now() - t0;
  writeState(state);
  log(labProgress.up(id, state.timings.totalMs));
  return state;
}

async function build(state: LabState, umlModules: string, opts: UpOptions, log: (l: Msg) => void): Promise<void> {
  const t0 = Date.now();
  const sshHosts = state.hosts.filter((h) => h.kind !== 'client');
  const shimP = buildUmlXstateShim(state.dir);
  shimP.catch(() => undefined); // awaited below; a failure before then must not go unhandled
  const keysP = createLabKeys(state.dir, state.id, sshHosts.map((h) => ({ name: h.name, address: h.address })));

  // Namespaces and links (each recorded before it is created).
  state.namespaces.push(state.labNs);
  writeState(state);
  await addNamespace(state.labNs);
  await addBridge(state.labNs, state.bridge);
  await Promise.all(state.hosts.map(async (h) => {
    state.namespaces.push(h.ns);
    writeState(state);
    await addNamespace(h.ns);
    const inner = h.kind === 'director' ? UML_RAW_LINK : h.iface;
    await addVethToBridge(state.labNs, state.bridge, h.bridgePort, h.ns, inner);
    await setLinkUp(h.ns, inner);
    if (h.kind === 'director') {
      await txChecksumOff(h.ns, inner);
      await segmentationOffloadOff(state.labNs, h.bridgePort);
    } else await addAddress(h.ns, inner, `${h.address}/${h.prefix}`);
    // nodad: the address is usable at once (no second of duplicate address detection).
    if (h.kind !== 'director' && h.address6) await addAddress(h.ns, inner, `${h.address6}/${h.prefix6}`, ['nodad']);
  }));
  writeState(state);
  state.timings.networkMs = Date.now() - t0;

  const keys = await keysP;
  state.keys = keys;
  writeControlToken(state.control.tokenFile);
  writeFileSync(state.control.script, CONTROL_SERVER_PY, { mode: 0o644 });
  const responderScript = join(state.dir, 'responder.py');
  writeFileSync(responderScript, RESPONDER_PY, { mode: 0o644 });
  const moduleRoot = prepareModuleRoot(state.dir, umlModules);
  const xstateShim = await shimP;
  const allHosts = state.hosts.map((h) => ({ name: h.name, address: h.address }));
  writeState(state);

  // Boot every director and start every real server at once.
  const tBoot = Date.now();
  const directors = state.hosts.filter((h) => h.kind === 'director');
  const servers = state.hosts.filter((h) => h.kind === 'server');
  for (const d of directors) {
    d.pid = bootDirector({
      host: d, labId: state.id, stateDir: state.dir, umlDir: state.umlDir, moduleRoot,
      hostKey: keys.hostKeys[d.name], authorizedKeys: keys.authorizedKeys,
      controlScript: state.control.script, controlPort: state.control.port, tokenFile: state.control.tokenFile,
      responderScript, xstateShim, allHosts,
    });
    d.spawnedPid = d.pid;
  }
  writeState(state);
  await Promise.all(servers.map(async (s) => {
    const r = await startRealServer({ host: s, labId: state.id, stateDir: state.dir, hostKey: keys.hostKeys[s.name], authorizedKeys: keys.authorizedKeys, responderScript, allHosts });
    s.pid = r.pid;
    s.spawnedPid = r.spawnedPid;
    writeState(state);
  }));
  writeState(state);

  const timeout = opts.bootTimeoutMs ?? 120_000;
  await Promise.all(directors.map(async (d) => {
    await waitForMark(d, timeout);
    state.timings[`boot_${d.name}_ms`] = Date.now() - tBoot;
    log(labProgress.booted(d.name, d.pid, Date.now() - tBoot));
  }));
  await Promise.all(servers.map((s) => waitForMark(s, timeout)));

  // Everything answers from the client namespace: sshd everywhere, responders, control channels.
  const client = state.hosts.find((h) => h.kind === 'client')!;
  const targets: string[] = [];
  for (const h of sshHosts) {
    targets.push(`${h.address}:22`);
    for (const p of h.tcpPorts) targets.push(`${h.address}:${p}`);
    if (h.kind === 'director') targets.push(`${h.address}:${state.control.port}`);
  }
  const missing = await waitForTcp(client.ns, targets, timeout);
  if (missing.length) throw new MessageError(t`not answering from the client namespace: ${listMsgs(missing)}`);
  await Promise.all(directors.map(async (d) => {
    const r = await controlExec(client.ns, d.address, state.control.port, state.control.tokenFile, ['hostname']);
    if (r.code !== 0 || r.stdout.trim() !== d.name) throw new MessageError(t`control channel of ${d.name} answered ${r.code}: ${r.stdout}${r.stderr}`);
  }));
  state.timings.bootMs = Date.now() - tBoot;
}

async function waitForMark(h: LabHost, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const mark = `${READY_MARK} ${h.name}`;
  while (Date.now() < deadline) {
    let text = '';
    try {
      text = readFileSync(h.log!, 'utf8');
    } catch { /* not yet */ }
    if (text.includes(mark)) return;
    if (!pidAlive(h.pid)) throw new MessageError(t`${hostWords(h)} exited during start-up${tail(h.log)}`);
    await sleep(100);
  }
  throw new MessageError(t`${hostWords(h)} not ready after ${timeoutMs / 1000} s${tail(h.log)}`);
}

/** "director lvs1", "server web1", "client client": a lab host named for a person. */
function hostWords(h: LabHost): Msg {
  return h.kind === 'director' ? t`director ${h.name}` : h.kind === 'server' ? t`server ${h.name}` : t`client ${h.name}`;
}

/** The last lines of a host's log (their text as it is), after a line naming the file. */
function tail(file: string | undefined, lines = 15): Msg | '' {
  if (!file) return '';
  try {
    const all = readFileSync(file, 'utf8').trimEnd().split('\n');
    return t`\n--- last lines of ${file}:\n${all.slice(-lines).join('\n')}`;
  } catch {
    return '';
  }
}

function failureDetail(state: LabState): Msg {
  return joinMsgs(state.hosts.filter((h) => h.log && h.pid && !pidAlive(h.pid)).map((h) => tail(h.log, 10)), '');
}
