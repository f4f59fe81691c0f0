// The abstract syntax tree of a .lvs file. Every node keeps the offsets of the text it came
// from, so diagnostics, quick fixes, rename and the designer's edits can point at exact ranges.

/** Half-open character range [start, end) in the document text. */
export interface Span {
  start: number;
  end: number;
}

/** A name written in the file (cluster, director, server, service, VIP). */
export interface Ident {
  text: string;
  span: Span;
}

/**
 * One property line such as `priority 100`: `value` is the parsed value, `span` covers the
 * value only, `full` covers the keyword through the last value token (what a fix deletes).
 */
export interface Prop<T> {
  value: T;
  text: string;
  span: Span;
  full: Span;
}

/** A secret written as a reference (`secret:vrrp-web`, `env:VAR`, `file:/path`) or inline. */
export interface SecretValue {
  kind: 'reference' | 'inline';
  /** For references: `secret`, `env` or `file`. */
  source?: 'secret' | 'env' | 'file';
  /** The reference name or the inline text (without quotes). */
  value: string;
}

export interface Sysctl {
  kind: 'sysctl';
  key: Prop<string>;
  value: Prop<string>;
  span: Span;
}

export interface SshSettings {
  kind: 'ssh';
  span: Span;
  user?: Prop<string>;
  key?: Prop<string>;
  knownHosts?: Prop<string>;
  password?: Prop<SecretValue>;
  port?: Prop<number>;
}

/** `vip-on lo:0 [prefix N]` on a real server. */
export interface VipOn {
  kind: 'vipOn';
  label: Prop<string>;
  prefix?: Prop<number>;
  /** Which VIP (name or address); absent means every VIP of the services using the server. */
  vip?: Prop<string>;
  span: Span;
}

/** `link IFACE ADDRESS/PREFIX`: an extra interface of a multi-homed host. */
export interface ExtraLink {
  kind: 'link';
  iface: Prop<string>;
  address: Prop<string>;
  span: Span;
}

export interface HostBase {
  name: Ident;
  span: Span;
  /** Range of the text between the braces (inclusive of braces). */
  body: Span;
  /** The IPv4 address (`address` lines are one per family). */
  address?: Prop<string>;
  /** The IPv6 address. */
  address6?: Prop<string>;
  iface?: Prop<string>;
  gateway?: Prop<string>;
  gateway6?: Prop<string>;
  ssh?: SshSettings;
  sysctls: Sysctl[];
  links: ExtraLink[];
  targetOs?: Prop<string>;
}

export interface Director extends HostBase {
  kind: 'director';
  role?: Prop<string>;
  priority?: Prop<number>;
  nopreempt?: Prop<true>;
}

export interface Server extends HostBase {
  kind: 'server';
  vipOn: VipOn[];
}

export interface Vip {
  kind: 'vip';
  name?: Ident;
  address: Prop<string>;
  /** Interface of the directors that carries this VIP; defaults to each director's interface. */
  iface?: Prop<string>;
  span: Span;
}

export interface Ha {
  kind: 'ha';
  span: Span;
  routerId?: Prop<number>;
  advert?: Prop<number>; // milliseconds
  auth?: Prop<SecretValue>;
  strict?: Prop<true>;
  noAccept?: Prop<true>;
  unicast?: Prop<true>;
  /** `sync-daemon IFACE`: keepalived's lvs_sync_daemon on that interface, bound to the VRRP instance. */
  syncDaemon?: Prop<string>;
  preemptDelay?: Prop<number>; // milliseconds
  garpRepeat?: Prop<number>;
  garpInterval?: Prop<number>; // milliseconds
  /** `notify PATH`: keepalived runs it on every VRRP state change. */
  notify?: Prop<string>;
  /** `track-interface IFACE` lines: the instance goes to FAULT when one of them is down. */
  trackInterfaces: Prop<string>[];
}

/** `timeouts { tcp D  tcp-fin D  udp D }`: the IPVS connection timeouts (ipvsadm --set). */
export interface Timeouts {
  kind: 'timeouts';
  span: Span;
  tcp?: Prop<number>; // milliseconds
  tcpFin?: Prop<number>; // milliseconds
  udp?: Prop<number>; // milliseconds
}

export interface HealthCheck {
  kind: 'check';
  span: Span;
  /** http, https, tcp, udp, ping, dns, script, none */
  type: Prop<string>;
  path?: Prop<string>;
  /** `port N`: the port the check connects to (keepalived connect_port). */
  port?: Prop<number>;
  /** `host "NAME"`: the HTTP Host header of an http/https check (keepalived virtualhost). */
  host?: Prop<string>;
  /** `name "NAME"` and `type T` of a dns check (keepalived DNS_CHECK). */
  name?: Prop<string>;
  queryType?: Prop<string>;
  /** The program of a script check, `check script "PATH"` (keepalived MISC_CHECK). */
  script?: Prop<string>;
  expect?: Prop<number>;
  every?: Prop<number>; // milliseconds
  timeout?: Prop<number>; // milliseconds
  retry?: Prop<number>;
}

export interface RealRef {
  kind: 'real';
  name: Ident;
  weight?: Prop<number>;
  port?: Prop<number>;
  span: Span;
}

export interface Persistence {
  duration: number; // milliseconds
  netmask?: Prop<string>;
}

export interface Service {
  kind: 'service';
  name: Ident;
  span: Span;
  body: Span;
  vip?: Prop<string>;
  protocol?: Prop<string>;
  port?: Prop<number>;
  /** `ports N N …`: several ports of one protocol, served as one firewall-mark service. */
  ports?: Prop<number[]>;
  /** `fwmark N`: the firewall mark of a multi-port service (allocated when absent). */
  fwmark?: Prop<number>;
  scheduler?: Prop<string>;
  persistence?: Prop<Persistence>;
  onFailure?: Prop<string>;
  quorum?: Prop<number>;
  hysteresis?: Prop<number>;
  /** `sorry NAME`: the server that answers while no real server is in service. */
  sorry?: Prop<string>;
  checks: HealthCheck[];
  reals: RealRef[];
}

/** `clients ADDRESS|CIDR|NAME ...`: who is expected to use the VIPs (for LVS110). */
export interface ClientEntry {
  kind: 'client';
  value: Prop<string>;
  span: Span;
}

export interface Cluster {
  kind: 'cluster';
  name: Ident;
  span: Span;
  body: Span;
  /** The IPv4 network and gateway; `network6`/`gateway6` the IPv6 ones (one line per family). */
  network?: Prop<string>;
  network6?: Prop<string>;
  gateway?: Prop<string>;
  gateway6?: Prop<string>;
  vips: Vip[];
  directors: Director[];
  servers: Server[];
  services: Service[];
  ha?: Ha;
  timeouts?: Timeouts;
  ssh?: SshSettings;
  targetOs?: Prop<string>;
  clients: ClientEntry[];
  sysctls: Sysctl[];
}

export interface LvsFile {
  kind: 'file';
  clusters: Cluster[];
}

export type Host = Director | Server;
export type AstNode = LvsFile | Cluster | Director | Server | Service | RealRef | Vip | Ha | Timeouts | HealthCheck | SshSettings | Sysctl | VipOn | ClientEntry | ExtraLink;
