// Stand-alone entry of the lab CLI for development (`npx esbuild server/lab/lab-entry.ts
// --bundle --platform=node --outfile=/tmp/lab.js`); `lvsdr lab ...` is the real entry.
import { labCommand } from '../cli/lab';

labCommand(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e) => { process.stderr.write(`${String(e)}\n`); process.exitCode = 2; });
