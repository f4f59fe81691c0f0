// The entry point VS Code loads (package.json "main", dist/client/extension.js). It notes the
// time and loads the extension's bundle (dist/client/activation.js), so that the start-up figure
// of activate() includes reading and compiling that bundle.
import { performance } from 'node:perf_hooks';
import type * as vscode from 'vscode';
import type * as Activation from './activation';
import { loadBundlePart } from './bundle-part';

export type { LvsExtensionApi, StartupTimings } from './activation';

const loadStart = performance.now();
const activation = loadBundlePart<typeof Activation>('activation');
const loadMs = performance.now() - loadStart;

export function activate(context: vscode.ExtensionContext): Activation.LvsExtensionApi {
  return activation.activate(context, loadMs);
}

export function deactivate(): Thenable<void> | undefined {
  return activation.deactivate();
}
