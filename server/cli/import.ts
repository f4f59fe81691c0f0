// `lvsdr import [--keepalived FILE]... [--config-id ID]... [--ipvsadm FILE] [--cluster NAME]
// [--out FILE.lvs]`: adopts an existing cluster (server/import). The .lvs goes to --out or
// stdout; what was not expressible, inferred or noted, and the validator's findings, go to
// stderr. Exit 0 all imported, 4 something was reported as not expressible, 1 unreadable or
// invalid input (with file and line), 2 usage.
import { writeFileSync } from 'node:fs';
import { findingText, importCluster, ImportInput, ImportInputError } from '../import';
import { NAME_RE, NAME_RULE } from '../language/names';
import { parseCommand, usageLine } from './args';
import { IMPORT } from './commands';

export function importCommand(args: string[]): number {
  const parsed = parseCommand(IMPORT, args);
  if (typeof parsed === 'number') return parsed;
  const { keepalived = [], ipvsadm, cluster, out } = parsed.values;
  const ids = parsed.values['config-id'] ?? [];
  if ((keepalived.length === 0 && !ipvsadm) || parsed.positionals.length > 0) {
    process.stderr.write(`lvsdr import: ${parsed.positionals.length > 0 ? 'inputs are named by --keepalived and --ipvsadm' : 'nothing to import: give --keepalived FILE or --ipvsadm FILE'}\n${usageLine(IMPORT)}`);
    return 2;
  }
  let files: ImportInput['keepalived'];
  if (ids.length === 0) files = keepalived.map((path) => ({ path }));
  else if (keepalived.length === 1) files = ids.map((configId) => ({ path: keepalived[0], configId }));
  else if (ids.length === keepalived.length) files = keepalived.map((path, i) => ({ path, configId: ids[i] }));
  else {
    process.stderr.write(`lvsdr import: --config-id is given once per --keepalived, or several times for one file\n${usageLine(IMPORT)}`);
    return 2;
  }
  if (cluster !== undefined && !NAME_RE.test(cluster)) {
    process.stderr.write(`lvsdr import: --cluster ${cluster}: not a name (${NAME_RULE})\n`);
    return 2;
  }
  try {
    const r = importCluster({ keepalived: files, ipvsadm, cluster });
    for (const f of r.findings) process.stderr.write(findingText(f) + '\n');
    const where = out ?? '<stdout>';
    for (const v of r.validation) process.stderr.write(`${where}:${v.line}: ${v.severity} ${v.code}: ${v.message}\n`);
    if (out) writeFileSync(out, r.text);
    else process.stdout.write(r.text);
    return r.lossy ? 4 : 0;
  } catch (err) {
    if (err instanceof ImportInputError) {
      process.stderr.write(`lvsdr import: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}
