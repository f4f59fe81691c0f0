// Text from a remote host (command output, error messages that quote it) made safe to show: a
// host could otherwise move the cursor, recolour, retitle or reset a terminal, or reorder text
// with bidi overrides in an editor. Keeps printable characters, newlines and tabs.

/** ANSI/VT escape sequences: CSI (ESC [ or 0x9B), OSC/DCS/SOS/PM/APC strings, two-byte ESC forms. */
const ESCAPES = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|(?:\x1b[\]PX^_]|[\x90\x98\x9d-\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?|\x1b[ -/]*[0-~]/g;
/** C0 controls except tab and newline, DEL, C1 controls, bidi embeddings/overrides/isolates. */
const CONTROLS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
  return text.replace(ESCAPES, '').replace(CONTROLS, '');
}
