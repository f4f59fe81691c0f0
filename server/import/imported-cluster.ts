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
}
