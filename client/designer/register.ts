// Registers the designer at activation: the custom editor and its command. The provider itself is
// in its own bundle (part.ts), loaded when a designer opens or the command runs.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { LazyPart } from '../lazy-part';
import { DESIGNER_VIEW_TYPE, OPEN_DESIGNER_COMMAND } from './names';
import type * as DesignerPart from './part';
import type { DesignerApi, DesignerProvider } from './provider';
import type { LiveSource } from '../live/live-source';

/**
 * Registers the designer; returns the test API, which loads the provider only to apply or receive
 * something. `live`: its Live toggle watches through the same live status as the status bar.
 */
export function registerDesigner(context: vscode.ExtensionContext, client: Promise<LanguageClient>, live: LiveSource): DesignerApi {
  const part = new LazyPart<typeof DesignerPart, DesignerProvider>('designer', (p) => p.createDesigner(context, client, live));
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(DESIGNER_VIEW_TYPE, {
      resolveCustomTextEditor: (document, panel, token) => part.get().resolveCustomTextEditor(document, panel, token),
    }, {
      // No retainContextWhenHidden: the webview keeps its UI state with getState/setState and
      // asks for the model again when it is shown (see docs/decisions.md).
      supportsMultipleEditorsPerDocument: false,
    }),
    vscode.commands.registerCommand(OPEN_DESIGNER_COMMAND, (uri?: unknown, cluster?: unknown) => part.get().open(uri, cluster)),
  );
  const loaded = () => part.ifLoaded()?.api();
  return {
    openPanels: () => loaded()?.openPanels() ?? [],
    applyIntent: (uri, intent, version) => part.get().api().applyIntent(uri, intent, version),
    lastModel: (uri) => loaded()?.lastModel(uri),
    lastRendered: (uri) => loaded()?.lastRendered(uri),
    lastSelect: (uri) => loaded()?.lastSelect(uri),
    webviewErrors: (uri) => loaded()?.webviewErrors(uri) ?? [],
    liveState: (uri) => loaded()?.liveState(uri),
    receive: (uri, message) => part.get().api().receive(uri, message),
    // Answering a modal for the user: only for the extension's own tests.
    ...(context.extensionMode === vscode.ExtensionMode.Test ? { setActionConfirm: (confirm: Parameters<NonNullable<DesignerApi['setActionConfirm']>>[0]) => part.get().api().setActionConfirm?.(confirm) } : {}),
  };
}
