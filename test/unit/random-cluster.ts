// Random valid clusters for property tests of the generators: hosts that differ in target os,
// interface, gateway, sysctl lines and VIP placement, next to hosts that differ in nothing but
// their name and address, with services of every protocol, check and persistence, with and
// without `ha`. The text is written the way an operator would write it.
import fc from 'fast-check';

const OSES = ['rhel7', 'rhel9', 'debian', 'ubuntu'] as const;
const SYSCTLS = [
  'net.ipv4.conf.eth0.arp_ignore = 1',
  'net.ipv4.vs.expire_quiescent_template = 1',
  'net.core.somaxconn = 1024',
  'net.ipv4.conf.all.arp_announce = 2',
];
const CHECKS = [
  'check http path "/healthz" expect 200 every 5s timeout 3s retry 2',
  'check https path "/" expect 204 every 7s timeout 2s',
  'check tcp every 6s timeout 2s',
  'check ping every 3s timeout 1s',
  '',
];

const serverArb = fc.record({
  os: fc.option(fc.constantFrom(...OSES), { nil: undefined }),
  iface: fc.constantFrom('eth0', 'ens33', ''),
  gateway: fc.boolean(),
  sysctls: fc.subarray(SYSCTLS, { maxLength: 2 }),
  /** 0: `vip-on lo:0` (every VIP it serves); 1: each VIP named on its own label. */
  placement: fc.constantFrom(0, 1),
  /** How many hosts with this very shape follow (equal but for name and address). */
  copies: fc.nat({ max: 3 }),
});

const serviceArb = fc.record({
  secondVip: fc.boolean(),
  udp: fc.boolean(),
  scheduler: fc.constantFrom('rr', 'wrr', 'wlc', 'sh'),
  persistence: fc.constantFrom('', 'persistence 5m', 'persistence 30m netmask 255.255.255.0'),
  quiesce: fc.boolean(),
  check: fc.constantFrom(...CHECKS),
});

export const randomClusterText: fc.Arbitrary<string> = fc.record({
  os: fc.constantFrom(...OSES),
  ha: fc.boolean(),
  unicast: fc.boolean(),
  nopreempt: fc.boolean(),
  vipIface: fc.boolean(),
  servers: fc.array(serverArb, { minLength: 1, maxLength: 5 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
}).map((c) => {
  const lines = ['cluster rnd {', '  network 10.30.0.0/24', '  gateway 10.30.0.1'];
  lines.push(`  vip www 10.30.0.100${c.vipIface ? '  interface eth0:5' : ''}`, '  vip alt 10.30.0.101', '');
  lines.push(`  director lb1 { address 10.30.0.2  interface eth0  role master  priority 150${c.nopreempt ? '  nopreempt' : ''} }`);
  if (c.ha) {
    lines.push('  director lb2 { address 10.30.0.3  interface eth0  role backup  priority 100 }');
    lines.push(`  ha { router-id 42  advert 1s  auth secret:vrrp-rnd${c.unicast ? '  unicast' : ''} }`);
  }
  const hosts: { name: string; spec: typeof c.servers[number] }[] = [];
  c.servers.forEach((spec) => {
    for (let i = 0; i <= spec.copies; i++) hosts.push({ name: `rs${hosts.length + 1}`, spec });
  });
  c.services.forEach((svc, i) => {
    lines.push(`  service s${i} {`, `    vip ${svc.secondVip ? 'alt' : 'www'}  protocol ${svc.udp ? 'udp' : 'tcp'}  port ${8000 + i}  scheduler ${svc.scheduler}`);
    if (svc.persistence) lines.push(`    ${svc.persistence}`);
    if (svc.quiesce) lines.push('    on-failure quiesce');
    // A TCP-only check on a UDP service is an error of the file, not what is tested here.
    if (svc.check && !(svc.udp && /^check (http|https|tcp)/.test(svc.check))) lines.push(`    ${svc.check}`);
    hosts.forEach((h, n) => lines.push(`    real ${h.name} weight ${1 + ((n + i) % 4)}`));
    lines.push('  }');
  });
  const usesAlt = c.services.some((s) => s.secondVip);
  const usesWww = c.services.some((s) => !s.secondVip);
  hosts.forEach((h, n) => {
    const s = h.spec;
    const props = [`address 10.30.0.${20 + n}`];
    if (s.iface) props.push(`interface ${s.iface}`);
    if (s.gateway) props.push('gateway 10.30.0.1');
    if (s.placement === 0) props.push('vip-on lo:0');
    else {
      let label = 0;
      if (usesWww) props.push(`vip-on lo:${label++} vip www`);
      if (usesAlt) props.push(`vip-on lo:${label++} vip alt`);
    }
    if (s.os) props.push(`target os ${s.os}`);
    lines.push(`  server ${h.name} {`, ...props.map((p) => `    ${p}`), ...s.sysctls.map((l) => `    sysctl ${l}`), '  }');
  });
  lines.push('  ssh { user root  key ~/.ssh/id_ed25519 }', `  target os ${c.os}`, '}', '');
  return lines.join('\n');
});
