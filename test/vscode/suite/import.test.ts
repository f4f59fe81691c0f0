// LVS: Import Existing Cluster… in a real VS Code: a director's keepalived.conf (with an include)
// becomes an unsaved .lvs editor beside a report of the findings, each linking to its source line.
// The command runs `lvsdr import` on the event channel; the live-host path reads over SSH and is
// tested against a real sshd in test/deploy/import-live-sandbox.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

suite('Import an existing cluster', () => {
  let dir: string;

  suiteSetup(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lvs-import-vscode-'));
    fs.mkdirSync(path.join(dir, 'conf.d'));
    fs.writeFileSync(path.join(dir, 'keepalived.conf'), [
      'global_defs {', '  router_id lvs1', '  smtp_server 10.0.0.1', '}',
      'vrrp_instance VI_1 {', '  state MASTER', '  interface eth0', '  virtual_router_id 51', '  priority 100', '  advert_int 1',
      '  unicast_src_ip 10.0.0.5', '  unicast_peer {', '    10.0.0.6', '  }',
      '  virtual_ipaddress {', '    10.0.0.100/32 dev eth0 label eth0:0', '  }', '}',
      'include conf.d/*.conf', '',
    ].join('\n'));
    fs.writeFileSync(path.join(dir, 'conf.d', 'web.conf'), [
      'virtual_server 10.0.0.100 80 {', '  lb_algo rr', '  lb_kind DR', '  protocol TCP',
      '  real_server 10.0.0.11 80 {', '    weight 1', '  }', '}', '',
    ].join('\n'));
    const ext = vscode.extensions.getExtension('lvs-dr-studio.lvs-dr-studio')!;
    await ((await ext.activate()) as { ready: Promise<void> }).ready;
  });

  suiteTeardown(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('from keepalived.conf: an unsaved .lvs editor and a report linking to the source lines; nothing written', async () => {
    const before = fs.readdirSync(dir).sort();
    const r = (await vscode.commands.executeCommand('lvs.importCluster', { keepalived: [path.join(dir, 'keepalived.conf')], cluster: 'web' })) as
      { document?: vscode.TextDocument; report?: vscode.TextDocument; error?: string };
    assert.equal(r.error, undefined);
    const doc = r.document!;
    assert.equal(doc.isUntitled, true, 'not written to disk until saved');
    assert.equal(doc.languageId, 'lvs');
    const text = doc.getText();
    assert.match(text, /^cluster web \{/);
    assert.match(text, /vip vip1 10\.0\.0\.100 {2}interface eth0:0/);
    assert.match(text, /director lvs1 \{ address 10\.0\.0\.5 {2}interface eth0 {2}role master {2}priority 100 \}/);
    assert.match(text, /scheduler rr/, 'the service from the included file');
    const report = r.report!.getText();
    const conf = vscode.Uri.file(path.join(dir, 'keepalived.conf')).with({ fragment: 'L3' }).toString();
    assert.ok(report.includes(`## Not expressible (left out)`), report);
    assert.ok(report.includes(`[${path.join(dir, 'keepalived.conf')}:3](${conf})`), `smtp_server links to its line: ${report}`);
    assert.ok(vscode.window.visibleTextEditors.some((e) => e.document === doc), 'the .lvs is shown');
    assert.deepEqual(fs.readdirSync(dir).sort(), before, 'nothing written beside the sources');
    // The language server reads the unsaved editor like any .lvs document.
    let symbols: vscode.DocumentSymbol[] = [];
    for (let i = 0; i < 50 && symbols.length === 0; i++) {
      symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
      if (symbols.length === 0) await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(symbols.map((s) => s.name), ['web']);
  });
});
