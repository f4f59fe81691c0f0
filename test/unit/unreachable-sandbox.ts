// A HOME and a repository for running the built CLI against a cluster whose hosts cannot be
// reached: $HOME/.ssh/config sends every host to 127.0.0.1 port 9, where nothing listens, so each
// connection is refused on this machine and nothing leaves it. The .lvs file (examples/seed.lvs)
// lives outside HOME: a known_hosts inside the file's own folder is not trusted silently.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface UnreachableSandbox {
  home: string;
  repo: string;
  /** The seed's copy in `repo`. */
  file: string;
  /** A journal directory under HOME (not created). */
  journals: string;
  done(): void;
}

/** `name` tells the temporary folders apart (lvsdr-NAME-home-…, lvsdr-NAME-repo-…). */
export function unreachableSandbox(name: string): UnreachableSandbox {
  const home = mkdtempSync(join(tmpdir(), `lvsdr-${name}-home-`));
  mkdirSync(join(home, '.ssh'), { mode: 0o700 });
  writeFileSync(join(home, '.ssh', 'config'), 'Host *\n  HostName 127.0.0.1\n  Port 9\n');
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(home, '.ssh', 'id_ed25519')]);
  writeFileSync(join(home, '.ssh', 'known_hosts'), '');
  const repo = mkdtempSync(join(tmpdir(), `lvsdr-${name}-repo-`));
  const file = join(repo, 'seed.lvs');
  copyFileSync('examples/seed.lvs', file);
  return {
    home, repo, file, journals: join(home, 'journals'),
    done: () => { rmSync(home, { recursive: true, force: true }); rmSync(repo, { recursive: true, force: true }); },
  };
}
