// What one refresh hands from the engine to the assembler and the findings.
import type { ClusterSpec } from '../generate/spec';
import type { Locale } from '../shared/l10n/locale';
import type { Msg } from '../shared/l10n/message';
import type { DirectorRead } from './parse-director';
import type { RealServerRead } from './parse-real-server';

export interface HostReading<T> {
  name: string;
  address: string;
  read?: T;
  /** Why there is no read (unreachable, command failed), rendered in the reader's language. */
  error?: Msg;
}

/** What one refresh leaves for the next: since when each real server has been out of service. */
export interface LiveHistory {
  /** `service real` → ms epoch it was first seen out of service. */
  outSince: Map<string, number>;
  /** Refreshes seen so far (0 before the first). */
  refreshes: number;
}

export function newHistory(): LiveHistory {
  return { outSince: new Map(), refreshes: 0 };
}

export interface AssembleInput {
  spec: ClusterSpec;
  target: 'lab' | 'hosts';
  at: number;
  ms: number;
  directors: HostReading<DirectorRead>[];
  servers: HostReading<RealServerRead>[];
  /** Timeouts are read every few refreshes; the last ones read are kept here. */
  timeouts: Map<string, NonNullable<DirectorRead['timeouts']>>;
  /** The reader's language for the findings' messageLocalized (English: none). */
  locale?: Locale;
}

