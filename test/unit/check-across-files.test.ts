// `lvsdr check` given several files or a directory also checks the files against each other:
// a host address that clusters of two files describe is LVS118 in the later file (run through
// the real CLI bundle, as a user or CI would run it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const seed = readFileSync('examples/seed.lvs', 'utf8');
const shop = (addr: string) => `cluster shop {
  network 192.168.147.0/24
  gateway 192.168.147.2
  vip 192.168.147.200
  director lb1 { address 192.168.147.20  interface ens33  role master  priority 100 }
  director lb2 { address 192.168.147.21  interface ens33  role backup  priority 90 }
  ha { router-id 52  advert 1s  auth secret:vrrp-shop }
  service https { protocol tcp  port 443  scheduler rr  check tcp every 5s timeout 3s  real app1 }
  server app1 { address ${addr}  interface ens33  vip-on lo:0 }
}
`;

function check(args: string[]): { status: number | null; out: Array<{ file: string; line: number; code: string; message: string }> } {
  const r = spawnSync(process.execPath, ['dist/server/cli.js', 'check', '--format', 'json', ...args], { encoding: 'utf8' });
  return { status: r.status, out: JSON.parse(r.stdout || '[]') };
}

test('lvsdr check reports a host shared by clusters of two files, in the later file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lvsdr-check-'));
  try {
    const a = join(dir, 'a-web.lvs');
    const b = join(dir, 'b-shop.lvs');
    writeFileSync(a, seed);
    writeFileSync(b, shop('192.168.147.4'));
    // Each file on its own is clean.
    assert.deepEqual(check([a]).out, []);
    assert.deepEqual(check([b]).out, []);
    for (const args of [[a, b], [dir]]) {
      const { status, out } = check(args);
      assert.equal(status, 1, JSON.stringify(out));
      assert.deepEqual(out.map((d) => [d.file, d.line, d.code]), [[b, 9, 'LVS118']]);
      assert.match(out[0].message, /server app1 of cluster shop has address 192\.168\.147\.4, which is also server web1 of cluster web in .*a-web\.lvs/);
    }
    // The same file named twice (or through another path) is one file, not two clusters.
    assert.deepEqual(check([a, join(dir, '.', 'a-web.lvs')]).out, []);
    // A cluster of the same name in another file is a variant of that cluster (staging copy,
    // older revision): deploying it replaces the other, so sharing its hosts is no clash.
    const copy = join(dir, 'copy.lvs');
    writeFileSync(copy, seed.replace('scheduler rr', 'scheduler wlc'));
    assert.deepEqual(check([a, copy]).out, []);
    rmSync(copy);
    // Another address: no finding; a file in a sub-directory is found too.
    writeFileSync(b, shop('192.168.147.40'));
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'c.lvs'), shop('192.168.147.3').replace('cluster shop', 'cluster c').replace('192.168.147.200', '192.168.147.201').replace('192.168.147.20 ', '192.168.147.30 ').replace('192.168.147.21 ', '192.168.147.31 ').replace('router-id 52', 'router-id 53'));
    const { out } = check([dir]);
    assert.deepEqual(out.map((d) => [d.file, d.code]), [[join(dir, 'more', 'c.lvs'), 'LVS118']]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The examples folder is the workspace the product opens: its files are checked against each
// other there, so only LVS118's own example may show a host shared by two clusters.
test('the examples folder has no host shared across files except in LVS118.lvs', () => {
  const { out } = check(['examples']);
  const clashes = out.filter((d) => d.code === 'LVS118').map((d) => d.file);
  assert.deepEqual([...new Set(clashes)], ['examples/broken/LVS118.lvs']);
});
