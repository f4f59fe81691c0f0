// What the importers read from keepalived.conf and ipvsadm rules, before it becomes .lvs text:
// the values of the language only, each with the place it came from.

export interface SourceLine {
  file: string;
  line: number;
}

export interface ImportedCheck {
  type: 'http' | 'https' | 'tcp' | 'udp' | 'ping';
  path?: string;
  expect?: number;
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
  check?: ImportedCheck;
  reals: ImportedReal[];
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
}

export interface ImportedCluster {
  services: ImportedService[];
  directors: ImportedDirector[];
  ha?: ImportedHa;
}
