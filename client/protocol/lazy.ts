// The protocol part (client/protocol/part.ts), loaded on the first request or check.
import { LazyPart } from '../lazy-part';
import type * as ProtocolPart from './part';

const part = new LazyPart<typeof ProtocolPart, typeof ProtocolPart.protocol>('protocol', (e) => e.protocol);

/** Custom requests and the schema checks of answers, journals and snapshots (loads their bundle on first use). */
export function protocol(): typeof ProtocolPart.protocol {
  return part.get();
}
