// What the importers read from keepalived.conf and ipvsadm rules, before it becomes .lvs text:
// the values of the language only, each with the place it came from.

export interface SourceLine {
  file: string;
  line: number;
}

export interface ImportedCheck {
  type: 'http' | 'https' | 'tcp' | 'udp' | 'ping' | 'dns' | 'script';
  path?: string;
  expect?: number;
  /** connect_port. */
  port?: number;
  /** virtualhost (http, https). */
  host?: string;
  /** DNS_CHECK name and type. */
  dnsName?: string;
  dnsType?: string;
  /** MISC_CHECK misc_path. */
  script?: string;
  /** Seconds. */
  every?: number;
  timeout?: number;
  retry?: number;
}

export interface ImportedReal {
  address: string;
  port: number;
  weight: number;
  at: SourceLine;
}

export interface ImportedService {
  vip: string;
  protocol: 'tcp' | 'udp';
  port: number;
  scheduler?: string;
  persistence?: { timeout: number; netmask?: string };
  quiesce: boolean;
  /** The checkers of the first real server (a service has one set of checks). */
  checks: ImportedCheck[];
  reals: ImportedReal[];
  /** `virtual_server fwmark N`: the ports are in the director's firewall, not in keepalived.conf. */
  fwmark?: number;
  quorum?: number;
  hysteresis?: number;
  sorry?: { address: string; port: number };
  at: SourceLine;
}

export interface ImportedVip {
  address: string;
  dev?: string;
  label?: string;
}

export interface ImportedDirector {
  /** global_defs router_id or the config id the file was read for. */
  name?: string;
  address?: string;
  iface?: string;
  role?: 'master' | 'backup';
  priority?: number;
  nopreempt: boolean;
  at: SourceLine;
}

export interface ImportedHa {
  routerId: number;
  advert: number;
  /** The name of the `secret:NAME` reference when the instance had auth_pass. */
  authSecret?: string;
  unicast: boolean;
  vips: ImportedVip[];
  /** global_defs lvs_sync_daemon's interface. */
  syncDaemon?: string;
  /** Seconds (may be fractional for garp_interval). */
  preemptDelay?: number;
  garpRepeat?: number;
  garpInterval?: number;
  notify?: string;
  trackInterfaces: string[];
}

/** global_defs lvs_timeouts, seconds. */
export interface ImportedTimeouts {
  tcp?: number;
  tcpFin?: number;
  udp?: number;
}

export interface ImportedCluster {
  services: ImportedService[];
  directors: ImportedDirector[];
  ha?: ImportedHa;
  timeouts?: ImportedTimeouts;
  /** Set by a live import: what the hosts themselves said. */
  live?: ImportedLiveFacts;
}

/** What a live import read on one host beyond keepalived.conf and the IPVS table. */
export interface ImportedHostFacts {
  /** The host's own name, when it is a name of the language. */
  hostname?: string;
  /** The NIC holding the host's address. */
  iface?: string;
  /** Loopback aliases holding a VIP (real servers): label, VIP address, prefix. */
  vipOn: Array<{ label: string; vip: string; prefix: number }>;
  /** Kernel settings that differ from what the generated files set. */
  sysctls: Array<[string, string]>;
  /** `target os` word, when the language has one for the host's OS. */
  os?: string;
  /** The default route's gateway, when it is not the cluster's. */
  gateway?: string;
}

/** The live facts of an import over SSH (server/import/live.ts), by host address. */
export interface ImportedLiveFacts {
  /** The network of the first director's interface, as `A.B.C.D/P`. */
  network?: string;
  gateway?: string;
  os?: string;
  hosts: Map<string, ImportedHostFacts>;
  /** Real servers read although no service lists them (given with --ssh). */
  extraServers: string[];
}
