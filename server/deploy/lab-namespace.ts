// The lab is reachable only from its client namespace (no default route: nothing a deploy
// sends can leave the machine). A deploy to `--target lab` started elsewhere re-runs itself
// there with `ip netns exec`; this tells whether we already are inside it.
import { statSync } from 'node:fs';
import { clientHost, LabState } from '../lab';

export function labClientNamespace(state: LabState): string {
  return clientHost(state).ns;
}

/** True when this process's network namespace is the named one (`/run/netns/NAME`). */
export function inNamespace(ns: string): boolean {
  try {
    const mine = statSync('/proc/self/ns/net');
    const theirs = statSync(`/run/netns/${ns}`);
    return mine.ino === theirs.ino && mine.dev === theirs.dev;
  } catch {
    return false;
  }
}
