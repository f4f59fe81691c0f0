// `lvs/generate` with the connection traced at `verbose`, as VS Code's `lvs.trace.server` does:
// the trace prints every request's parameters and every answer, so a resolved secret must
// appear in neither. The secret travels sealed (server/shared/sealed.ts), the answer of a
// generation that writes holds no file contents, and the file written still holds the secret.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Trace } from 'vscode-languageserver-protocol/node';
import { LSP_SEAL_KEY_ENV, newSealKey, seal } from '../../server/shared/sealed';
import { LspTestClient } from './lsp-client';

const SECRET = 'Zq7#vX!k';
const key = newSealKey();
const trace: string[] = [];
let client: LspTestClient;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lvs-trace-'));
  // The server process gets the key through its environment, as the VS Code client starts it.
  process.env[LSP_SEAL_KEY_ENV] = key.toString('hex');
  client = new LspTestClient();
  delete process.env[LSP_SEAL_KEY_ENV];
  await client.connection.trace(Trace.Verbose, { log: (m: unknown, data?: string) => trace.push(typeof m === 'string' ? `${m}\n${data ?? ''}` : JSON.stringify(m)) }, true);
  client.connection.onNotification('$/logTrace', (p: unknown) => {
    trace.push(JSON.stringify(p));
  });
  await client.initialize();
});
after(async () => {
  await client.shutdown();
  rmSync(dir, { recursive: true, force: true });
});

const uri = 'file:///work/seed.lvs';
const seed = readFileSync('examples/seed.lvs', 'utf8');

interface Answer {
  ok: boolean;
  message?: string;
  clusters?: { name: string; files: { host: string; path: string; mode: number; content?: string }[] }[];
}

test('a traced generation never shows the resolved secret; the written keepalived.conf holds it, mode 0600', async () => {
  await client.open(uri, seed);
  const outDir = join(dir, 'generated');
  const r = await client.request<Answer>('lvs/generate', { uri, preview: false, outDir, within: dir, secrets: { 'vrrp-web': seal(key, SECRET) } });
  assert.equal(r.ok, true, r.message);
  assert.ok(r.clusters![0].files.length > 10);
  assert.ok(r.clusters![0].files.every((f) => f.content === undefined), 'no contents in the answer of a generation');
  const conf = join(outDir, 'web', 'lvs1', 'etc', 'keepalived', 'keepalived.conf');
  assert.match(readFileSync(conf, 'utf8'), /auth_pass Zq7#vX!k|auth_pass "Zq7#vX!k"/);
  assert.equal(statSync(conf).mode & 0o777, 0o600);

  // A preview answers contents, with placeholders only.
  const p = await client.request<Answer>('lvs/generate', { uri, preview: true });
  assert.ok(p.clusters![0].files.some((f) => f.content?.includes('@@secret:vrrp-web@@')));

  const logged = trace.join('\n');
  assert.match(logged, /lvs\/generate/, 'the trace saw the requests');
  assert.match(logged, /sealed:v1:/, 'the trace saw the sealed value');
  assert.ok(!logged.includes(SECRET), 'the secret is nowhere in the trace');
  assert.match(logged, /auth_pass @@secret:vrrp-web@@/, 'the preview was traced');
  assert.doesNotMatch(logged, /auth_pass (?!@@secret:vrrp-web@@)/, "only the preview's placeholder follows auth_pass");
});

test('a secret sent unsealed, or sealed under another key, is refused and nothing is written', async () => {
  await client.open('file:///work/other.lvs', seed);
  const outDir = join(dir, 'refused');
  const plain = await client.request<Answer>('lvs/generate', { uri: 'file:///work/other.lvs', preview: false, outDir, within: dir, secrets: { 'vrrp-web': 'plain' } });
  assert.equal(plain.ok, false);
  assert.match(plain.message ?? '', /unsealed/);
  const foreign = await client.request<Answer>('lvs/generate', { uri: 'file:///work/other.lvs', preview: false, outDir, within: dir, secrets: { 'vrrp-web': seal(newSealKey(), SECRET) } });
  assert.equal(foreign.ok, false);
  assert.match(foreign.message ?? '', /not sealed under this server's key/);
  assert.throws(() => statSync(outDir), /ENOENT/);
});

test('lvs/generate refuses an output folder beside the workspace folder whose name shares its prefix', async () => {
  const ws = join(dir, 'proj');
  mkdirSync(ws);
  const r = await client.request<Answer>('lvs/generate', { uri, preview: true, outDir: `${ws}-x/generated`, within: ws });
  assert.equal(r.ok, false);
  assert.match(r.message ?? '', /outside/);
  assert.throws(() => statSync(`${ws}-x`), /ENOENT/);
});
