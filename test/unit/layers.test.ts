// The layer rules (.dependency-cruiser.cjs) run the way the lint tier runs them, over a small
// tree laid out like the repository: every deliberate violation in it must be reported as an
// error under the rule that forbids it, every allowed import must pass, and the command must
// fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const ROOT = process.cwd();

/** Files of the fixture tree; every import that is not listed in VIOLATIONS is allowed. */
const FILES: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', private: true, devDependencies: { valibot: '1.0.0', '@types/vscode': '1.0.0' } }),
  'node_modules/valibot/package.json': JSON.stringify({ name: 'valibot', version: '1.0.0', main: 'index.js' }),
  'node_modules/valibot/index.js': 'exports.string = () => ({});\n',
  'node_modules/left-pad/package.json': JSON.stringify({ name: 'left-pad', version: '1.0.0', main: 'index.js' }),
  'node_modules/left-pad/index.js': 'module.exports = (s) => s;\n',
  'node_modules/@types/vscode/package.json': JSON.stringify({ name: '@types/vscode', version: '1.0.0', types: 'index.d.ts' }),
  'node_modules/@types/vscode/index.d.ts': "declare module 'vscode' { export const version: string; }\n",

  'server/shared/quote.ts': 'export const quote = (s: string) => s;\n',
  'server/shared/reaches-up.ts': "import { value } from '../language/values';\nexport const x = value;\n",
  'server/language/values.ts': "export const value = 'v';\n",
  'server/language/names.ts': "import { parse } from './parse';\nexport const NAME_RE = parse;\n",
  'server/language/parse.ts': "import { value } from './values';\nimport { quote } from '../shared/quote';\nexport const parse = () => quote(value);\n",
  'server/language/reaches-up.ts': "import { model } from '../model/topology';\nexport const x = model;\n",
  'server/language/vocabulary.ts': "export const ROLES = ['master', 'backup'];\n",
  'server/protocol/messages.ts': "import * as v from 'valibot';\nimport { value } from '../language/values';\nimport { ROLES } from '../language/vocabulary';\nexport const schema = [v.string(), value, ROLES];\n",
  'server/protocol/reaches-engine.ts': "import { parse } from '../language/parse';\nexport const x = parse;\n",
  'server/protocol/uses-node.ts': "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n",
  'server/protocol/uses-package.ts': "import pad from 'left-pad';\nexport const x = pad;\n",
  'server/model/topology.ts': "import { parse } from '../language/parse';\nimport { schema } from '../protocol/messages';\nexport const model = [parse, schema];\n",
  'server/model/reaches-up.ts': "import { rules } from '../validation/registry';\nexport const x = rules;\n",
  'server/model/typo.ts': "import { nothing } from './no-such-module';\nexport const x = nothing;\n",
  'server/validation/registry.ts': "import { model } from '../model/topology';\nexport const rules = model;\n",
  'server/validation/reaches-up.ts': "import { generate } from '../generate/index';\nexport const x = generate;\n",
  'server/generate/index.ts': "import { rules } from '../validation/registry';\nimport { quote } from '../shared/quote';\nexport const generate = [rules, quote];\n",
  'server/generate/reaches-aside.ts': "import { diagram } from '../diagram/model';\nexport const x = diagram;\n",
  'server/generate/reaches-client.ts': "import { client } from '../../client/extension';\nexport const x = client;\n",
  'server/diagram/model.ts': "import { rules } from '../validation/registry';\nexport const diagram = rules;\n",
  'server/diagram/reaches-up.ts': "import type { Analysis } from '../lsp/analysis';\nexport type X = Analysis;\n",
  'server/lsp/analysis.ts': "import { diagram } from '../diagram/model';\nimport { generate } from '../generate/index';\nexport type Analysis = typeof diagram | typeof generate;\n",
  'server/lsp/reaches-deploy.ts': "import { deploy } from '../deploy/engine';\nexport const x = deploy;\n",
  'server/lsp/uses-vscode.ts': "import * as vscode from 'vscode';\nexport const x = vscode.version;\n",
  'server/deploy/types.ts': "import type { PlanResult } from './engine';\nexport interface Options { plan?: PlanResult }\n",
  'server/deploy/engine.ts': "import { Options } from './types';\nimport { labState } from '../lab/index';\nimport { generate } from '../generate/index';\nexport interface PlanResult { ok: boolean }\nexport const deploy = (o: Options) => [o, labState, generate];\n",
  'server/deploy/reaches-lab-internals.ts': "import { readState } from '../lab/state';\nexport const x = readState;\n",
  'server/lab/state.ts': "export const readState = () => undefined;\n",
  'server/lab/index.ts': "export { readState as labState } from './state';\n",
  'server/lab/reaches-deploy.ts': "import { deploy } from '../deploy/engine';\nexport const x = deploy;\n",
  'server/lab/reaches-tests.ts': "import { helper } from '../../test/helper';\nexport const x = helper;\n",
  'server/cli/lab.ts': "import { readState } from '../lab/state';\nexport const lab = readState;\n",
  'server/cli/main.ts': "import { lab } from './lab';\nimport { deploy } from '../deploy/engine';\nimport { labState } from '../lab/index';\nimport { Analysis } from '../lsp/analysis';\nexport const main = (a?: Analysis) => [lab, deploy, labState, a];\n",
  'server/lsp/formatting.ts': "export const formatText = (s: string) => s;\n",
  'server/import/index.ts': "import { generate } from '../generate/index';\nimport { formatText } from '../lsp/formatting';\nexport const importCluster = [generate, formatText];\n",
  'server/import/reaches-lsp.ts': "import type { Analysis } from '../lsp/analysis';\nexport type X = Analysis;\n",
  'server/cli/import.ts': "import { importCluster } from '../import/index';\nimport type { X } from '../import/reaches-lsp';\nexport const run = (x?: X) => [importCluster, x];\n",
  'server/cli/reaches-import.ts': "import { importCluster } from '../import/index';\nexport const x = importCluster;\n",
  'server/export/index.ts': "import { generate } from '../generate/index';\nexport const exportProject = generate;\n",
  'server/export/reaches-deploy.ts': "import { deploy } from '../deploy/engine';\nexport const x = deploy;\n",
  'server/cli/export.ts': "import { exportProject } from '../export/index';\nexport const run = exportProject;\n",
  'server/cli/reaches-export.ts': "import { exportProject } from '../export/index';\nexport const x = exportProject;\n",
  'server/cli/reaches-entry.ts': "import '../cli';\nexport const x = 1;\n",
  'server/cli.ts': "import { main } from './cli/main';\nmain();\n",
  'client/extension.ts': "import * as vscode from 'vscode';\nimport { schema } from '../server/protocol/messages';\nimport { quote } from '../server/shared/quote';\nexport const client = [vscode.version, schema, quote];\n",
  'client/reaches-engine.ts': "import { diagram } from '../server/diagram/model';\nexport const x = diagram;\n",
  'media/main.ts': "import { schema } from '../server/protocol/messages';\nimport { value } from '../server/language/values';\nexport const x = [schema, value];\n",
  'media/reaches-client.ts': "import { client } from '../client/extension';\nexport const x = client;\n",
  'media/reaches-parser.ts': "import { parse } from '../server/language/parse';\nexport const x = parse;\n",
  'media/uses-node.ts': "import { join } from 'node:path';\nexport const x = join;\n",
  'test/helper.ts': "import { deploy } from '../server/deploy/engine';\nimport { readState } from '../server/lab/state';\nimport { x } from '../media/reaches-client';\nexport const helper = [deploy, readState, x];\n",
};

/** rule: from → to, as dependency-cruiser reports them (a cycle once, at the edge it found first). */
const VIOLATIONS = [
  'shared-is-a-leaf: server/shared/reaches-up.ts → server/language/values.ts',
  'language-is-the-base: server/language/reaches-up.ts → server/model/topology.ts',
  'protocol-is-self-contained: server/protocol/reaches-engine.ts → server/language/parse.ts',
  'language-leaves-import-nothing: server/language/names.ts → server/language/parse.ts',
  'protocol-needs-only-valibot: server/protocol/uses-node.ts → fs',
  'protocol-needs-only-valibot: server/protocol/uses-package.ts → node_modules/left-pad/index.js',
  'model-above-language: server/model/reaches-up.ts → server/validation/registry.ts',
  'no-unresolvable: server/model/typo.ts → ./no-such-module',
  'validation-above-model: server/validation/reaches-up.ts → server/generate/index.ts',
  'generate-above-validation: server/generate/reaches-aside.ts → server/diagram/model.ts',
  'server-is-editor-neutral: server/generate/reaches-client.ts → client/extension.ts',
  'diagram-above-validation: server/diagram/reaches-up.ts → server/lsp/analysis.ts',
  'lsp-below-cli: server/lsp/reaches-deploy.ts → server/deploy/engine.ts',
  'server-is-editor-neutral: server/lsp/uses-vscode.ts → node_modules/@types/vscode/index.d.ts',
  'no-circular: server/deploy/engine.ts → server/deploy/types.ts',
  'lab-through-its-public-module: server/deploy/reaches-lab-internals.ts → server/lab/state.ts',
  'lab-below-cli: server/lab/reaches-deploy.ts → server/deploy/engine.ts',
  'products-do-not-import-tests: server/lab/reaches-tests.ts → test/helper.ts',
  'import-below-cli: server/import/reaches-lsp.ts → server/lsp/analysis.ts',
  'import-through-its-public-module: server/cli/import.ts → server/import/reaches-lsp.ts',
  'import-used-by-cli-only: server/cli/reaches-import.ts → server/import/index.ts',
  'export-below-cli: server/export/reaches-deploy.ts → server/deploy/engine.ts',
  'export-used-by-cli-only: server/cli/reaches-export.ts → server/export/index.ts',
  'entry-points-are-not-libraries: server/cli/reaches-entry.ts → server/cli.ts',
  'client-uses-contracts: client/reaches-engine.ts → server/diagram/model.ts',
  'media-uses-contracts: media/reaches-client.ts → client/extension.ts',
  'media-uses-contracts: media/reaches-parser.ts → server/language/parse.ts',
  'media-is-browser-code: media/uses-node.ts → path',
];

interface Violation {
  rule: { name: string; severity: string };
  from: string;
  to: string;
}

/** The lint tier's depcruise command (package.json `lint:layers`), as an argv for node. */
function lintLayersArgv(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const [tool, ...args] = scripts['lint:layers'].split(/\s+/);
  assert.equal(tool, 'depcruise');
  assert.ok((scripts.lint ?? '').includes('lint:layers'), 'npm run lint runs lint:layers');
  return [resolve(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs'), ...args];
}

test('layer rules: every deliberate violation fails the lint command with its rule, allowed imports pass', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-layers-'));
  try {
    for (const [path, text] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));

    const plain = spawnSync(process.execPath, lintLayersArgv(), { cwd: dir, encoding: 'utf8' });
    assert.notEqual(plain.status, 0, `the lint command passed a tree full of violations:\n${plain.stdout}${plain.stderr}`);
    // depcruise colours its report when it thinks it runs in CI (CI=true): compare the text only.
    const report = plain.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    assert.match(report, /error lab-through-its-public-module: server\/deploy\/reaches-lab-internals\.ts/);

    const json = spawnSync(process.execPath, [...lintLayersArgv(), '--output-type', 'json'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    assert.equal(json.stderr, '');
    const violations = (JSON.parse(json.stdout) as { summary: { violations: Violation[] } }).summary.violations;
    assert.ok(violations.every((v) => v.rule.severity === 'error'), 'every rule is an error');
    const got = violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`).sort();
    assert.deepEqual(got, [...VIOLATIONS].sort());
    assert.equal(plain.status, violations.length, 'the exit status counts the errors');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
