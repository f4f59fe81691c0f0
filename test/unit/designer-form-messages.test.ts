// The designer's form checks in the display language: the webview's l10n (media/designer/l10n.ts)
// reads the string table the extension puts into the page; here that table is the zh-cn bundle,
// given through the same element id, and the checks of the "Add real server" form and of each
// field (media/designer/field-problems.ts) answer in Chinese. Acceptance stays the intent
// schemas' (server/protocol/designer-intent.ts): a value is refused exactly when its schema refuses it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as v from 'valibot';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DESIGNER_STRINGS_ELEMENT_ID } from '../../server/protocol/designer-strings';
import { InterfaceName, Ipv4Address, nameField, Port, Priority, Weight } from '../../server/protocol/designer-intent';
import { buildDiagram } from '../../server/diagram/model';
import { analyze } from '../../server/lsp/analysis';
import { fieldProblem, FormField } from '../../media/designer/field-problems';
import { validateAddServer } from '../../media/designer/forms';

// The page as the extension writes it in Chinese (client/designer/html.ts): the bundle as JSON.
const bundle = readFileSync('l10n/bundle.l10n.zh-cn.json', 'utf8');
(globalThis as { document?: unknown }).document = {
  getElementById: (id: string) => (id === DESIGNER_STRINGS_ELEMENT_ID ? { textContent: bundle } : null),
};

const HAN = /[\u4e00-\u9fff]/;
const seed = buildDiagram(analyze(TextDocument.create('file:///t/seed.lvs', 'lvs', 1, readFileSync('examples/seed.lvs', 'utf8')))).clusters[0];

test('"Add real server": every refusal in Chinese, the typed value quoted', () => {
  const e = validateAddServer(seed, { name: '1web', address: '192.168.147.300', weight: 'heavy', iface: 'eth 0' });
  assert.equal(e.name, "'1web' 不是合法的名称：以字母或 '_' 开头，后接字母、数字、'_' 或 '-'");
  assert.equal(e.address, '不是 IPv4 地址（例如 192.168.147.7）');
  assert.equal(e.weight, '权重是 0 到 65535 之间的整数（不能是 heavy）');
  assert.match(e.iface!, /^'eth 0' 不是合法的接口名（.*最多 15 个字符）$/);
  const taken = validateAddServer(seed, { name: 'web1', address: '192.168.147.4', weight: '70000', iface: '' });
  assert.match(taken.name!, /^web1 .*集群 web/);
  assert.match(taken.address!, HAN);
  assert.equal(taken.weight, '权重是 0 到 65535 之间的整数（不能是 70000）');
  assert.deepEqual(Object.values(validateAddServer(seed, { name: 'web9', address: '192.168.147.9', weight: '2', iface: 'eth0' })).filter(Boolean), []);
});

test('each field: refused exactly when its intent schema refuses, and then said in Chinese', () => {
  const cases: Array<[FormField, v.GenericSchema, unknown[]]> = [
    ['serverName', nameField('Server name'), ['web1', '_a-b', '1web', 'a b', 'x'.repeat(300), '']],
    ['address', Ipv4Address, ['10.0.0.1', '10.0.0', '10.0.0.256', 'fe80::1']],
    ['iface', InterfaceName, ['eth0', 'eth0.100', 'eth 0', 'averyveryverylongname0']],
    ['weight', Weight, [0, 65535, -1, 65536, 1.5, Number.NaN]],
    ['port', Port, [80, 0, 65536]],
    ['priority', Priority, [1, 254, 0, 255]],
  ];
  for (const [field, schema, values] of cases) {
    for (const value of values) {
      const refused = !v.safeParse(schema, value).success;
      const said = fieldProblem(field, value);
      assert.equal(said !== undefined, refused, `${field} ${String(value)}`);
      if (said) assert.match(said, HAN, `${field} ${String(value)}: ${said}`);
    }
  }
  assert.equal(fieldProblem('priority', 255), '优先级是 1 到 254 之间的整数（不能是 255）');
  assert.equal(fieldProblem('port', Number.NaN, '8o'), '端口是 0 到 65535 之间的整数（不能是 8o）');
  assert.equal(fieldProblem('serverName', 'x'.repeat(300)), '太长：最多 256 个字符');
});
