// Why `lvs/newCluster` refuses answers, in the client's language: the contract's English texts
// (NEW_CLUSTER_REFUSALS in server/protocol/new-cluster.ts, which imports no messages) as messages;
// test/unit/new-cluster-refusals.test.ts holds each equal to its English text.
import { NEW_CLUSTER_REFUSALS } from '../protocol/new-cluster';
import { english, Msg, t } from '../shared/l10n/message';

export const NEW_CLUSTER_REFUSAL_WORDS: Record<keyof typeof NEW_CLUSTER_REFUSALS, Msg> = {
  name: t`The name must be a letter or _ followed by letters, digits, _ or -.`,
  network: t`The network must be an IPv4 or IPv6 network ADDRESS/PREFIX with room for four hosts.`,
  shape: t`lvs/newCluster expects { name, network, vip, directors, servers, os }.`,
  vip: t`The VIP must be a host address of the network other than its gateway (the first host).`,
  room: t`The network has no room for that many hosts.`,
};

/**
 * The message of a refused answer: the contract's own check, else (a value of the wrong type or
 * out of range, worded by valibot) which answer was refused.
 */
export function newClusterRefusal(issue: { message: string; path?: readonly { key: unknown }[] }): Msg {
  const known = Object.values(NEW_CLUSTER_REFUSAL_WORDS).find((m) => english(m) === issue.message);
  if (known) return known;
  const key = issue.path?.[0]?.key;
  return typeof key === 'string' ? t`The answer for ${key} is not accepted.` : NEW_CLUSTER_REFUSAL_WORDS.shape;
}
