// Import bench (issue 13): a keepalived.conf of 1,000 real servers (10 virtual servers of 100,
// each real server with an HTTP_GET checker, as the generator writes them) read into a .lvs
// text, validated, in process. Goal: ≤ 100 ms.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { importCluster } from '../../server/import';

export const IMPORT_REALS = 1000;

export function keepalivedOf(reals: number, perService = 100): string {
  const lines = ['global_defs {', '    router_id lvs1', '}', 'vrrp_instance VI_1 {', '    state MASTER', '    interface eth0', '    virtual_router_id 51',
    '    priority 100', '    advert_int 1', '    virtual_ipaddress {', '        10.40.0.100/32 dev eth0 label eth0:0', '    }', '}'];
  for (let s = 0; s < reals / perService; s++) {
    lines.push(`virtual_server 10.40.0.100 ${8000 + s} {`, '    delay_loop 5', '    lvs_sched wrr', '    lvs_method DR', '    protocol TCP');
    for (let r = 0; r < perService; r++) {
      const n = s * perService + r;
      lines.push(`    real_server 10.40.${1 + Math.floor(n / 250)}.${1 + (n % 250)} ${8000 + s} {`, `        weight ${1 + (n % 5)}`, '        HTTP_GET {',
        '            url {', '                path /healthz', '                status_code 200', '            }', '            connect_timeout 3', '            retry 1',
        '            delay_before_retry 3', '        }', '    }');
    }
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** Median of 15 imports after 3 warm-ups, in milliseconds. */
export function run(): { ms: number; reals: number } {
  const dir = mkdtempSync(join(tmpdir(), 'lvs-bench-import-'));
  try {
    const path = join(dir, 'keepalived.conf');
    writeFileSync(path, keepalivedOf(IMPORT_REALS));
    const times: number[] = [];
    let reals = 0;
    for (let i = 0; i < 18; i++) {
      const t0 = performance.now();
      const r = importCluster({ keepalived: [{ path }], cluster: 'bench' });
      const ms = performance.now() - t0;
      reals = r.cluster.services.reduce((n, s) => n + s.reals.length, 0);
      if (i >= 3) times.push(ms);
    }
    times.sort((a, b) => a - b);
    return { ms: times[Math.floor(times.length / 2)], reals };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
