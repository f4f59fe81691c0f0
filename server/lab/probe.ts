// Readiness probes from the client namespace: waits until every ADDRESS:PORT accepts TCP.
import { run } from './run';

const PROBE_JS = String.raw`
const net = require('net');
const targets = JSON.parse(process.argv[1]);
const deadline = Date.now() + Number(process.argv[2]);
const pending = new Set(targets);
function tryOne(t) {
  const [host, port] = t.split(':');
  const s = net.connect({ host, port: Number(port) });
  s.setTimeout(1000);
  const retry = () => { s.destroy(); if (Date.now() > deadline) return; setTimeout(() => tryOne(t), 200); };
  s.on('connect', () => { s.destroy(); pending.delete(t); if (pending.size === 0) process.exit(0); });
  s.on('error', retry);
  s.on('timeout', retry);
}
targets.forEach(tryOne);
if (targets.length === 0) process.exit(0);
setTimeout(() => { process.stdout.write([...pending].join(' ')); process.exit(1); }, Math.max(0, deadline - Date.now()) + 1500);
`;

/** Resolves to the targets that never accepted (empty when all are up). */
export async function waitForTcp(clientNs: string, targets: string[], timeoutMs: number): Promise<string[]> {
  const r = await run('ip', ['netns', 'exec', clientNs, process.execPath, '-e', PROBE_JS, JSON.stringify(targets), String(timeoutMs)], {
    allowFailure: true, timeoutMs: timeoutMs + 10_000,
  });
  return r.code === 0 ? [] : r.stdout.trim().split(/\s+/).filter(Boolean);
}
