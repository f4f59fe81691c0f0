// Every `lvsdr` command: its options and help (the top-level help lists them all). This module
// imports nothing heavy: main.ts answers `--help` and usage errors from it, then loads only the
// module of the command that runs.
import { joinMsgs, t } from '../shared/l10n/message';
import { defineCommand } from './args';
import { inReaderLanguage } from './reader-language';

const target = { type: 'string', arg: 'lab|hosts', help: t`where to deploy: the local lab or the hosts of the file (default: the lab when a lab of this file is up)` } as const;
const cluster = { type: 'string', arg: 'NAME', help: t`the cluster of the file (needed when it has several)` } as const;
const identity = { type: 'string', short: 'i', arg: 'KEY', help: t`SSH private key file instead of the file's \`ssh key\`` } as const;
const knownHosts = { type: 'string', arg: 'FILE', help: t`known_hosts file instead of the file's \`ssh known-hosts\`` } as const;
const acceptNew = { type: 'boolean', help: t`accept and record unknown host keys (check their fingerprints first)` } as const;
const acceptKey = { type: 'string', multiple: true, arg: 'SHA256:FP', help: t`accept an unknown host key only if it has this fingerprint` } as const;
const trustRepoKnownHosts = { type: 'boolean', help: t`use a known_hosts the file names inside its own repository (check its keys first; docs/deploy.md)` } as const;
const skipOsCheck = { type: 'boolean', help: t`do not compare the hosts' OS family with \`target os\`` } as const;
const journalDir = { type: 'string', arg: 'DIR', help: t`where journals are (default .lvs-deploy/ beside the file)` } as const;
const events = { type: 'string', arg: 'jsonl', help: t`one JSON event per line on stdout, answers as JSON lines on stdin (docs/deploy.md); human output goes to stderr` } as const;
const json = { type: 'boolean', help: t`the result as JSON on stdout` } as const;

export const CHECK = defineCommand({
  name: 'check', operands: 'FILE|DIR...', summary: t`validate .lvs files, also against each other`,
  notes: t`a directory stands for the .lvs files under it\nexit 0 no errors, 1 errors, 2 unreadable input or bad usage`,
  options: { format: { type: 'string', arg: 'text|json', help: t`one line per diagnostic (text, default) or a JSON array` } },
});

export const GENERATE = defineCommand({
  name: 'generate', operands: 'FILE --out DIR', summary: t`write every host's files and a MANIFEST.json per host`,
  notes: t`files go to DIR/<cluster>/<host>/<absolute target path>\nexit 0 written, 1 the file has errors, 2 unreadable input or bad usage`,
  options: {
    out: { type: 'string', short: 'o', arg: 'DIR', help: t`output directory (required)` },
    cluster,
    preview: { type: 'boolean', help: t`placeholders instead of secret values` },
  },
});

export const IMPORT = defineCommand({
  name: 'import', operands: '', summary: t`adopt an existing cluster: keepalived.conf files and an IPVS table, or live hosts over SSH, become a .lvs file`,
  notes: t`without --out the .lvs goes to stdout and the findings to stderr (docs/import.md)\nexit 0 all imported, 4 something was not expressible, 1 unreadable or invalid input, 2 usage`,
  options: {
    keepalived: { type: 'string', multiple: true, arg: 'FILE', help: t`a director's keepalived.conf (once per director)` },
    'config-id': { type: 'string', multiple: true, arg: 'ID', help: t`keepalived's config id (-i) selecting \`@ID\` lines: one per --keepalived, or several for one shared file` },
    ipvsadm: { type: 'string', arg: 'FILE', help: t`the IPVS table as \`ipvsadm -Sn\` (or \`ipvsadm -Ln\`) prints it` },
    ssh: { type: 'string', multiple: true, arg: 'USER@ADDR', help: t`read a live host over SSH (read-only commands): each director, and real servers (the others are found in the IPVS table); ADDR may be a Host alias of ~/.ssh/config with an IPv4 HostName` },
    key: { type: 'string', arg: 'PATH', help: t`with --ssh: the private key (default: ~/.ssh/config, the agent, ~/.ssh/id_*)` },
    'known-hosts': { type: 'string', arg: 'PATH', help: t`with --ssh: the known_hosts file (default ~/.ssh/known_hosts)` },
    'accept-new': { type: 'boolean', help: t`with --ssh: record unknown host keys (changed keys are always refused)` },
    events: { type: 'string', arg: 'jsonl', help: t`the event channel on stdout: host-key questions, the .lvs and the findings in the result event` },
    cluster: { type: 'string', arg: 'NAME', help: t`the cluster's name (default imported)` },
    out: { type: 'string', short: 'o', arg: 'FILE.lvs', help: t`write the .lvs here instead of stdout` },
  },
});

export const EXPORT_ANSIBLE = defineCommand({
  name: 'export ansible', operands: 'FILE --out DIR', summary: t`an Ansible project (inventory, playbook, two roles) that puts the generated files`,
  notes: t`DIR must be empty or hold an earlier export (its files are replaced); docs/ansible.md\nexit 0 written, 1 the file has errors or cannot be exported, 2 unreadable input or bad usage`,
  options: {
    out: { type: 'string', short: 'o', arg: 'DIR', help: t`output directory (required)` },
    cluster,
  },
});

export const PLAN = defineCommand({
  name: 'plan', operands: 'FILE|DIR', summary: t`what a deploy would change (reads the hosts, writes nothing)`,
  notes: t`a directory stands for every cluster of the .lvs files under it (not with --json or --events)\nexit 0 no change, 3 changes, 1 error, 2 usage (a directory: the worst of its clusters)`,
  options: { target, cluster, json, events, 'accept-new': acceptNew, 'accept-key': acceptKey, identity, 'known-hosts': knownHosts, 'trust-repo-known-hosts': trustRepoKnownHosts, 'skip-os-check': skipOsCheck },
});

export const DEPLOY = defineCommand({
  name: 'deploy', operands: 'FILE', summary: t`ordered, transactional deploy over SSH with rollback`,
  notes: t`exit 0 deployed (or nothing to do), 1 failed (rolled back), 130 cancelled, 2 usage`,
  options: {
    target, cluster,
    yes: { type: 'boolean', short: 'y', help: t`apply the plan without asking (needed without a terminal)` },
    'plan-id': { type: 'string', arg: 'ID', help: t`deploy only if the plan is still the one \`lvsdr plan --json\` showed` },
    concurrency: { type: 'string', arg: 'N', help: t`real servers changed at once (1 to 64, default 4)` },
    probe: { type: 'boolean', help: t`HTTP probe through each VIP afterwards (default for the lab)` },
    'no-probe': { type: 'boolean', help: t`no probe` },
    'drain-timeout': { type: 'string', arg: 'SECONDS', help: t`wait for drained real servers' connections (default 60)` },
    'confirm-timeout': { type: 'string', arg: 'SECONDS', help: t`a changed host restores its backup by itself when the deploy is silent this long (5 to 86400, default 120)` },
    events, 'journal-dir': journalDir, 'accept-new': acceptNew, 'accept-key': acceptKey, identity, 'known-hosts': knownHosts, 'trust-repo-known-hosts': trustRepoKnownHosts, 'skip-os-check': skipOsCheck,
    'explain-ssh': { type: 'string', arg: 'HOST', help: t`print how HOST is reached (each SSH setting and where it came from: --identity, the file, ~/.ssh/config) and stop; contacts nothing` },
  },
});

export const ROLLBACK = defineCommand({
  name: 'rollback', operands: 'FILE', summary: t`roll back the last deploy of the cluster`,
  notes: t`exit 0 rolled back, 1 error, 2 usage`,
  options: {
    target, cluster,
    force: { type: 'boolean', help: t`roll back even if the hosts changed since that deploy` },
    deploy: { type: 'string', arg: 'ID', help: t`roll back this deploy (its journal id), also one interrupted at \`running\`` },
    events, 'journal-dir': journalDir, 'accept-new': acceptNew, 'accept-key': acceptKey, identity, 'known-hosts': knownHosts, 'trust-repo-known-hosts': trustRepoKnownHosts,
  },
});

export const DRIFT = defineCommand({
  name: 'drift', operands: 'FILE|DIR', summary: t`the hosts' files and runtime state (LVS5xx) against the file`,
  notes: t`a directory stands for every cluster of the .lvs files under it (not with --json or --events)\nexit 0 in sync, 3 drift (files or runtime), 1 error, 2 usage (a directory: the worst of its clusters)`,
  options: { target, cluster, json, events, 'journal-dir': journalDir, 'accept-new': acceptNew, 'accept-key': acceptKey, identity, 'known-hosts': knownHosts, 'trust-repo-known-hosts': trustRepoKnownHosts },
});

const liveNotes = t`docs/live.md; runtime findings LVS5xx: docs/rules.md`;
const yes = { type: 'boolean', short: 'y', help: t`act without asking (needed without a terminal)` } as const;
const liveConn = { target, cluster, identity, 'known-hosts': knownHosts, 'accept-new': acceptNew, 'accept-key': acceptKey, 'trust-repo-known-hosts': trustRepoKnownHosts, 'journal-dir': journalDir } as const;

export const STATUS = defineCommand({
  name: 'status', operands: 'FILE', summary: t`the running cluster: VRRP, VIPs, IPVS, health, runtime findings (read-only)`,
  notes: t`${liveNotes}\nexit 0 no error finding, 3 runtime findings of severity error, 1 error, 2 usage`,
  options: {
    ...liveConn,
    json: { type: 'boolean', help: t`one JSON snapshot per line (server/protocol/live-snapshot.ts)` },
    watch: { type: 'boolean', short: 'w', help: t`refresh until interrupted` },
    interval: { type: 'string', arg: 'SECONDS', help: t`time between refreshes with --watch (0.5 to 3600, default 2)` },
    count: { type: 'string', arg: 'N', help: t`with --watch: stop after N refreshes` },
  },
});

export const DRAIN = defineCommand({
  name: 'drain', operands: 'FILE SERVER', summary: t`weight 0 for a real server on every director, then wait for its active connections to end`,
  notes: t`${liveNotes}\nthe drain is a runtime override, shown as drift (LVS510) until restored or the file says weight 0\nexit 0 drained, 4 timed out with connections left, 1 error or refused, 2 usage`,
  options: { ...liveConn, yes, events, timeout: { type: 'string', arg: 'SECONDS', help: t`wait at most this long for active connections to reach 0 (default 300)` }, 'no-wait': { type: 'boolean', help: t`set the weight and return` } },
});

export const RESTORE = defineCommand({
  name: 'restore', operands: 'FILE SERVER', summary: t`give a drained real server its weight from the file again`,
  notes: t`${liveNotes}\nexit 0 restored, 1 error or refused, 2 usage`,
  options: { ...liveConn, yes, events },
});

export const FAILOVER = defineCommand({
  name: 'failover', operands: 'FILE', summary: t`controlled failover: the VIPs to the backup director and back, with the client-visible gap measured`,
  notes: t`${liveNotes}\nexit 0 done, 1 error or refused, 2 usage`,
  options: { ...liveConn, yes, events, 'no-return': { type: 'boolean', help: t`leave the VIPs on the backup (the master stays stopped: a runtime override until restarted)` }, probe: { type: 'string', arg: 'URL', help: t`measure the gap with requests to this URL (default: the first HTTP service through its VIP)` } },
});

export const UNLOCK = defineCommand({
  name: 'unlock', operands: 'FILE --host HOST', summary: t`show who holds a host's deploy lock; break it when stale (or with --force)`,
  notes: t`a lock whose step still runs on the host is never broken\nexit 0 no lock or broken, 1 refused or error, 2 usage`,
  options: {
    host: { type: 'string', arg: 'HOST', help: t`the host (its name in the file) whose lock to look at (required)` },
    force: { type: 'boolean', help: t`break a lock whose holder looks alive (its SSH connection is still open)` },
    target, cluster, identity, 'known-hosts': knownHosts, 'trust-repo-known-hosts': trustRepoKnownHosts,
  },
});

export const LAB_NOTES = t`State directory: $LVSDR_LAB_DIR, default /var/lib/lvsdr/lab.`;

export const LAB_UP = defineCommand({
  name: 'lab up', operands: 'FILE', summary: t`build the cluster of FILE on this machine (root, Linux)`, notes: LAB_NOTES,
  options: { cluster, 'keep-on-failure': { type: 'boolean', help: t`leave a half-built lab for inspection` } },
});
export const LAB_STATUS = defineCommand({
  name: 'lab status', operands: '', summary: t`hosts, addresses, PIDs, keys, how to reach them`, notes: t`exit 0 a lab is up, 1 none\n${LAB_NOTES}`,
  options: { json: { type: 'boolean', help: t`the state as JSON (null when no lab is up)` } },
});
export const LAB_EXEC = defineCommand({
  name: 'lab exec', operands: 'HOST -- COMMAND...', summary: t`run a command on a lab host (exit status is the command's)`, notes: LAB_NOTES, options: {},
});
export const LAB_DOWN = defineCommand({
  name: 'lab down', operands: '', summary: t`stop every lab process and delete its namespaces`, notes: LAB_NOTES, options: {},
});
export const LAB_CHECK = defineCommand({
  name: 'lab check', operands: '', summary: t`check the machine's prerequisites (packages, root)`, notes: t`exit 0 present, 3 missing`, options: {},
});

export const LAB_COMMANDS = [LAB_UP, LAB_STATUS, LAB_EXEC, LAB_DOWN, LAB_CHECK];
export const COMMANDS = [CHECK, GENERATE, EXPORT_ANSIBLE, IMPORT, PLAN, DEPLOY, ROLLBACK, DRIFT, STATUS, DRAIN, RESTORE, FAILOVER, UNLOCK];

/** The top-level help: every command and lab command with its one-line summary. */
export function mainHelp(): string {
  const rows = [...COMMANDS, ...LAB_COMMANDS].map((c) => [`${c.name} ${c.operands}`.trimEnd(), inReaderLanguage(c.summary)]);
  const width = Math.max(...rows.map((r) => r[0].length));
  return `${inReaderLanguage(t`usage: ${joinMsgs(['lvsdr <command>', t`[options]`], ' ')}`)}\n\n${inReaderLanguage(t`commands:`)}\n` +
    rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}\n`).join('') +
    `\n${inReaderLanguage(t`\`lvsdr <command> --help\` (or \`lvsdr help <command>\`) shows the options of a command.`)}\n`;
}
