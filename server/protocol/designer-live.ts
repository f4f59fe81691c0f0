// The live state the designer draws over the diagram when a target is connected: the latest
// snapshot of each cluster of the file, exactly as `lvsdr status --json` prints it (the one
// contract: live-snapshot.ts), and where the connection stands. The extension checks every
// snapshot line with that schema and posts the view whole; the webview turns it into marks.
import * as v from 'valibot';
import { LiveSnapshot } from './live-snapshot';

export const LiveView = v.object({
  /** `off` (toggle off), `connecting`, `live`, `error` (the feed stopped: why in `message`). */
  status: v.picklist(['off', 'connecting', 'live', 'error']),
  /** The target's name (lab, hosts), for the toolbar. */
  target: v.optional(v.pipe(v.string(), v.maxLength(64))),
  message: v.optional(v.pipe(v.string(), v.maxLength(4000))),
  clusters: v.array(LiveSnapshot),
});
export type LiveView = v.InferOutput<typeof LiveView>;
