// Running the Ansible export for the tests: the tools' presence (skip locally, fail under
// CI=true), the export written by the built CLI, and ansible-playbook with the JSON callback
// (ansible.posix.json) read into per-host, per-task results.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const CLI = 'dist/server/cli.js';

/** The first of the tools that is missing, or undefined. */
export function missingTool(tools: string[]): string | undefined {
  return tools.find((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
}

/** `lvsdr export ansible LVS --out DIR`; throws with its stderr when it fails. */
export function exportProject(lvs: string, out: string, extra: string[] = []): string {
  const r = spawnSync(process.execPath, [CLI, 'export', 'ansible', lvs, '--out', out, ...extra], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`lvsdr export ansible exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

export interface TaskResult {
  task: string;
  changed: boolean;
  failed: boolean;
  skipped: boolean;
  stdout?: string;
  diff?: unknown;
  /** Loop items' results when the task looped. */
  items?: Array<{ item?: unknown; changed?: boolean; diff?: unknown }>;
}

export interface PlaybookRun {
  code: number;
  seconds: number;
  stats: Record<string, { ok: number; changed: number; failures: number; unreachable: number; skipped: number }>;
  /** host → its task results in order. */
  tasks: Map<string, TaskResult[]>;
  raw: string;
  stderr: string;
}

interface JsonOutput {
  plays: Array<{ tasks: Array<{ task: { name: string }; hosts: Record<string, Record<string, unknown>> }> }>;
  stats: PlaybookRun['stats'];
}

/** Environment of an ansible-playbook run: the export's ansible.cfg, Ansible's files under `home`. */
export function ansibleEnv(project: string, home: string): Record<string, string> {
  mkdirSync(home, { recursive: true });
  return {
    ANSIBLE_CONFIG: join(project, 'ansible.cfg'), ANSIBLE_HOME: home, ANSIBLE_LOCAL_TEMP: join(home, 'tmp'),
    ANSIBLE_SSH_CONTROL_PATH_DIR: join(home, 'cp'), ANSIBLE_NOCOLOR: '1', ANSIBLE_STDOUT_CALLBACK: 'ansible.posix.json',
  };
}

/** Runs `prefix… ansible-playbook site.yml args…` in the project; the wall time is the child's. */
export function runPlaybook(prefix: string[], project: string, args: string[], env: Record<string, string>): Promise<PlaybookRun> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const argv = [...prefix, 'ansible-playbook', 'site.yml', ...args];
    const child = spawn(argv[0], argv.slice(1), { cwd: project, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    child.on('error', rej);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      let parsed: JsonOutput;
      try {
        parsed = JSON.parse(out.slice(out.indexOf('{'))) as JsonOutput;
      } catch {
        rej(new Error(`ansible-playbook exited ${code} without JSON output:\n${out}\n${err}`));
        return;
      }
      const tasks = new Map<string, TaskResult[]>();
      for (const play of parsed.plays) {
        for (const t of play.tasks) {
          for (const [host, r] of Object.entries(t.hosts)) {
            const list = tasks.get(host) ?? [];
            list.push({
              // The JSON callback names a role's task `role : name`.
              task: t.task.name.replace(/^[a-z_]+ : /, ''), changed: r.changed === true, failed: r.failed === true, skipped: r.skipped === true,
              stdout: typeof r.stdout === 'string' ? r.stdout : undefined, diff: r.diff,
              items: Array.isArray(r.results) ? (r.results as TaskResult['items']) : undefined,
            });
            tasks.set(host, list);
          }
        }
      }
      res({ code: code ?? 1, seconds, stats: parsed.stats, tasks, raw: out, stderr: err });
    });
  });
}

/** The names of the tasks that reported a change on `host`. */
export function changedTasks(run: PlaybookRun, host: string): string[] {
  return (run.tasks.get(host) ?? []).filter((t) => t.changed).map((t) => t.task);
}

/** One line per host of the recap, for assertion messages. */
export function recap(run: PlaybookRun): string {
  return Object.entries(run.stats).map(([h, s]) => `${h}: ok=${s.ok} changed=${s.changed} failed=${s.failures} unreachable=${s.unreachable}`).join('; ');
}
