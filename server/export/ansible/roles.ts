// The two roles of the export, lvs_real_server and lvs_director, and the playbook that runs them
// in lvsdr deploy's order. The roles hold no cluster data: each host's files, modes and sysctls
// come from its host_vars, the bytes from files/ and templates/ (see index.ts).
//
// What a run does on a host, as lvsdr deploy does it:
//   1. (lvs_check_os) the host's OS family is the one the .lvs file targets;
//   2. every generated file with its mode (copy, which creates a missing parent directory;
//      keepalived.conf by template, checked with `keepalived --config-test` before it replaces
//      the old one);
//   3. only when a file changed: apply.sh (a handler, flushed here), which reloads keepalived
//      when its configuration changed (SIGHUP or `systemctl reload`, never a restart) and starts
//      it when it does not run; the task reports `changed` only when apply.sh says it changed
//      something (its `changed:`, `added:`, `reloaded:`… lines);
//   4. verify.sh, also under --check (it only reads); skipped under --check when files would
//      change (it would judge the old state);
//   5. only when verify.sh fails: the sysctls of the generated sysctl.d file, with
//      ansible.posix.sysctl against that same file (which it never rewrites, the values being
//      equal), then verify.sh again, which must pass. A kernel value changed by hand while no
//      file changed (so apply.sh did not run) is set back. Not before apply.sh: apply.sh records
//      each value it replaces for rollback.sh, and must see the old one. Not on every run: each
//      sysctl is a module run per host.
import { yamlFile } from './yaml-text';

/** apply.sh's output words for something it changed (server/generate/apply-script.ts). */
const APPLY_CHANGED = '^(added|announced|changed|disabled|enabled|reloaded|removed|restored|started|stopped):';

function checkOsTasks(): unknown[] {
  return [{
    name: 'Check the OS family against the .lvs file',
    when: 'lvs_check_os | bool',
    block: [
      { name: 'Read the OS family', 'ansible.builtin.setup': { gather_subset: ['!all', 'min'] } },
      {
        name: 'Stop when the host runs another OS family than the file targets',
        'ansible.builtin.assert': {
          that: ['ansible_facts.os_family == lvs_os_family'],
          fail_msg: '{{ inventory_hostname }} runs {{ ansible_facts.os_family }}, the .lvs file targets {{ lvs_target_os }} ({{ lvs_os_family }}); set lvs_check_os=false to skip this check',
          quiet: true,
        },
      },
    ],
  }];
}

function copyTask(): unknown {
  return {
    name: 'Put the generated files',
    // dest ends with `/`: copy then creates a missing parent directory (0755, as lvsdr's upload
    // does) and leaves an existing one alone; the file keeps its name.
    'ansible.builtin.copy': { src: '{{ lvs_files_dir }}{{ item.path }}', dest: "{{ item.path | dirname }}/", mode: '{{ item.mode }}', directory_mode: '0755' },
    loop: "{{ lvs_files | rejectattr('template') }}",
    loop_control: { label: '{{ item.path }}' },
    register: 'lvs_copied',
    notify: 'Apply the runtime state',
  };
}

function afterFilesTasks(pending: string): unknown[] {
  const verify = (name: string, register: string, extra: Record<string, unknown>) => ({
    name,
    'ansible.builtin.command': '/opt/lvs/verify.sh',
    check_mode: false,
    changed_when: false,
    register,
    ...extra,
  });
  return [
    { name: 'Run apply.sh now if a file changed', 'ansible.builtin.meta': 'flush_handlers' },
    verify('Run verify.sh', 'lvs_verify', { failed_when: false, when: `not (ansible_check_mode and (${pending}))` }),
    {
      // Only when verify.sh finds something wrong (a value changed by hand on the running kernel
      // while no file changed, so apply.sh did not run): set the values of the generated file.
      name: 'Repair the running kernel\'s sysctls from the generated file',
      'ansible.posix.sysctl': { name: '{{ item.name }}', value: '{{ item.value }}', sysctl_file: '{{ lvs_sysctl_file }}', sysctl_set: true, reload: false },
      loop: '{{ lvs_sysctls }}',
      loop_control: { label: '{{ item.name }}={{ item.value }}' },
      when: 'lvs_verify.rc is defined and lvs_verify.rc != 0',
    },
    verify('Run verify.sh again after the repair', 'lvs_verify_again', { when: 'lvs_verify.rc is defined and lvs_verify.rc != 0' }),
  ];
}

const COMMON_DEFAULTS = {
  lvs_check_os: true,
  lvs_host: '{{ lvs_cluster }}/{{ inventory_hostname }}',
  lvs_files_dir: '{{ playbook_dir }}/files/{{ lvs_host }}',
};

function applyHandler(listen: string[], name: string): unknown {
  return {
    name,
    'ansible.builtin.command': '/opt/lvs/apply.sh',
    register: 'lvs_apply',
    changed_when: `lvs_apply.stdout is search('${APPLY_CHANGED}', multiline=True)`,
    listen,
  };
}

export function realServerRole(): Record<string, string> {
  return {
    'tasks/main.yml': yamlFile(['Role lvs_real_server: the generated files of an LVS-DR real server, applied', 'as lvsdr deploy applies them (see README.md).'], [
      ...checkOsTasks(),
      copyTask(),
      ...afterFilesTasks('lvs_copied is changed'),
    ]),
    'handlers/main.yml': yamlFile(['apply.sh is idempotent: it changes only what differs and says what it changed.'], [
      applyHandler(['Apply the runtime state'], 'Run apply.sh'),
    ]),
    'defaults/main.yml': yamlFile(['Defaults of lvs_real_server; the export\'s host_vars give the files.'], COMMON_DEFAULTS),
  };
}

export function directorRole(): Record<string, string> {
  return {
    'tasks/main.yml': yamlFile(['Role lvs_director: the generated files of an LVS-DR director, applied', 'as lvsdr deploy applies them (see README.md).'], [
      ...checkOsTasks(),
      {
        name: 'Check the VRRP secret is set',
        when: 'lvs_vrrp_auth_required | bool',
        'ansible.builtin.assert': {
          that: [
            'lvs_vrrp_auth is defined',
            'lvs_vrrp_auth | length > 0',
            "lvs_vrrp_auth is match('^[ -~]+$')",
            "lvs_vrrp_auth is not search('[\"\\\\\\\\]')",
            "lvs_vrrp_auth is not search('\\$[A-Za-z_{]')",
          ],
          fail_msg: 'the VRRP secret is empty or holds a character keepalived.conf cannot carry (see README.md, Secrets)',
          quiet: true,
        },
        no_log: true,
      },
      copyTask(),
      {
        name: 'Put keepalived.conf, checked by keepalived first',
        'ansible.builtin.template': {
          src: '{{ lvs_templates_dir }}{{ item.path }}.j2', dest: '{{ item.path }}', mode: '{{ item.mode }}',
          validate: 'keepalived --config-test -f %s',
        },
        loop: "{{ lvs_files | selectattr('template') }}",
        loop_control: { label: '{{ item.path }}' },
        // The diff would print auth_pass: shown only when asked for (README.md, --check --diff).
        diff: '{{ lvs_show_secret_diff | bool }}',
        register: 'lvs_templated',
        notify: 'Reload keepalived',
      },
      ...afterFilesTasks('lvs_copied is changed or lvs_templated is changed'),
    ]),
    'handlers/main.yml': yamlFile([
      'apply.sh is idempotent: it changes only what differs and says what it changed.',
      'It is also how keepalived is reloaded: SIGHUP or `systemctl reload`, never a restart',
      '(a restart drops the VIP and the IPVS table); it starts keepalived when it does not run.',
    ], [
      applyHandler(['Apply the runtime state', 'Reload keepalived'], 'Run apply.sh (reloads keepalived, never restarts it)'),
    ]),
    'defaults/main.yml': yamlFile(['Defaults of lvs_director; the export\'s host_vars give the files.'], {
      ...COMMON_DEFAULTS,
      lvs_templates_dir: '{{ playbook_dir }}/templates/{{ lvs_host }}',
      lvs_show_secret_diff: false,
      lvs_vrrp_auth_required: false,
    }),
  };
}

export function playbook(): string {
  const play = (name: string, hosts: string, role: string, serial: string | number) => ({
    name, hosts, gather_facts: false, any_errors_fatal: true, serial, roles: [role],
  });
  return yamlFile([
    'LVS-DR clusters exported by `lvsdr export ansible`, in the order of lvsdr deploy:',
    'real servers (lvs_real_server_serial at a time, default 4), then the backup',
    'directors one by one, then the master. A failure stops the whole run.',
  ], [
    play('Real servers', 'lvs_real_servers', 'lvs_real_server', '{{ lvs_real_server_serial | default(4) }}'),
    play('Backup directors', 'lvs_backup_directors', 'lvs_director', 1),
    play('Master directors', 'lvs_master_directors', 'lvs_director', 1),
  ]);
}
