// The Ansible side of benchmark P4 (deploy-vs-ansible.ts): a playbook that does what
// `lvsdr deploy` does with the files `lvsdr generate` writes, written the way an Ansible user
// would write it. The bench fills in the lab's addresses and paths and writes these texts into
// a temporary directory:
//
//   ansible.cfg                       forks, pipelining, Python path (see docs/decisions.md, P4)
//   inventory.yml                     three groups: real_servers, backup_directors, master_directors
//   site.yml                          one play per group, in lvsdr's order
//   roles/lvs_files/tasks/main.yml    directories, then every file of the host's MANIFEST.json
//   roles/lvs_files/handlers/main.yml apply.sh then verify.sh, only when a file changed
//
// The generated tree is DIR/<host>/<absolute path> with DIR/<host>/MANIFEST.json (path, octal
// mode, sha256 of each file), i.e. `lvsdr generate --out X` with DIR = X/<cluster>.

export interface AnsibleHost {
  name: string;
  address: string;
  role: 'server' | 'backup' | 'master';
}

export interface AnsibleSetup {
  hosts: AnsibleHost[];
  /** The generated tree of the cluster (DIR above). */
  filesRoot: string;
  privateKey: string;
  knownHosts: string;
  forks: number;
}

const yamlString = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML scalar

export function ansibleCfg(s: AnsibleSetup): string {
  return [
    '[defaults]',
    'inventory = inventory.yml',
    `forks = ${s.forks}`,
    '# Every lab host has Debian\'s python3: no interpreter discovery round trip.',
    'interpreter_python = /usr/bin/python3',
    'host_key_checking = True',
    'retry_files_enabled = False',
    'nocows = True',
    '# Per-task times at the end of the output (the bench keeps the logs).',
    'callbacks_enabled = ansible.posix.profile_tasks',
    '',
    '[ssh_connection]',
    '# ssh_args is left at its default (-C -o ControlMaster=auto -o ControlPersist=60s).',
    'pipelining = True',
    '',
  ].join('\n');
}

export function inventoryYaml(s: AnsibleSetup): string {
  const group = (role: AnsibleHost['role']) => s.hosts.filter((h) => h.role === role)
    .map((h) => `        ${h.name}:\n          ansible_host: ${h.address}`).join('\n');
  return [
    'all:',
    '  vars:',
    '    ansible_user: root',
    `    ansible_ssh_private_key_file: ${yamlString(s.privateKey)}`,
    `    ansible_ssh_common_args: ${yamlString(`-o UserKnownHostsFile=${s.knownHosts} -o StrictHostKeyChecking=yes`)}`,
    `    lvs_files_root: ${yamlString(s.filesRoot)}`,
    '  children:',
    '    real_servers:',
    '      hosts:',
    group('server'),
    '    backup_directors:',
    '      hosts:',
    group('backup'),
    '    master_directors:',
    '      hosts:',
    group('master'),
    '',
  ].join('\n');
}

/** Real servers first (all at once), then the backup director(s), then the master. */
export const SITE_YML = `# Same order as lvsdr deploy. any_errors_fatal: a failure stops the rollout before the next group.
- name: Real servers
  hosts: real_servers
  gather_facts: false
  any_errors_fatal: true
  roles: [lvs_files]

- name: Backup director
  hosts: backup_directors
  gather_facts: false
  any_errors_fatal: true
  roles: [lvs_files]

- name: Master director
  hosts: master_directors
  gather_facts: false
  any_errors_fatal: true
  roles: [lvs_files]
`;

export const TASKS_YML = `- name: Read the manifest lvsdr generate wrote for this host
  ansible.builtin.set_fact:
    lvs_manifest: "{{ lookup('ansible.builtin.file', lvs_files_root ~ '/' ~ inventory_hostname ~ '/MANIFEST.json') | from_json }}"

# copy does not create the parent directory of a file destination.
- name: Directories of the generated files
  ansible.builtin.file:
    path: "{{ item }}"
    state: directory
    mode: "0755"
  loop: "{{ lvs_manifest.files | map(attribute='path') | map('dirname') | unique }}"

- name: Generated files
  ansible.builtin.copy:
    src: "{{ lvs_files_root }}/{{ inventory_hostname }}{{ item.path }}"
    dest: "{{ item.path }}"
    mode: "{{ item.mode }}"
    owner: root
    group: root
  loop: "{{ lvs_manifest.files }}"
  loop_control:
    label: "{{ item.path }}"
  notify: Generated files changed
`;

export const HANDLERS_YML = `# Handlers run in this order, once, at the end of the play, and only if a file changed.
- name: Run apply.sh
  ansible.builtin.command: /opt/lvs/apply.sh
  listen: Generated files changed

- name: Run verify.sh
  ansible.builtin.command: /opt/lvs/verify.sh
  changed_when: false
  listen: Generated files changed
`;

/** Relative path → text of every file of the Ansible project. */
export function ansibleProject(s: AnsibleSetup): Record<string, string> {
  return {
    'ansible.cfg': ansibleCfg(s),
    'inventory.yml': inventoryYaml(s),
    'site.yml': SITE_YML,
    'roles/lvs_files/tasks/main.yml': TASKS_YML,
    'roles/lvs_files/handlers/main.yml': HANDLERS_YML,
  };
}

export interface RecapLine {
  ok: number;
  changed: number;
  unreachable: number;
  failed: number;
}

/** The PLAY RECAP of ansible-playbook's default output: host → counters. */
export function parseRecap(stdout: string): Map<string, RecapLine> {
  const out = new Map<string, RecapLine>();
  const at = stdout.lastIndexOf('PLAY RECAP');
  if (at < 0) return out;
  for (const line of stdout.slice(at).split('\n').slice(1)) {
    const m = /^(\S+)\s+:\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const n = (k: string) => Number(new RegExp(`\\b${k}=(\\d+)`).exec(m[2])?.[1] ?? NaN);
    out.set(m[1], { ok: n('ok'), changed: n('changed'), unreachable: n('unreachable'), failed: n('failed') });
  }
  return out;
}
