// The prerequisites of the tests that run remote scripts in a private mount namespace
// (`unshare -m`), so that what the scripts write never reaches the machine.
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import assert from 'node:assert/strict';

/** Why a mount-namespace sandbox cannot run here, or undefined. */
export function mountSandboxUnavailable(): string | undefined {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (unshare -m)';
  if (spawnSync('unshare', ['--help']).status !== 0) return 'needs unshare (util-linux)';
  return undefined;
}

/**
 * The reason to skip a sandbox suite, or undefined. Under CI=true a missing prerequisite is a
 * failing test named after the suite, never a silent skip.
 */
export function mountSandboxSkip(suite: string): string | undefined {
  const reason = mountSandboxUnavailable();
  if (reason && process.env.CI === 'true') test(`${suite}: prerequisites`, () => assert.fail(reason));
  return reason;
}
