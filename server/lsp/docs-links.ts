// Where the published docs live, and which section of them explains each keyword. Hovers and
// diagnostics link here; test/unit/keyword-docs.test.ts checks every anchor against the headings
// of docs/language.md and docs/rules.md.

export const DOCS_URL = 'https://github.com/lvs-dr-studio/lvs-dr-studio/blob/main/docs';
export const RULES_DOC_URL = `${DOCS_URL}/rules.md`;
export const LANGUAGE_DOC_URL = `${DOCS_URL}/language.md`;

const HA = '7-high-availability-ha';
const CHECK = 'check-type-path-string-expect-n-every-duration-timeout-duration-retry-n';
const DIRECTOR_VRRP = 'role-masterbackup-priority-n-nopreempt-directors';
const VIP_ON = 'vip-on-label-prefix-n-vip-vip-servers';
const SSH = 'ssh-----cluster-and-per-host';
const PORTS = 'ports-n-n--and-fwmark-n';
const QUORUM = 'quorum-n-hysteresis-n-sorry-name';

/** The docs/language.md anchor (GitHub heading slug) of the section that explains each keyword. */
export const KEYWORD_SECTIONS: Record<string, string> = {
  cluster: 'cluster-name---',
  network: 'network-cidr',
  gateway: 'gateway-address',
  vip: 'vip-name-address-interface-iface',
  clients: 'clients-addresscidrname-',
  director: 'director-name---',
  server: 'server-name---',
  address: 'address-address',
  interface: 'interface-iface',
  role: DIRECTOR_VRRP,
  priority: DIRECTOR_VRRP,
  nopreempt: DIRECTOR_VRRP,
  'vip-on': VIP_ON,
  prefix: VIP_ON,
  sysctl: 'sysctl-key--value',
  link: 'link-iface-cidr',
  ha: HA,
  'router-id': HA,
  advert: HA,
  auth: HA,
  strict: HA,
  'no-accept': HA,
  unicast: HA,
  'sync-daemon': HA,
  'preempt-delay': HA,
  'garp-repeat': HA,
  'garp-interval': HA,
  notify: HA,
  'track-interface': HA,
  timeouts: 'timeouts---',
  ports: PORTS,
  fwmark: PORTS,
  quorum: QUORUM,
  hysteresis: QUORUM,
  sorry: QUORUM,
  host: CHECK,
  name: CHECK,
  type: CHECK,
  service: '8-services',
  protocol: 'protocol-tcpudp',
  port: 'port-n',
  scheduler: 'scheduler-name',
  persistence: 'persistence-duration-netmask-mask',
  netmask: 'persistence-duration-netmask-mask',
  'on-failure': 'on-failure-removequiesce',
  check: CHECK,
  path: CHECK,
  expect: CHECK,
  every: CHECK,
  timeout: CHECK,
  retry: CHECK,
  real: 'real-nameport-weight-n',
  weight: 'real-nameport-weight-n',
  ssh: SSH,
  user: SSH,
  key: SSH,
  'known-hosts': SSH,
  password: SSH,
  target: 'target-os-os--cluster-and-per-host',
  os: 'target-os-os--cluster-and-per-host',
};

/** The rules of docs/rules.md that check what a keyword declares. */
export const KEYWORD_RULES: Record<string, string[]> = {
  network: ['LVS010', 'LVS011'],
  gateway: ['LVS020', 'LVS021'],
  vip: ['LVS101'],
  address: ['LVS010', 'LVS011', 'LVS050'],
  interface: ['LVS080'],
  'vip-on': ['LVS030', 'LVS031', 'LVS032', 'LVS035'],
  prefix: ['LVS031'],
  sysctl: ['LVS033', 'LVS034', 'LVS100'],
  'router-id': ['LVS053', 'LVS070'],
  advert: ['LVS070'],
  auth: ['LVS070'],
  strict: ['LVS071'],
  'no-accept': ['LVS071'],
  port: ['LVS040', 'LVS041', 'LVS042'],
  persistence: ['LVS041', 'LVS042'],
  check: ['LVS081', 'LVS113', 'LVS134'],
  ports: ['LVS130'],
  fwmark: ['LVS130'],
  timeouts: ['LVS131'],
  sorry: ['LVS132', 'LVS030'],
  quorum: ['LVS133'],
  hysteresis: ['LVS133'],
  'sync-daemon': ['LVS135', 'LVS107'],
  'preempt-delay': ['LVS135'],
  notify: ['LVS134', 'LVS090'],
  'track-interface': ['LVS135'],
  real: ['LVS040', 'LVS052'],
};
