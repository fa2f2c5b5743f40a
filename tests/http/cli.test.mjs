// The command line: every command answers --help, and backup writes a
// consistent copy of the live database the server is using.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backend, requireEnv, run } from './lib.mjs';

const bin = () => requireEnv('CAREDESK_BIN', 'the caredesk binary under test');

test('every command answers --help naming its options', async () => {
  const cases = [
    [['--help'], /serve/],
    [['serve', '--help'], /--listen/],
    [['migrate', '--help'], /--db/],
    [['user', 'add', '--help'], /--password-stdin/],
    [['demo', '--help'], /--patients/],
    [['audit', 'verify', '--help'], /--db/],
    [['backup', '--help'], /--to/],
  ];
  for (const [args, expected] of cases) {
    const r = await run(bin(), args);
    assert.equal(r.code, 0, `caredesk ${args.join(' ')} exits 0: ${r.stderr}`);
    assert.match(r.stdout, expected, `caredesk ${args.join(' ')} mentions ${expected}`);
  }
});

test('a missing required option is a usage error, not a crash', async () => {
  const r = await run(bin(), ['audit', 'verify']);
  assert.notEqual(r.code, 0);
  assert.equal(r.signal, null);
  assert.match(r.stderr + r.stdout, /--db/);
});

test('backup writes a consistent copy of the live database', async () => {
  const db = requireEnv('CAREDESK_DB', 'the database the server uses');
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-backup-'));
  try {
    const to = join(dir, backend() === 'postgres' ? 'caredesk.dump' : 'caredesk-copy.db');
    const r = await run(bin(), ['backup', '--db', db, '--to', to], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `backup exits 0: ${r.stderr}`);
    assert.ok(statSync(to).size > 0, 'the backup file is not empty');
    if (backend() === 'sqlite') {
      const verify = await run(bin(), ['audit', 'verify', '--db', to]);
      assert.equal(verify.code, 0, `the copy's audit chain verifies: ${verify.stdout}${verify.stderr}`);
      const check = await run('sqlite3', [to, 'PRAGMA integrity_check']);
      assert.equal(check.stdout.trim(), 'ok');
    }
    const again = await run(bin(), ['backup', '--db', db, '--to', to]);
    assert.notEqual(again.code, 0, 'backup refuses to overwrite an existing file');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
