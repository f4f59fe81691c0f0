// Why a designer form field is refused, in VS Code's display language. Whether a value is
// accepted is the intent's field schema's to say (server/protocol/designer-intent.ts: the one
// definition the extension and the language server check again); the schemas' own messages are
// English for the protocol and the logs, so the form words the refusal here, through l10n.t.
import * as v from 'valibot';
import { IFACE_MAX, InterfaceName, Ipv4Address, nameField, Port, PORT_RANGE, Priority, PRIORITY_RANGE, TEXT_MAX, Weight, WEIGHT_RANGE } from '../../server/protocol/designer-intent';
import * as l10n from './l10n';

const SCHEMAS = {
  serverName: nameField('Server name'),
  address: Ipv4Address,
  iface: InterfaceName,
  weight: Weight,
  port: Port,
  priority: Priority,
} as const;

export type FormField = keyof typeof SCHEMAS;

/**
 * The problem with `value` for `field`, or undefined when its schema accepts it. `typed` is what
 * the user typed, shown in the message (a number field's value is NaN when it is not a number).
 */
export function fieldProblem(field: FormField, value: unknown, typed = String(value)): string | undefined {
  if (v.safeParse(SCHEMAS[field], value).success) return undefined;
  if (typeof value === 'string' && value.length > TEXT_MAX) return l10n.t('Too long: at most {0} characters', TEXT_MAX);
  switch (field) {
    case 'serverName': return l10n.t("'{0}' is not a valid name: use a letter or '_' followed by letters, digits, '_' or '-'", typed);
    case 'address': return l10n.t("'{0}' is not an IPv4 address", typed);
    case 'iface': return l10n.t("'{0}' is not a valid interface name (letters, digits, '_', '-', an optional VLAN '.N', at most {1} characters)", typed, IFACE_MAX);
    case 'weight': return l10n.t('The weight is a whole number from {0} to {1} (not {2})', ...WEIGHT_RANGE, typed);
    case 'port': return l10n.t('The port is a whole number from {0} to {1} (not {2})', ...PORT_RANGE, typed);
    case 'priority': return l10n.t('The priority is a whole number from {0} to {1} (not {2})', ...PRIORITY_RANGE, typed);
  }
}
