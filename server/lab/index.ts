// The lab as the rest of the engine sees it: the deploy engine (and `lvsdr deploy --target
// lab`) reads a running lab's state — its hosts, keys and client namespace — through this
// module only. The lab's own command (cli/lab.ts) is the one user of its internals.
export { clientHost, readState, stateDir } from './state';
export type { LabHost, LabState } from './state';
