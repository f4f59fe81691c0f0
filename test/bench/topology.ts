// Synthetic topologies for the benchmarks: the same cluster as .lvs text and as JSON.
import { NAME_RE } from '../../server/language/names';

export interface BigTopology {
  lvs: string;
  json: string;
}

function address(i: number): string {
  // 10.0.0.0/16: hosts from 10.0.1.0 upwards, never the network or broadcast address.
  const n = 256 + i;
  return `10.0.${n >> 8}.${n & 255}`;
}

export function bigTopology(servers: number, services: number): BigTopology {
  const perService = Math.ceil(servers / services);
  const lvs: string[] = ['# Benchmark topology', 'cluster big {', '  network 10.0.0.0/16', '  gateway 10.0.0.1', '  vip 10.0.0.100', ''];
  lvs.push('  director lvs1 { address 10.0.0.6  interface ens33  role master  priority 100 }');
  lvs.push('  director lvs2 { address 10.0.0.5  interface ens33  role backup  priority 90 }');
  lvs.push('  ha { router-id 51  advert 1s  auth secret:vrrp-big }', '');
  const json: Record<string, unknown> = {
    name: 'big', network: '10.0.0.0/16', gateway: '10.0.0.1', vips: ['10.0.0.100'],
    directors: [
      { name: 'lvs1', address: '10.0.0.6', interface: 'ens33', role: 'master', priority: 100 },
      { name: 'lvs2', address: '10.0.0.5', interface: 'ens33', role: 'backup', priority: 90 },
    ],
    ha: { routerId: 51, advert: '1s', auth: 'secret:vrrp-big' },
    services: [] as unknown[],
    servers: [] as unknown[],
  };
  for (let s = 0; s < services; s++) {
    const port = 1000 + s;
    lvs.push(`  service svc${s} {`, `    protocol tcp  port ${port}  scheduler wrr`, '    check tcp every 5s timeout 3s');
    const reals: unknown[] = [];
    for (let r = 0; r < perService; r++) {
      const index = s * perService + r;
      if (index >= servers) break;
      lvs.push(`    real rs${index} weight ${1 + (index % 5)}`);
      reals.push({ server: `rs${index}`, weight: 1 + (index % 5) });
    }
    lvs.push('  }');
    (json.services as unknown[]).push({ name: `svc${s}`, protocol: 'tcp', port, scheduler: 'wrr', check: { type: 'tcp', every: '5s', timeout: '3s' }, reals });
  }
  lvs.push('');
  for (let i = 0; i < servers; i++) {
    lvs.push(`  server rs${i} { address ${address(i)}  interface ens33  vip-on lo:0 }`);
    (json.servers as unknown[]).push({ name: `rs${i}`, address: address(i), interface: 'ens33', vipOn: 'lo:0' });
  }
  lvs.push('', '  ssh { user root  key ~/.ssh/id_ed25519 }', '  target os rhel7', '}', '');
  return { lvs: lvs.join('\n'), json: JSON.stringify({ clusters: [json] }, null, 2) };
}

const ipv4 = { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}$' };
const name = { type: 'string', pattern: NAME_RE.source };

/** JSON Schema of the JSON twin: the structural checks JSON tooling can express. */
export const topologySchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  type: 'object',
  required: ['clusters'],
  properties: {
    clusters: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'network', 'vips', 'directors', 'services', 'servers'],
        additionalProperties: false,
        properties: {
          name, network: { type: 'string', pattern: '^(\\d{1,3}\\.){3}\\d{1,3}/\\d{1,2}$' }, gateway: ipv4,
          vips: { type: 'array', items: ipv4 },
          directors: { type: 'array', maxItems: 2, items: { type: 'object', additionalProperties: false, required: ['name', 'address'], properties: { name, address: ipv4, interface: { type: 'string', maxLength: 15 }, role: { enum: ['master', 'backup'] }, priority: { type: 'integer', minimum: 1, maximum: 254 } } } },
          ha: { type: 'object', properties: { routerId: { type: 'integer', minimum: 1, maximum: 255 }, advert: { type: 'string' }, auth: { type: 'string', pattern: '^(secret|env|file):' } } },
          services: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'port'], properties: {
            name, protocol: { enum: ['tcp', 'udp'] }, port: { type: 'integer', minimum: 0, maximum: 65535 },
            scheduler: { enum: ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] },
            check: { type: 'object', properties: { type: { enum: ['http', 'https', 'tcp', 'udp', 'ping', 'none'] }, every: { type: 'string' }, timeout: { type: 'string' } } },
            reals: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['server'], properties: { server: name, weight: { type: 'integer', minimum: 0, maximum: 65535 } } } },
          } } },
          servers: { type: 'array', items: { type: 'object', additionalProperties: false, required: ['name', 'address'], properties: { name, address: ipv4, interface: { type: 'string', maxLength: 15 }, vipOn: { type: 'string', pattern: '^lo' } } } },
        },
      },
    },
  },
};
