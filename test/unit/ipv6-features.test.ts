// IPv6 in the editor features: hover on an IPv6 address names its owner and where it lies
// against the IPv6 network; the designer's
// model shows IPv6 addresses (an IPv6-only host's as its address, a dual-stack host's beside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/lsp/analysis';
import { hover } from '../../server/lsp/hover';
import { complete } from '../../server/lsp/completion';
import { freeAddress } from '../../server/lsp/block-snippets';
import { buildDiagram } from '../../server/diagram/model';
import { validateText } from '../../server/validation/registry';

const text = readFileSync('examples/ipv6.lvs', 'utf8');

function hoverAt(needle: string, nth = 0): string {
  const doc = TextDocument.create('file:///t/ipv6.lvs', 'lvs', 1, text);
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, needle);
  const h = hover(analyze(doc), doc.positionAt(at + 2));
  assert.ok(h, `a hover at ${needle}`);
  return (h.contents as { value: string }).value;
}

test('hover on an IPv6 address: its owner, its network; on the IPv6 network: its size', () => {
  assert.match(hoverAt('2001:db8:47::11'), /server r1 \(cluster v6\)/);
  assert.match(hoverAt('2001:db8:47::11'), /in 2001:db8:47::\/64/);
  assert.match(hoverAt('2001:db8:48::5'), /director d1 \(cluster dual\)/);
  assert.match(hoverAt('2001:db8:48::/64'), /IPv6 network 2001:db8:48::\/64: 2\^64 addresses/);
  assert.match(hoverAt('d1 {', 1), /address 10\.48\.0\.5[\s\S]*IPv6 address 2001:db8:48::5/);
});

test('the designer shows IPv6 addresses', () => {
  const m = buildDiagram({ ...validateText(text), doc: TextDocument.create('file:///t/ipv6.lvs', 'lvs', 1, text) });
  const node = (cluster: string, id: string) => m.clusters.find((c) => c.name === cluster)!.nodes.find((n) => n.id === id)!;
  assert.equal(node('v6', 'v6/server/r1').props.address, '2001:db8:47::11');
  assert.equal(node('v6', 'v6/vip/2001:db8:47::100').label, '2001:db8:47::100');
  assert.equal(node('dual', 'dual/director/d1').props.address, '10.48.0.5');
  assert.equal(node('dual', 'dual/director/d1').props.address6, '2001:db8:48::5');
  assert.equal(node('dual', 'dual/service/http6').props.vip, '2001:db8:48::100');
});

test('a new host block in an IPv6-only cluster is offered the lowest free IPv6 address of the network', () => {
  assert.equal(freeAddress('2001:db8:47::/64', ['2001:db8:47::1', '2001:db8:47::100', '2001:DB8:47::2']), '2001:db8:47::3');
  assert.equal(freeAddress('10.0.0.0/24', ['10.0.0.1']), '10.0.0.2');
  const doc = TextDocument.create('file:///t/c.lvs', 'lvs', 1, text.replace('  target os debian\n', '  \n  target os debian\n'));
  const at = doc.getText().indexOf('  \n  target os debian') + 2;
  const items = complete(analyze(doc), doc.positionAt(at));
  const server = items.find((i) => i.label === 'server');
  assert.ok(server, 'a server snippet');
  assert.match(String(server.textEdit?.newText ?? server.insertText), /2001:db8:47::2\b/);
});
