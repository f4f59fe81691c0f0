// Random valid clusters for property tests of the generators: hosts that differ in target os,
// interface, gateway, sysctl lines and VIP placement, next to hosts that differ in nothing but
// their name and address, with services of every protocol, scheduler, check and persistence,
// with and without `ha` (multicast or unicast). Names, interfaces, labels and check paths take
// odd but valid shapes (the characters the grammar and the validator allow), because those are
// the values that reach shell scripts and keepalived.conf. The text is written the way an
// operator would write it.
import fc from 'fast-check';

const OSES = ['rhel7', 'rhel9', 'debian', 'ubuntu'] as const;
/** Every IPVS scheduler the language accepts (server/model/topology.ts). */
const SCHEDULERS = ['rr', 'wrr', 'lc', 'wlc', 'lblc', 'lblcr', 'dh', 'sh', 'sed', 'nq', 'fo', 'ovf', 'mh', 'twos'] as const;
/** Interface names as Linux names them, at most 15 characters with any `:label` added. */
const IFACES = ['eth0', 'ens33', 'enp0s31f6', 'bond0', 'br-lan', 'eno1', 'wan_1'] as const;
const SYSCTLS = [
  'net.ipv4.vs.expire_quiescent_template = 1',
  'net.core.somaxconn = 1024',
  'net.ipv4.conf.all.arp_announce = 2',
  'net.ipv4.tcp_fin_timeout = 15',
];
/** Identifiers: `[A-Za-z_][A-Za-z0-9_-]*`, with underscores, dashes and capitals where allowed. */
const NAME_STEMS = ['web', '_x', 'A-b_c', 'n--1', 'Z9', 'rs_', 'lb-', 'srv-A_'] as const;
/** Health check URL paths with every character the validator allows. */
const CHECK_PATHS = ['/', '/healthz', '/a~b/c+d@e%20,f:g=h?i-j', '/x/_y.z', '/q?a=1,b=2'] as const;
/** Label suffixes after `lo:` (digits, letters, underscores). */
const LABELS = ['0', '1', 'w', 'vip_9', 'A'] as const;

function checkArb(udp: boolean): fc.Arbitrary<string> {
  const path = fc.constantFrom(...CHECK_PATHS);
  const tcpChecks = [
    path.map((p) => `check http path "${p}" expect 200 every 5s timeout 3s retry 2`),
    path.map((p) => `check https path "${p}" expect 204 every 7s timeout 2s`),
    fc.constant('check tcp every 6s timeout 2s'),
  ];
  // A TCP-only check on a UDP service is an error of the file, not what is tested here.
  return fc.oneof(...(udp ? [] : tcpChecks), fc.constant('check ping every 3s timeout 1s'), fc.constant(''));
}

/** Checks issue 14 added; a service may carry one of them beside its first check. */
const EXTRA_CHECKS = [
  '',
  'check dns name "www.example-1.com" type AAAA every 4s timeout 2s',
  'check script "/usr/local/bin/chk_a-1.sh" every 9s timeout 4s retry 2',
  'check http path "/healthz" port 8081 host "shop.example.com" expect 200 every 5s timeout 2s',
] as const;

const serverArb = fc.record({
  os: fc.option(fc.constantFrom(...OSES), { nil: undefined }),
  iface: fc.constantFrom(...IFACES, ''),
  gateway: fc.boolean(),
  sysctls: fc.subarray(SYSCTLS, { maxLength: 2 }),
  /** 0: `vip-on lo:0` (every VIP it serves); 1: each VIP named on its own label. */
  placement: fc.constantFrom(0, 1),
  labels: fc.shuffledSubarray([...LABELS], { minLength: 2, maxLength: 2 }),
  /** How many hosts with this very shape follow (equal but for name and address). */
  copies: fc.nat({ max: 3 }),
});

const serviceArb = fc.boolean().chain((udp) => fc.record({
  secondVip: fc.boolean(),
  udp: fc.constant(udp),
  scheduler: fc.constantFrom(...SCHEDULERS),
  persistence: fc.constantFrom('', 'persistence 5m', 'persistence 30m netmask 255.255.255.0'),
  quiesce: fc.boolean(),
  check: checkArb(udp),
  extraCheck: fc.constantFrom(...EXTRA_CHECKS).filter((x) => !udp || !x.startsWith('check http')),
  /** 0: `port`; 1: `ports` (a firewall-mark service); 2: `ports` with a pinned `fwmark`. */
  multiPort: fc.constantFrom(0, 0, 1, 2),
  quorum: fc.boolean(),
  sorry: fc.boolean(),
}));

/**
 * Random clusters; `features` adds what issue 14 brought (multi-port services, extra checks,
 * quorum, sorry server, timeouts, sync daemon and VRRP tuning). Without it, only what survives a
 * round trip through keepalived.conf and `ipvsadm -Sn` (a fwmark's ports are in no such file).
 */
function randomCluster(features: boolean): fc.Arbitrary<string> {
  return fc.record({
  name: fc.constantFrom(...NAME_STEMS, 'rnd'),
  hostStem: fc.constantFrom(...NAME_STEMS),
  os: fc.constantFrom(...OSES),
  ha: fc.boolean(),
  unicast: fc.boolean(),
  auth: fc.boolean(),
  routerId: fc.integer({ min: 1, max: 255 }),
  advert: fc.constantFrom('1s', '2s', '3s'),
  nopreempt: fc.boolean(),
  dirIface: fc.constantFrom(...IFACES),
  vipIface: fc.boolean(),
  servers: fc.array(serverArb, { minLength: 1, maxLength: 5 }),
  services: fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
  timeouts: fc.constantFrom('', 'timeouts { tcp 20m  tcp-fin 1m  udp 2m }', 'timeouts { udp 45s }'),
  haTuning: fc.boolean(),
}).map((drawn) => {
  const c = features ? drawn : {
    ...drawn, timeouts: '', haTuning: false,
    services: drawn.services.map((s) => ({ ...s, extraCheck: '' as const, multiPort: 0, quorum: false, sorry: false })),
  };
  const lines = [`cluster ${c.name} {`, '  network 10.30.0.0/24', '  gateway 10.30.0.1'];
  lines.push(`  vip www 10.30.0.100${c.vipIface ? `  interface ${c.dirIface}:5` : ''}`, '  vip alt 10.30.0.101', '');
  lines.push(`  director ${c.hostStem}d1 { address 10.30.0.2  interface ${c.dirIface}  role master  priority 150${c.nopreempt ? '  nopreempt' : ''} }`);
  if (c.ha) {
    lines.push(`  director ${c.hostStem}d2 { address 10.30.0.3  interface ${c.dirIface}  role backup  priority 100 }`);
    const tuning = c.haTuning ? `  sync-daemon ${c.dirIface}  preempt-delay 10s  garp-repeat 3  garp-interval 100ms  notify "/usr/local/sbin/notify_x-1"  track-interface ${c.dirIface}` : '';
    lines.push(`  ha { router-id ${c.routerId}  advert ${c.advert}${c.auth ? '  auth secret:vrrp-rnd' : ''}${c.unicast ? '  unicast' : ''}${tuning} }`);
  }
  if (c.timeouts) lines.push(`  ${c.timeouts}`);
  const hosts: { name: string; spec: typeof c.servers[number] }[] = [];
  c.servers.forEach((spec) => {
    for (let i = 0; i <= spec.copies; i++) hosts.push({ name: `${c.hostStem}${hosts.length + 1}`, spec });
  });
  c.services.forEach((svc, i) => {
    const port = svc.multiPort === 0 ? `port ${8000 + i}` : `ports ${8000 + i} ${9000 + i}${svc.multiPort === 2 ? `  fwmark ${500 + i}` : ''}`;
    lines.push(`  service s${i} {`, `    vip ${svc.secondVip ? 'alt' : 'www'}  protocol ${svc.udp ? 'udp' : 'tcp'}  ${port}  scheduler ${svc.scheduler}`);
    if (svc.persistence) lines.push(`    ${svc.persistence}`);
    if (svc.quiesce) lines.push('    on-failure quiesce');
    if (svc.check) lines.push(`    ${svc.check}`);
    if (svc.extraCheck) lines.push(`    ${svc.extraCheck}`);
    if (svc.quorum) lines.push('    quorum 1  hysteresis 0');
    if (svc.sorry) lines.push(`    sorry ${c.hostStem}sorry`);
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
    if (s.placement === 0) props.push(`vip-on lo:${s.labels[0]}`);
    else {
      if (usesWww) props.push(`vip-on lo:${s.labels[0]} vip www`);
      if (usesAlt) props.push(`vip-on lo:${s.labels[1]} vip alt`);
    }
    if (s.os) props.push(`target os ${s.os}`);
    lines.push(`  server ${h.name} {`, ...props.map((p) => `    ${p}`), ...s.sysctls.map((l) => `    sysctl ${l}`), '  }');
  });
  // A sorry server is a server of its own (keepalived refuses one of the real servers).
  if (c.services.some((s) => s.sorry)) lines.push(`  server ${c.hostStem}sorry { address 10.30.0.90  vip-on lo:0 }`);
  lines.push('  ssh { user root  key ~/.ssh/id_ed25519 }', `  target os ${c.os}`, '}', '');
  return lines.join('\n');
  });
}

export const randomClusterText: fc.Arbitrary<string> = randomCluster(true);
export const randomClassicClusterText: fc.Arbitrary<string> = randomCluster(false);

/** Values a resolved VRRP secret may take: printable; `"`, `\` and `$name` excepted (kaString refuses those). */
export const randomSecret: fc.Arbitrary<string> = fc.string({
  unit: fc.constantFrom(...'abcXYZ019 #!\'`;&|<>(){}[]*?~%@+=,.:/-_^$'.split('')), minLength: 1, maxLength: 12,
}).filter((s) => !/\$[A-Za-z_{]/.test(s));
