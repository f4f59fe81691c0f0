// The name rule of the .lvs language. The Identifier token (tokens.ts) is built from NAME_SOURCE,
// so this is what the lexer accepts as a name; every other check of a name (designer intents,
// rename, the deploy guard, the webview's forms) uses NAME_RE. No chevrotain here: the webview
// bundle imports this file.

/** A letter or '_', then letters, digits, '_' or '-' (nothing shell-unsafe can be a name). */
export const NAME_SOURCE = '[A-Za-z_][A-Za-z0-9_-]*';
export const NAME_RE = new RegExp(`^${NAME_SOURCE}$`);
/** The rule in words, for error messages. */
export const NAME_RULE = "a letter or '_' followed by letters, digits, '_' or '-'";

/** Interface names: a name or a VLAN name (`eth0.100`). */
export const IFACE_RE = new RegExp(`^${NAME_SOURCE}(?:\\.[0-9]+)?$`);
/** IFNAMSIZ is 16 bytes including the terminating NUL. */
export const IFACE_MAX = 15;
