// `lvsdr`: the command-line face of the language server's brain (no VS Code needed).
import { runCli } from './cli/main';

runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`lvsdr: ${err instanceof Error ? err.message : String(err)}\n`); process.exitCode = 2; },
);
