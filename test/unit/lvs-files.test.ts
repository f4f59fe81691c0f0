import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { lvsFilesUnder, walkReaches } from '../../server/shared/lvs-files';

test('the walk for .lvs files skips dot folders and node_modules, and walkReaches says the same of a folder path', () => {
  const root = mkdtempSync(join(tmpdir(), 'lvs-files-'));
  try {
    for (const dir of ['a/b', '.git', 'node_modules/pkg', 'a/.hidden']) mkdirSync(join(root, dir), { recursive: true });
    for (const f of ['top.lvs', 'a/b/deep.lvs', '.git/x.lvs', 'node_modules/pkg/y.lvs', 'a/.hidden/z.lvs', 'a/notes.txt']) writeFileSync(join(root, f), '');
    assert.deepEqual(lvsFilesUnder(root).map((f) => relative(root, f)), [join('a', 'b', 'deep.lvs'), 'top.lvs']);
    assert.equal(walkReaches('a/b'), true);
    assert.equal(walkReaches('a'), true);
    assert.equal(walkReaches('a/.hidden'), false);
    assert.equal(walkReaches('node_modules/pkg'), false);
    assert.equal(walkReaches('.staging/team-d'), false);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
