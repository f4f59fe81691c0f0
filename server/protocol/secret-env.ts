// The environment variable that carries the value of a `secret:NAME` reference: what the lvsdr
// CLI reads, what VS Code sets for the CLI it starts, and what CI sets for both.

/** `secret:vrrp-web` → `LVS_SECRET_VRRP_WEB` (upper-cased; every other character as `_`). */
export function secretEnvName(name: string): string {
  return `LVS_SECRET_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}
