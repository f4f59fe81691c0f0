// The deploy lab tests run the `lvsdr` command line in the lab's client namespace as a child
// process. dist/server/cli.js is used when its deploy bundle (cli-deploy.js) holds the deploy
// commands; otherwise the test file re-runs itself in "CLI mode" (LVSDR_DEPLOY_TEST_CLI=1), calling the same exported
// command functions (server/cli/deploy.ts) the real dispatch calls.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { runCli } from '../../server/cli/main';
import { deployCommand, driftCommand, planCommand, rollbackCommand } from '../../server/cli/deploy';

const commands: Record<string, (args: string[]) => Promise<number>> = {
  plan: planCommand, deploy: deployCommand, rollback: rollbackCommand, drift: driftCommand,
};

/** In CLI mode, runs the command of argv and returns true (the caller registers no tests). */
export function runAsCliIfAsked(): boolean {
  if (process.env.LVSDR_DEPLOY_TEST_CLI !== '1') return false;
  const [cmd, ...rest] = process.argv.slice(2);
  (commands[cmd] ?? ((args: string[]) => runCli([cmd, ...args])))(rest).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`lvsdr: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`); process.exitCode = 2; },
  );
  return true;
}

/** argv (after `node`) and env that run `lvsdr ARGS...`. */
export function cliInvocation(selfFile: string): { argv: string[]; env: Record<string, string> } {
  const dist = resolve('dist/server/cli.js');
  const bundle = resolve('dist/server/cli-deploy.js');
  if (existsSync(bundle) && /function deployCommand\b/.test(readFileSync(bundle, 'utf8'))) return { argv: [dist], env: {} };
  return { argv: [selfFile], env: { LVSDR_DEPLOY_TEST_CLI: '1' } };
}
