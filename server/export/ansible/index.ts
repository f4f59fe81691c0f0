// `lvsdr export ansible`: a .lvs file becomes a self-contained Ansible project that puts on every
// host exactly the files `lvsdr generate` writes (plus the host's owned record, which lvsdr
// deploy writes beside them), in lvsdr deploy's order, and runs the same apply.sh and verify.sh.
//
// Copies, not re-written templates: the generators stay the one definition of every byte, so
// the export cannot drift from what lvsdr deploys. Files go to files/<cluster>/<host>/<path>
// and are copied as they are; keepalived.conf, the one file that can hold a secret, becomes
// templates/<cluster>/<host>/etc/keepalived/keepalived.conf.j2 with only `auth_pass` templated
// (keepalived-template.ts). Secret values never enter the export: group_vars name where they
// are read (secret-vars.ts). The layout:
//
//   ansible.cfg  inventory.yml  site.yml  README.md
//   group_vars/lvs_<cluster>.yml   services, VIPs, VRRP, SSH settings, the secret's lookup
//   host_vars/<host>.yml           the host's files (path, mode), sysctl file and values
//   roles/lvs_real_server/  roles/lvs_director/   (roles.ts)
//   files/<cluster>/<host>/…  templates/<cluster>/<host>/…
import { isAbsolute } from 'node:path';
import { GeneratedFile, GenerateError } from '../../generate';
import { GenerateRefusedError, locate } from '../../generate';
import { generateCluster } from '../../generate';
import { KEEPALIVED_CONF } from '../../generate/keepalived';
import { ownedRecordFile } from '../../generate/owned-record';
import { ClusterSpec, HostSpec, specifyCluster } from '../../generate/spec';
import { ClusterModel, sshSettings } from '../../model/topology';
import { validateText } from '../../validation/registry';
import { keepalivedTemplate } from './keepalived-template';
import { readme } from './readme';
import { directorRole, playbook, realServerRole } from './roles';
import { SecretVar, secretVar } from './secret-vars';
import { yamlFile } from './yaml-text';
import { listMsgs, t } from '../../shared/l10n/message';

export interface ExportedFile {
  /** Path inside the export directory (forward slashes). */
  path: string;
  content: string;
}

export interface AnsibleExport {
  clusters: string[];
  hosts: number;
  files: ExportedFile[];
  secrets: SecretVar[];
}

export interface ExportOptions {
  /** Name of the .lvs file: written in every generated header, as `lvsdr generate` does. */
  sourceName: string;
  /** Directory of the .lvs file: relative `ssh key`/`known-hosts` paths are taken from it. */
  lvsDir: string;
  cluster?: string;
}

/** What the generator is given for a secret: a stand-in the template replaces (never a value). */
const STAND_IN = 'lvsxport';

const ANSIBLE_CFG = [
  '# Written by lvsdr export ansible (README.md).',
  '[defaults]',
  'inventory = inventory.yml',
  'roles_path = roles',
  'interpreter_python = auto_silent',
  'host_key_checking = True',
  'retry_files_enabled = False',
  '',
  '[ssh_connection]',
  'pipelining = True',
  '',
].join('\n');

const OS_FAMILY: Record<string, string> = { rhel7: 'RedHat', rhel9: 'RedHat', debian: 'Debian', ubuntu: 'Debian' };

export const groupOf = (cluster: string): string => `lvs_${cluster.replace(/[^A-Za-z0-9_]/g, '_')}`;

function modeString(mode: number): string {
  return mode.toString(8).padStart(4, '0');
}

/** A path of the .lvs file's ssh block, as Ansible should see it: `~/…` kept, relative made absolute. */
function sshPath(lvsDir: string, p: string): string {
  if (p.startsWith('~/') || isAbsolute(p)) return p;
  return `${lvsDir.replace(/\/+$/, '')}/${p.replace(/^\.\//, '')}`;
}

/** A word for ssh's command line, which Ansible splits like a shell. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./~:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`;
}

type SshVars = Record<string, string | number>;

function sshVars(model: ClusterModel, lvsDir: string, host?: HostSpec): SshVars {
  const node = host ? model.directors.get(host.name) ?? model.servers.get(host.name) : undefined;
  const s = node ? sshSettings(model, node) : (model.cluster.ssh ?? {});
  const vars: SshVars = {};
  if (s.user) vars.ansible_user = s.user.value;
  if (s.port) vars.ansible_port = s.port.value;
  if (s.key) vars.ansible_ssh_private_key_file = sshPath(lvsDir, s.key.value);
  const known = s.knownHosts ? sshPath(lvsDir, s.knownHosts.value) : '~/.ssh/known_hosts';
  vars.ansible_ssh_common_args = `-o UserKnownHostsFile=${shellWord(known)}`;
  vars.ansible_ssh_extra_args = '-o StrictHostKeyChecking=yes';
  if (s.password) vars.ansible_password = secretVar('ansible_password', s.password.value).lookup ?? '{{ lvs_ssh_password }}';
  return vars;
}

/** `key = value` lines of a generated sysctl.d file, in order. */
function sysctlsOf(file: GeneratedFile): Array<{ name: string; value: string }> {
  return file.content.split('\n').flatMap((l) => {
    const m = /^([a-z0-9_.\-/]+)\s*=\s*(.*)$/i.exec(l.trim());
    return m && !l.trim().startsWith('#') ? [{ name: m[1], value: m[2].trim() }] : [];
  });
}

interface ClusterExport {
  files: ExportedFile[];
  hostVars: Map<string, unknown>;
  groupVars: unknown;
  inventory: Record<string, unknown>;
  roles: Record<'server' | 'backup' | 'master', string[]>;
  secrets: SecretVar[];
}

function exportCluster(model: ClusterModel, opts: ExportOptions): ClusterExport {
  const spec: ClusterSpec = specifyCluster(model, opts.sourceName);
  const cluster = spec.name;
  const generated = generateCluster(model, { sourceName: opts.sourceName, secrets: () => STAND_IN });
  const files: ExportedFile[] = [];
  const hostVars = new Map<string, unknown>();
  const inventoryHosts: Record<'server' | 'backup' | 'master', Record<string, unknown>> = { server: {}, backup: {}, master: {} };
  const auth = spec.ha?.auth ? secretVar('lvs_vrrp_auth', spec.ha.auth) : undefined;
  const clusterSsh = sshVars(model, opts.lvsDir);

  for (const host of [...spec.directors, ...spec.servers]) {
    const own = generated.filter((f) => f.host === host.name);
    const all = [...own, ownedRecordFile(host.name, own)];
    const entries: Array<{ path: string; mode: string; template: boolean }> = [];
    let sysctlFile: GeneratedFile | undefined;
    let hasAuth = false;
    for (const f of all) {
      const template = f.path === KEEPALIVED_CONF;
      if (!template && f.content.includes(STAND_IN)) throw new GenerateError([t`${host.name}: ${f.path} would hold a secret; the export templates only keepalived.conf`]);
      entries.push({ path: f.path, mode: modeString(f.mode), template });
      if (template) {
        hasAuth = /^\s*auth_pass\s/m.test(f.content);
        files.push({ path: `templates/${cluster}/${host.name}${f.path}.j2`, content: keepalivedTemplate(f.content, 'lvs_vrrp_auth') });
      } else {
        files.push({ path: `files/${cluster}/${host.name}${f.path}`, content: f.content });
      }
      if (f.path.startsWith('/etc/sysctl.d/')) sysctlFile = f;
    }
    if (!sysctlFile) throw new GenerateError([t`${host.name}: no sysctl.d file was generated`]);
    const ownSsh = sshVars(model, opts.lvsDir, host);
    const sshOverride = Object.fromEntries(Object.entries(ownSsh).filter(([k, v]) => clusterSsh[k] !== v));
    hostVars.set(host.name, {
      lvs_files: entries,
      lvs_sysctl_file: sysctlFile.path,
      lvs_sysctls: sysctlsOf(sysctlFile),
      ...(hasAuth ? { lvs_vrrp_auth_required: true } : {}),
      ...sshOverride,
    });
    const role = host.kind === 'director' ? host.role : 'server';
    inventoryHosts[role][host.name] = {
      ansible_host: host.address,
      lvs_address: host.address,
      ...(host.iface ? { lvs_interface: host.iface } : {}),
      lvs_target_os: host.os,
      lvs_os_family: OS_FAMILY[host.os] ?? 'RedHat',
      lvs_role: host.kind === 'director' ? host.role : 'real_server',
    };
  }

  const g = groupOf(cluster);
  const groups: Record<string, unknown> = {};
  const names = { server: `${g}_real_servers`, backup: `${g}_backup_directors`, master: `${g}_master_directors` } as const;
  const roles: ClusterExport['roles'] = { server: [], backup: [], master: [] };
  for (const r of ['server', 'backup', 'master'] as const) {
    if (Object.keys(inventoryHosts[r]).length === 0) continue;
    groups[names[r]] = { hosts: inventoryHosts[r] };
    roles[r].push(names[r]);
  }
  const groupVars = {
    lvs_cluster: cluster,
    lvs_source: opts.sourceName,
    lvs_vips: spec.vips.map((v) => v.address),
    lvs_services: spec.services.map((s) => ({
      name: s.name, vip: s.vip.address, protocol: s.protocol, port: s.port, scheduler: s.scheduler,
      ...(s.persistence ? { persistence: s.persistence.timeout } : {}),
      checks: s.checks.map((c) => c.type),
      reals: s.reals.map((r) => ({ name: r.name, address: r.address, port: r.port, weight: r.weight })),
    })),
    ...(spec.ha ? { lvs_vrrp: { router_id: spec.ha.routerId, advert: spec.ha.advert, unicast: spec.ha.unicast } } : {}),
    ...(auth?.lookup ? { lvs_vrrp_auth: auth.lookup } : {}),
    ...clusterSsh,
  };
  return { files, hostVars, groupVars, inventory: { [g]: { children: groups } }, roles, secrets: auth ? [auth] : [] };
}

/**
 * The Ansible project for the clusters of `text` (or the one named by opts.cluster). Throws
 * GenerateRefusedError when the file has errors, GenerateError when it cannot be exported.
 */
export function exportAnsible(text: string, opts: ExportOptions): AnsibleExport {
  const result = validateText(text);
  const errors = result.findings.filter((f) => f.severity === 'error');
  if (errors.length > 0) throw new GenerateRefusedError(opts.sourceName, errors.map((f) => ({ ...f, ...locate(text, f.span.start) })));
  const models = result.model.clusters.filter((m) => opts.cluster === undefined || m.cluster.name.text === opts.cluster);
  if (models.length === 0) {
    const names = result.model.clusters.map((m) => m.cluster.name.text);
    throw new GenerateError([opts.cluster === undefined ? t`the file has no cluster`
      : names.length ? t`no cluster named '${opts.cluster}' (clusters: ${listMsgs(names)})` : t`no cluster named '${opts.cluster}' (clusters: none)`]);
  }
  const files: ExportedFile[] = [];
  const hostVars = new Map<string, unknown>();
  const children: Record<string, unknown> = {};
  const byRole: Record<'server' | 'backup' | 'master', string[]> = { server: [], backup: [], master: [] };
  const secrets: SecretVar[] = [];
  const clusters: string[] = [];
  for (const model of models) {
    const c = exportCluster(model, opts);
    for (const [host, vars] of c.hostVars) {
      if (hostVars.has(host)) throw new GenerateError([t`two clusters have a host named ${host}: export them one at a time (--cluster)`]);
      hostVars.set(host, vars);
    }
    const name = model.cluster.name.text;
    clusters.push(name);
    files.push(...c.files);
    Object.assign(children, c.inventory);
    for (const r of ['server', 'backup', 'master'] as const) byRole[r].push(...c.roles[r]);
    secrets.push(...c.secrets);
    files.push({ path: `group_vars/${groupOf(name)}.yml`, content: yamlFile([`Cluster ${name} of ${opts.sourceName}: services, VIPs, VRRP and SSH settings.`, 'Secrets are looked up where lvsdr reads them, never stored here (README.md).'], c.groupVars) });
  }
  const parent = (groups: string[]) => ({ children: Object.fromEntries(groups.map((g) => [g, {}])) });
  const inventory = {
    all: {
      children: {
        lvs_real_servers: parent(byRole.server),
        lvs_backup_directors: parent(byRole.backup),
        lvs_master_directors: parent(byRole.master),
        ...children,
      },
    },
  };
  for (const [host, vars] of hostVars) {
    files.push({ path: `host_vars/${host}.yml`, content: yamlFile([`Host ${host}: the files lvsdr generate writes for it (files/ or templates/), their modes, its sysctls.`], vars) });
  }
  files.push(
    { path: 'inventory.yml', content: yamlFile([`LVS-DR clusters of ${opts.sourceName}: ${clusters.join(', ')}.`, 'lvs_real_servers, lvs_backup_directors and lvs_master_directors span every cluster;', 'lvs_<cluster> holds one cluster\'s hosts.'], inventory) },
    { path: 'ansible.cfg', content: ANSIBLE_CFG },
    { path: 'site.yml', content: playbook() },
    ...Object.entries(realServerRole()).map(([p, content]) => ({ path: `roles/lvs_real_server/${p}`, content })),
    ...Object.entries(directorRole()).map(([p, content]) => ({ path: `roles/lvs_director/${p}`, content })),
    { path: 'README.md', content: readme({ sourceName: opts.sourceName, clusters, secrets }) },
  );
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { clusters, hosts: hostVars.size, files, secrets };
}
