// Resolving what to deploy where: the .lvs file is validated and generated (refused when it
// has errors or a secret stays unresolved), one cluster is chosen, and each host becomes a
// target — its address and SSH settings from the file (`--target hosts`), or, for the local
// lab (`--target lab`), the addresses from the file checked against the lab and the lab's own
// key and known_hosts from its state directory.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { generateCluster, GeneratedFile, GenerateRefusedError, locate, SecretRef, SecretResolver, defaultSecretResolver, unresolvedHintWords } from '../generate';
import { ipvsDest } from '../generate/ipvsadm-rules';
import { specifyCluster, serviceKey } from '../generate/spec';
import { ClusterModel, sshSettings } from '../model/topology';
import { readState, stateDir } from '../lab';
import { validateText } from '../validation/registry';
import { DeployError, verbatim } from './errors';
import { isInside, pathFromCommandLine, pathFromFile, repositoryOf } from './ssh-paths';
import { resolveSsh, SshOverrides } from './ssh-resolve';
import { ClusterTarget, DeployUi, HostTarget } from './types';
import { listMsgs, t } from '../shared/l10n/message';

export interface ResolveOptions {
  file: string;
  cluster?: string;
  target: 'lab' | 'hosts';
  /** Synchronous secret lookup (default: the environment, see generate/secrets.ts). */
  secrets?: SecretResolver;
  ui?: DeployUi;
  /** Lab state directory (default $LVSDR_LAB_DIR or /var/lib/lvsdr/lab). */
  labDir?: string;
  /** Override of every host's key file (`--identity`). */
  identity?: string;
  /** Override of every host's known_hosts file (`--known-hosts`). */
  knownHosts?: string;
  /** Do not compare the hosts' OS with `target os`. */
  skipOsCheck?: boolean;
  /** Only the hosts are needed (rollback): files are generated in preview mode, no secret is asked. */
  hostsOnly?: boolean;
}

/** What the command line and the .lvs file's `ssh` block say: they win over ~/.ssh/config. */
export function lvsOverrides(file: string, ssh: ReturnType<typeof sshSettings>, opts: Pick<ResolveOptions, 'identity' | 'knownHosts'>): SshOverrides {
  const fromFile = t`${basename(file)} ssh block`;
  return {
    user: ssh.user ? { value: ssh.user.value, from: fromFile } : undefined,
    port: ssh.port ? { value: ssh.port.value, from: fromFile } : undefined,
    keyFile: opts.identity ? { value: pathFromCommandLine(opts.identity), from: verbatim('--identity') }
      : ssh.key ? { value: pathFromFile(file, ssh.key.value), from: fromFile } : undefined,
    knownHosts: opts.knownHosts ? { value: pathFromCommandLine(opts.knownHosts), from: verbatim('--known-hosts') }
      : ssh.knownHosts ? { value: pathFromFile(file, ssh.knownHosts.value), from: fromFile } : undefined,
  };
}

function chooseCluster(models: ClusterModel[], file: string, name?: string): ClusterModel {
  if (models.length === 0) throw new DeployError(undefined, 'resolve', t`${file} describes no cluster`);
  if (name) {
    const m = models.find((c) => c.cluster.name.text === name);
    if (!m) throw new DeployError(undefined, 'resolve', t`no cluster '${name}' in ${file} (clusters: ${listMsgs(models.map((c) => c.cluster.name.text))})`);
    return m;
  }
  if (models.length > 1) throw new DeployError(undefined, 'resolve', t`${file} has several clusters (${listMsgs(models.map((c) => c.cluster.name.text))}): choose one with --cluster NAME`);
  return models[0];
}

/**
 * Generates the cluster's files with real secret values: first through the synchronous
 * resolver, then (for what is still missing) through ui.resolveSecret. Refuses to go on with a
 * placeholder in any file.
 */
async function generateWithSecrets(model: ClusterModel, sourceName: string, opts: ResolveOptions): Promise<{ files: GeneratedFile[]; secretValues: string[] }> {
  const base = opts.secrets ?? defaultSecretResolver;
  const asked = new Map<string, string | undefined>();
  const values = new Set<string>();
  const missing = new Map<string, SecretRef>();
  const resolver: SecretResolver = (ref) => {
    const k = `${ref.source}:${ref.name}`;
    const v = asked.has(k) ? asked.get(k) : base(ref);
    if (v) values.add(v);
    else missing.set(k, ref);
    return v;
  };
  let files = generateCluster(model, { sourceName, secrets: resolver });
  if (missing.size > 0 && opts.ui?.resolveSecret) {
    for (const [k, ref] of missing) asked.set(k, await opts.ui.resolveSecret(ref));
    missing.clear();
    files = generateCluster(model, { sourceName, secrets: resolver });
  }
  if (missing.size > 0) {
    const hints = listMsgs([...missing.values()].map(unresolvedHintWords));
    throw new DeployError(undefined, 'resolve', t`secret references could not be resolved: ${hints}; no host was contacted`);
  }
  return { files, secretValues: [...values] };
}

/** The absolute path and text of the .lvs file `name`; a DeployError when it cannot be read. */
export function readLvsFile(name: string): { file: string; text: string } {
  const file = resolve(name);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new DeployError(undefined, 'resolve', t`cannot read ${name}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
}

export async function resolveTarget(opts: ResolveOptions): Promise<ClusterTarget> {
  const { file, text } = readLvsFile(opts.file);
  const sourceName = basename(file);
  const result = validateText(text);
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new GenerateRefusedError(sourceName, errors.map((f) => ({ ...f, ...locate(text, f.span.start) })));
  const model = chooseCluster(result.model.clusters, opts.file, opts.cluster);
  const cluster = model.cluster.name.text;
  const plan = specifyCluster(model, sourceName);
  const { files, secretValues } = opts.hostsOnly
    ? { files: generateCluster(model, { sourceName, preview: true }), secretValues: [] as string[] }
    : await generateWithSecrets(model, sourceName, opts);

  const hosts: HostTarget[] = [];
  const entries: Array<{ name: string; address: string; role: HostTarget['role'] }> = [
    ...plan.directors.map((d) => ({ name: d.name, address: d.address, role: d.role })),
    ...plan.servers.map((s) => ({ name: s.name, address: s.address, role: 'server' as const })),
  ];
  const placed = new Map<string, string[]>([
    ...plan.directors.map((d) => [d.name, d.vips.map((v) => v.vip.address)] as const),
    ...plan.servers.map((sv) => [sv.name, sv.loVips.map((v) => v.vip.address)] as const),
  ]);
  const osOf = new Map<string, string>([...plan.directors, ...plan.servers].map((h) => [h.name, h.os]));
  let labId: string | undefined;
  if (opts.target === 'lab') {
    const dir = opts.labDir ?? stateDir();
    const state = readState(dir);
    if (!state) throw new DeployError(undefined, 'resolve', t`no lab is up (state directory ${dir}); start one with 'lvsdr lab up ${opts.file}'`);
    if (state.phase !== 'up') throw new DeployError(undefined, 'resolve', t`the lab ${state.id} is not up (${state.phase})`);
    if (state.cluster !== cluster) throw new DeployError(undefined, 'resolve', t`the lab runs cluster ${state.cluster} (from ${state.file}), not ${cluster}`);
    labId = state.id;
    for (const e of entries) {
      const lh = state.hosts.find((h) => h.name === e.name && h.kind !== 'client');
      if (!lh) throw new DeployError(e.name, 'resolve', t`the lab has no host ${e.name} (it was built from ${state.file}; rebuild it with 'lvsdr lab down' and 'lvsdr lab up')`);
      if (lh.address !== e.address) throw new DeployError(e.name, 'resolve', t`the lab has ${e.name} at ${lh.address}, the file says ${e.address}`);
      hosts.push({
        name: e.name, role: e.role, address: e.address, port: 22, user: 'root',
        keyFile: opts.identity ? pathFromCommandLine(opts.identity) : state.keys.private,
        knownHosts: opts.knownHosts ? pathFromCommandLine(opts.knownHosts) : state.keys.knownHosts,
        useAgent: false, os: osOf.get(e.name) ?? 'rhel7', skipOsCheck: true,
        placedAddresses: placed.get(e.name) ?? [],
      });
    }
  } else {
    const repo = repositoryOf(file);
    for (const e of entries) {
      const node = model.directors.get(e.name) ?? model.servers.get(e.name);
      const ssh = node ? sshSettings(model, node) : {};
      const pw = ssh.password?.value;
      if (pw && (pw.kind === 'inline' || pw.source !== 'secret')) {
        const how = pw.kind === 'inline' ? 'written inline in the file' : `${pw.source}:${pw.value}`;
        throw new DeployError(e.name, 'resolve', t`the SSH password is ${how}; the deploy only takes an SSH password from a secret reference (secret:NAME), never from a file or variable the .lvs file names`);
      }
      const reach = resolveSsh(e.name, e.address, lvsOverrides(file, ssh, opts));
      const knownHosts = reach.knownHosts.value;
      // Only a known_hosts the file itself names can have come with the repository.
      const inRepo = !opts.knownHosts && ssh.knownHosts && isInside(knownHosts, repo) ? repo : undefined;
      hosts.push({
        name: e.name, role: e.role, address: e.address,
        connectAddress: reach.connectAddress.value !== e.address ? reach.connectAddress.value : undefined,
        port: reach.port.value,
        user: reach.user.value,
        keyFile: reach.keyFile?.value,
        extraKeyFiles: reach.extraKeyFiles.map((k) => k.value),
        jumps: reach.jumps.length ? reach.jumps : undefined,
        knownHosts,
        knownHostsInRepo: inRepo,
        useAgent: true,
        passwordRef: pw ? { source: 'secret', name: pw.value } : undefined,
        os: osOf.get(e.name) ?? 'rhel7',
        skipOsCheck: !!opts.skipOsCheck,
        placedAddresses: placed.get(e.name) ?? [],
      });
    }
  }
  return {
    kind: opts.target, file, cluster, hosts, files, secretValues, labId,
    services: plan.services.map((s) => ({ key: serviceKey(s), reals: s.reals.map((r) => ipvsDest(s, r)) })),
    vips: plan.vips.map((v) => v.address),
    ha: !!plan.ha,
    // The first check of a service says how to probe it over http (as before several checks).
    probes: plan.services
      .filter((sv) => sv.protocol === 'tcp' && (sv.checks[0]?.type === 'http' || (sv.port === 80 && sv.checks[0]?.type !== 'https')))
      .map((sv) => {
        const http = sv.checks[0]?.type === 'http' ? sv.checks[0] : undefined;
        return { url: `http://${sv.vip.address}:${sv.port}${http ? http.path : '/'}`, expect: http ? http.expect : 200 };
      }),
  };
}
