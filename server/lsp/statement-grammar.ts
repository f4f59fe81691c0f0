// The statements of each block as completion sees them: a flattened view of the parser
// (server/language/parser.ts), enough to know what may come next. test/unit/statement-grammar.test.ts
// derives the same table from the parser's grammar and fails when the two disagree.

export type BlockKind = 'file' | 'cluster' | 'director' | 'server' | 'service' | 'ha' | 'ssh' | 'timeouts' | 'unknown';

export interface StmtSpec {
  /** Values that follow the keyword (`target os NAME` counts `os` as a value). */
  values: number;
  /** Optional trailing keywords of the statement with their value counts (`check http every 5s`). */
  subs?: Record<string, number>;
  /** The block a following `{` opens. */
  block?: BlockKind;
}

const HOST_COMMON_HEAD: Record<string, StmtSpec> = {
  address: { values: 1 },
  interface: { values: 1 },
  gateway: { values: 1 },
};
const HOST_COMMON_TAIL: Record<string, StmtSpec> = {
  sysctl: { values: 2 },
  link: { values: 2 },
  ssh: { values: 0, block: 'ssh' },
  target: { values: 2 },
};

export const GRAMMAR: Record<BlockKind, Record<string, StmtSpec>> = {
  file: { cluster: { values: 1, block: 'cluster' } },
  cluster: {
    network: { values: 1 },
    gateway: { values: 1 },
    vip: { values: 1, subs: { interface: 1 } },
    director: { values: 1, block: 'director' },
    server: { values: 1, block: 'server' },
    service: { values: 1, block: 'service' },
    ha: { values: 0, block: 'ha' },
    ssh: { values: 0, block: 'ssh' },
    target: { values: 2 },
    clients: { values: 1 },
    timeouts: { values: 0, block: 'timeouts' },
  },
  director: { ...HOST_COMMON_HEAD, role: { values: 1 }, priority: { values: 1 }, nopreempt: { values: 0 }, ...HOST_COMMON_TAIL },
  server: { ...HOST_COMMON_HEAD, 'vip-on': { values: 1, subs: { prefix: 1, vip: 1 } }, ...HOST_COMMON_TAIL },
  service: {
    vip: { values: 1 },
    protocol: { values: 1 },
    port: { values: 1 },
    ports: { values: 1 },
    fwmark: { values: 1 },
    quorum: { values: 1 },
    hysteresis: { values: 1 },
    sorry: { values: 1 },
    scheduler: { values: 1 },
    persistence: { values: 1, subs: { netmask: 1 } },
    'on-failure': { values: 1 },
    check: { values: 1, subs: { path: 1, expect: 1, every: 1, timeout: 1, retry: 1, port: 1, host: 1, name: 1, type: 1 } },
    real: { values: 1, subs: { weight: 1 } },
  },
  ha: {
    'router-id': { values: 1 },
    advert: { values: 1 },
    auth: { values: 1 },
    strict: { values: 0 },
    'no-accept': { values: 0 },
    unicast: { values: 0 },
    'sync-daemon': { values: 1 },
    'preempt-delay': { values: 1 },
    'garp-repeat': { values: 1 },
    'garp-interval': { values: 1 },
    notify: { values: 1 },
    'track-interface': { values: 1 },
  },
  // Names, not keywords (`tcp` is a value elsewhere): build-ast.ts TIMEOUT_NAMES.
  timeouts: { tcp: { values: 1 }, 'tcp-fin': { values: 1 }, udp: { values: 1 } },
  ssh: { user: { values: 1 }, key: { values: 1 }, 'known-hosts': { values: 1 }, password: { values: 1 }, port: { values: 1 } },
  unknown: {},
};
