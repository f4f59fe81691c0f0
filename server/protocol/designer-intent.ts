// The edits the designer can ask for: the one definition of a designer intent. The webview's forms
// check their fields with these schemas, the extension checks each intent from the webview with
// DesignerIntent, and the language server checks it again when it arrives over lvs/applyIntent
// (server/lsp/designer-requests.ts). What needs the document (does the service exist, is the
// address free and inside the network, is the name a keyword) is server/diagram/intents.ts's.
import * as v from 'valibot';
import { IFACE_MAX, IFACE_RE, NAME_RE, NAME_RULE } from '../language/names';
import { parseIpv4 } from '../language/values';
import { PROTOCOLS, ROLES, SCHEDULERS } from '../language/vocabulary';

/** The longest interface name (the designer's form says it). */
export { IFACE_MAX };

/** Longest string an intent field may carry. */
export const TEXT_MAX = 256;

const text = (what: string, max = TEXT_MAX) => v.pipe(
  v.string(`${what} must be a string.`),
  v.maxLength(max, `${what} is too long (at most ${max} characters).`),
);

/** A name of the language (cluster, service, server, director). */
export const nameField = (what: string) => v.pipe(
  text(what),
  v.regex(NAME_RE, (issue) => `${what} '${issue.input}' is not a valid name: use ${NAME_RULE}.`),
);

/** A diagram node's id: `<cluster>/<kind>/<name>` (server/diagram/model.ts). */
export const NodeId = text('Node id', 2 * TEXT_MAX + 16);

/** A whole number in [min, max]. */
export const wholeNumber = (what: string, min: number, max: number) => v.pipe(
  v.number(`${what} must be a number.`),
  v.check((n) => Number.isInteger(n) && n >= min && n <= max, (issue) => `${what} must be a whole number from ${min} to ${max} (got ${issue.input}).`),
);

/** The ranges of the number fields (the designer's forms say them in their messages). */
export const WEIGHT_RANGE = [0, 65535] as const;
export const PORT_RANGE = [0, 65535] as const;
/** VRRP priority: 255 belongs to the address owner, 0 means "leaving". */
export const PRIORITY_RANGE = [1, 254] as const;

export const Weight = wholeNumber('Weight', ...WEIGHT_RANGE);
export const Port = wholeNumber('Port', ...PORT_RANGE);
export const Priority = wholeNumber('Priority', ...PRIORITY_RANGE);

/** A host address in dotted quad form. */
export const Ipv4Address = v.pipe(
  text('Address'),
  v.check((a) => parseIpv4(a) !== undefined, (issue) => `'${issue.input}' is not an IPv4 address.`),
);

/** An interface name (a VLAN's `eth0.100` too), at most IFNAMSIZ - 1 characters. */
export const InterfaceName = v.pipe(
  text('Interface'),
  v.check((i) => IFACE_RE.test(i) && i.length <= IFACE_MAX,
    (issue) => `Interface '${issue.input}' is not a valid interface name (letters, digits, '_', '-', an optional VLAN '.N', at most ${IFACE_MAX} characters).`),
);

export const Scheduler = v.picklist(SCHEDULERS, (issue) => `Unknown scheduler '${issue.input}'; expected one of ${SCHEDULERS.join(', ')}.`);
export const Protocol = v.picklist(PROTOCOLS, (issue) => `Protocol must be ${PROTOCOLS.join(' or ')} (got '${issue.input}').`);
export const Role = v.picklist(ROLES, (issue) => `Role must be ${ROLES.join(' or ')} (got '${issue.input}').`);

/** An intent object of one type: its fields, no others, each present unless optional. */
function intent<T extends string, E extends v.ObjectEntries>(type: T, entries: E) {
  const what = `a ${type} intent`;
  return v.strictObject({ type: v.literal(type), cluster: nameField('Cluster name'), ...entries }, (issue) => {
    if (issue.expected === 'never') return `Unexpected field '${String(issue.input)}' in ${what}.`;
    if (issue.expected?.startsWith('"')) return `Field '${issue.expected.slice(1, -1)}' of ${what} is missing.`;
    return `${what} must be an object.`;
  });
}

const intents = [
  intent('addRealServer', {
    service: nameField('Service name'),
    name: nameField('Server name'),
    /** '' when the server exists already (its block is kept as it is). */
    address: v.union([v.literal(''), Ipv4Address], (issue) => `'${issue.input}' is not an IPv4 address.`),
    weight: Weight,
    /** '' or absent: the interface most servers of the cluster use. */
    iface: v.optional(v.union([v.literal(''), InterfaceName], (issue) => `Interface '${issue.input}' is not a valid interface name (letters, digits, '_', '-', an optional VLAN '.N', at most ${IFACE_MAX} characters).`)),
  }),
  intent('removeNode', { nodeId: NodeId }),
  intent('setWeight', { service: nameField('Service name'), server: nameField('Server name'), weight: Weight }),
  intent('setScheduler', { service: nameField('Service name'), scheduler: Scheduler }),
  intent('setRole', { director: nameField('Director name'), role: Role, priority: v.optional(Priority) }),
  intent('setProtocolPort', { service: nameField('Service name'), protocol: v.optional(Protocol), port: v.optional(Port) }),
  intent('toggleVipOn', { server: nameField('Server name'), enabled: v.boolean('Enabled must be a boolean.') }),
  /** A director's or real server's address and/or interface (the properties panel's fields). */
  intent('setHostAddress', {
    host: nameField('Host name'),
    kind: v.picklist(['director', 'server'], (issue) => `Host kind must be director or server (got '${issue.input}').`),
    address: v.optional(Ipv4Address),
    iface: v.optional(InterfaceName),
  }),
] as const;

export const INTENT_TYPES = intents.map((i) => i.entries.type.literal);

/** Names are the DSL names; what needs the document is checked by the language server. */
export const DesignerIntent = v.pipe(
  v.variant('type', intents, (issue) => (!issue.path || Array.isArray(issue.path[0].input)
    ? 'The intent must be an object.'
    : `Unknown intent type ${JSON.stringify(issue.input)}; expected one of ${INTENT_TYPES.join(', ')}.`)),
  v.check((i) => i.type !== 'setProtocolPort' || i.protocol !== undefined || i.port !== undefined, 'setProtocolPort needs a protocol, a port or both.'),
  v.check((i) => i.type !== 'setHostAddress' || i.address !== undefined || i.iface !== undefined, 'setHostAddress needs an address, an interface or both.'),
);
export type DesignerIntent = v.InferOutput<typeof DesignerIntent>;
