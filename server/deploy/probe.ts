// Final check through the VIP, from the deploying process: HTTP GET on each TCP service
// with an HTTP check (or on port 80/8080/443-less plain HTTP services), retried until a
// number of answers with the expected status arrived or a deadline passed. The first line
// of each answer is recorded (the lab's real servers answer with their name).
import { request } from 'node:http';
import { Msg, t } from '../shared/l10n/message';

export interface ProbeTarget {
  url: string;
  expect: number;
}

export interface ProbeResult {
  ok: boolean;
  detail: string;
  answeredBy: string[];
}

function getOnce(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', agent: false, timeout: timeoutMs, headers: { Connection: 'close', 'User-Agent': 'lvsdr-probe' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => { if (chunks.length < 64) chunks.push(d); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

export async function probe(targets: ProbeTarget[], opts: { requests?: number; deadlineMs?: number; signal?: AbortSignal } = {}): Promise<ProbeResult> {
  const want = opts.requests ?? 4;
  const deadline = Date.now() + (opts.deadlineMs ?? 30_000);
  const answeredBy = new Set<string>();
  const details: string[] = [];
  let ok = true;
  for (const t of targets) {
    let good = 0;
    let last = '';
    while (good < want && Date.now() < deadline && !opts.signal?.aborted) {
      try {
        const r = await getOnce(t.url, 3000);
        if (r.status === t.expect) {
          good++;
          const first = r.body.split('\n')[0].trim().slice(0, 80);
          if (first) answeredBy.add(first);
        } else {
          last = `status ${r.status}`;
          good = 0;
          await new Promise((res) => setTimeout(res, 500));
        }
      } catch (e) {
        last = (e as Error).message;
        good = 0;
        await new Promise((res) => setTimeout(res, 500));
      }
    }
    if (good < want) {
      ok = false;
      details.push(`${t.url}: ${good}/${want} answers with status ${t.expect}${last ? ` (last: ${last})` : ''}`);
    } else {
      details.push(`${t.url}: ${want} answers with status ${t.expect}`);
    }
  }
  return { ok, detail: details.join('; '), answeredBy: [...answeredBy].sort() };
}

/** The probe's outcome for a person: `ok: …; answered by web1, web2` (the detail is measured text). */
export function probeWords(r: ProbeResult): Msg {
  const by = r.answeredBy.join(', ');
  if (r.ok) return by ? t`ok: ${r.detail}; answered by ${by}` : t`ok: ${r.detail}; answered by nobody`;
  return by ? t`FAILED: ${r.detail}; answered by ${by}` : t`FAILED: ${r.detail}; answered by nobody`;
}
