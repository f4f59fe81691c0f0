// What `lab up` reports while it builds, one line each: messages, which the CLI prints as
// `lvsdr lab: …` in the reader's language.
import { Msg, t } from '../shared/l10n/message';

export const labProgress = {
  starting: (id: string, cluster: string, hosts: number, file: string): Msg => t`lab ${id}: cluster ${cluster} (${hosts} hosts) from ${file}`,
  booted: (director: string, pid: number | undefined, ms: number): Msg =>
    t`director ${director} booted (linux.uml pid ${String(pid)}) in ${(ms / 1000).toFixed(1)} s`,
  tearingDown: t`lab up failed: tearing down what was created`,
  up: (id: string, ms: number): Msg => t`lab ${id} is up in ${(ms / 1000).toFixed(1)} s`,
};
