// The command line: every command answers --help, and backup writes a
// consistent copy of the live database the server is using.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { api, backend, expectStatus, loginAt, requireEnv, run, startServer } from './lib.mjs';

const bin = () => requireEnv('CAREDESK_BIN', 'the caredesk binary under test');

test('every command answers --help naming its options', async () => {
  const cases = [
    [['--help'], /serve/],
    [['serve', '--help'], /--listen/],
    [['migrate', '--help'], /--db/],
    [['user', 'add', '--help'], /--password-stdin/],
    [['demo', '--help'], /--patients/],
    [['audit', 'verify', '--help'], /--db/],
    [['token', 'issue', '--help'], /--scope/],
    [['backup', '--help'], /--to/],
    [['import', 'fhir', '--help'], /ndjson/],
    [['feedback', 'train', '--help'], /--data/],
    [['feedback', 'classify', '--help'], /--model/],
    [['feedback', 'classify', '--help'], /--question/],
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

test('serve refuses a sender address for staff emails that is not one, naming the setting', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-mailfrom-'));
  try {
    const r = await run(bin(), ['serve', '--db', join(dir, 'x.db'), '--listen', '127.0.0.1:0'], {
      env: { ...process.env, CAREDESK_MAIL_FROM: 'not an address' },
      timeoutMs: 20_000,
    });
    assert.notEqual(r.code, 0);
    assert.equal(r.signal, null);
    assert.match(r.stderr + r.stdout, /mail_from/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('token issue prints a token for a system that the running server accepts within its scopes', async () => {
  const db = requireEnv('CAREDESK_DB', 'the database the server uses');
  const coordinator = requireEnv('COORD_USER', 'the seeded coordinator');
  const r = await run(bin(), ['token', 'issue', '--db', db, '--username', coordinator, '--scope', 'system/Location.read', '--days', '2']);
  assert.equal(r.code, 0, `token issue exits 0: ${r.stderr}`);
  const token = r.stdout.trim();
  assert.match(token, /^\S{20,}$/, 'the token alone on standard output');
  assert.match(r.stderr, /system\/Location\.read/);
  const locations = await api('GET', '/fhir/R4/Location', undefined, token);
  assert.equal(locations.status, 200, locations.text);
  assert.equal((await api('GET', '/fhir/R4/Patient?family=a', undefined, token)).status, 403);
  const bad = await run(bin(), ['token', 'issue', '--db', db, '--username', coordinator, '--scope', 'patient/*.read']);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /patient\/ scopes need a SMART launch/);
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

test('feedback classify reads one comment a line and writes one JSON object a line with the shipped model', async () => {
  const comments = [
    'The nurses were kind, caring and explained everything. Thank you so much!',
    'I waited four hours and nobody told me anything. Rude receptionist.',
    'The parking was hard to find but the doctor was excellent',
  ];
  const r = await run(bin(), ['feedback', 'classify'], { input: comments.join('\n') + '\n' });
  assert.equal(r.code, 0, `classify exits 0: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(lines.length, comments.length, 'one answer per comment');
  for (const l of lines) {
    assert.ok(Array.isArray(l.themes), 'themes is an array');
    assert.ok(['positive', 'neutral', 'negative'].includes(l.sentiment), `sentiment ${l.sentiment}`);
    assert.deepEqual(Object.keys(l).sort(), ['sentiment', 'themes']);
  }
  assert.equal(lines[0].sentiment, 'positive');
  assert.equal(lines[1].sentiment, 'negative');
});

test('feedback classify reads each comment with the question it answers (--question)', async () => {
  // "Nothing." is praise answering "What could we do better?" and a complaint answering "What was good?".
  const classify = async (args) => {
    const r = await run(bin(), ['feedback', 'classify', ...args], { input: 'Nothing.\n' });
    assert.equal(r.code, 0, `classify ${args.join(' ')} exits 0: ${r.stderr}`);
    return JSON.parse(r.stdout.trim());
  };
  assert.equal((await classify(['--question', 'could_improve'])).sentiment, 'positive');
  assert.equal((await classify(['--question', 'what_good'])).sentiment, 'negative');
  assert.deepEqual(await classify([]), await classify(['--question', 'nonspecific']), 'nonspecific is the default');
  const bad = await run(bin(), ['feedback', 'classify', '--question', 'why'], { input: 'Nothing.\n' });
  assert.equal(bad.code, 2, 'a bad kind is a usage error');
  assert.match(bad.stderr, /--question/);
  assert.match(bad.stderr, /what_good, could_improve or nonspecific/);
  assert.equal(bad.stdout, '');
});

// A small pxtextmining-format CSV: 400 comments, every other one on staff (Staff manner) and the rest on
// waiting (Timeliness), with "FFT question" unless `withQuestion` is false. Short answers ("Nothing") are
// praise under "What could we do better?" and complaints under "What was good?".
function smallTrainingCsv(withQuestion) {
  const rows = [[...(withQuestion ? ['FFT question'] : []), 'FFT answer', 'Comment sentiment', 'Staff manner', 'Timeliness']];
  for (let i = 0; i < 400; i++) {
    const staff = i % 2 === 0;
    const improve = i % 3 === 0;
    const nothing = i % 5 === 1;
    const text = nothing ? 'Nothing' : staff ? `The staff were kind ${i % 7}` : `We waited hours ${i % 7}`;
    const score = nothing ? (improve ? 1 : 5) : staff ? 1 : 5;
    rows.push([
      ...(withQuestion ? [improve ? 'What could we do better?' : 'What was good?'] : []),
      text, String(score), staff && !nothing ? '1' : '', !staff && !nothing ? '1' : '',
    ]);
  }
  return rows.map((r) => r.join(',')).join('\n') + '\n';
}

test('feedback train reads the "FFT question" column when the CSV has it, and says when it has not', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-feedback-q-'));
  try {
    for (const withQuestion of [true, false]) {
      const csv = join(dir, `train-${withQuestion}.csv`);
      const out = join(dir, `model-${withQuestion}.bin`);
      writeFileSync(csv, smallTrainingCsv(withQuestion));
      const train = await run(bin(), ['feedback', 'train', '--data', csv, '--out', out], { timeoutMs: 120_000 });
      assert.equal(train.code, 0, `train exits 0: ${train.stderr}`);
      assert.match(train.stdout, /trained on 320 comments \(80 held out\)/);
      assert.match(train.stdout, withQuestion ? /question kinds: from the "FFT question" column/
        : /question kinds: no "FFT question" column, every comment taken as nonspecific/);
      const classify = await run(bin(), ['feedback', 'classify', '--model', out, '--question', 'could_improve'],
        { input: 'Nothing\nThe staff were kind\n' });
      assert.equal(classify.code, 0, classify.stderr);
      const [nothing, staff] = classify.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(staff.themes, ['Staff manner']);
      if (withQuestion) {
        assert.equal(nothing.sentiment, 'positive', 'the question column was learnt from');
        const whatGood = await run(bin(), ['feedback', 'classify', '--model', out, '--question', 'what_good'],
          { input: 'Nothing\n' });
        assert.equal(JSON.parse(whatGood.stdout.trim()).sentiment, 'negative');
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('feedback train and classify fail clearly on a missing file and leave no model behind', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-feedback-'));
  try {
    const out = join(dir, 'model.bin');
    const train = await run(bin(), ['feedback', 'train', '--data', join(dir, 'missing.csv'), '--out', out]);
    assert.equal(train.code, 2);
    assert.match(train.stderr, /cannot read .*missing\.csv/);
    assert.throws(() => statSync(out), 'no model file is written');
    const classify = await run(bin(), ['feedback', 'classify', '--model', out], { input: 'hello\n' });
    assert.equal(classify.code, 2);
    assert.match(classify.stderr, /cannot read the model/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('caredesk demo builds a clinic whose users can sign in, staff seeing their unit’s comments', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-demo-'));
  const db = join(dir, 'demo.db');
  let server;
  try {
    const r = await run(bin(), ['demo', '--db', db, '--patients', '300', '--providers', '10', '--seed', '7'], { timeoutMs: 120_000 });
    assert.equal(r.code, 0, `caredesk demo exits 0: ${r.stderr}`);
    assert.match(r.stdout, /demo clinic: 6 locations, .* 300 patients/);
    assert.match(r.stdout, /patient relations: \d+ cases/);
    assert.match(r.stdout, /surveys: \d+ invitations, \d+ responses/);
    assert.match(r.stdout, /third next available: [1-9]\d* readings over \d+ location-days/);
    const passwords = Object.fromEntries([...r.stdout.matchAll(/^(\w+) {2}(demo-\S+)$/gm)].map((m) => [m[1], m[2]]));
    for (const role of ['admin', 'manager', 'coordinator', 'clinician', 'billing', 'auditor']) {
      assert.ok(passwords[role], `a password for ${role}`);
    }
    server = await startServer(bin(), db);
    const manager = await loginAt(server.base, 'manager', passwords.manager);
    const coordinator = await loginAt(server.base, 'coordinator', passwords.coordinator);
    const me = expectStatus(await api('GET', '/api/v1/session', undefined, coordinator, { base: server.base }), 200);
    assert.ok(me.user.location_id, 'the demo coordinator has a unit');
    const mine = expectStatus(await api('GET', '/api/v1/comments?limit=200', undefined, coordinator, { base: server.base }), 200);
    assert.ok(mine.total > 0, 'the unit has comments');
    assert.ok(mine.items.every((c) => c.location_id === me.user.location_id), 'only the unit’s');
    const all = expectStatus(await api('GET', '/api/v1/comments?limit=200', undefined, manager, { base: server.base }), 200);
    assert.ok(all.total > mine.total, 'the manager reads every unit’s');
    const scan = expectStatus(await api('POST', '/api/v1/metrics/alerts/scan', {}, manager, { base: server.base }), 200);
    assert.equal(scan.locations, 6);
    // The history has a third-next-available reading a day at each location.
    const locations = expectStatus(await api('GET', '/api/v1/locations', undefined, manager, { base: server.base }), 200).items;
    const access = expectStatus(await api('GET', `/api/v1/access/third-next-available?location_id=${locations[0].id}`, undefined, manager, { base: server.base }), 200);
    assert.ok(access.items.length > 0, 'readings per type and provider');
    const to = access.snapshot_date;
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10);
    const tna = expectStatus(
      await api('GET', `/api/v1/metrics/third_next_available_days?location_id=${locations[0].id}&interval=day&from=${from}&to=${to}`, undefined, manager, { base: server.base }),
      200,
    );
    assert.equal(tna.metric.series.filter((p) => p.value !== null).length, 28, 'a reading on each of the last 28 days');
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('caredesk access backfill rebuilds past readings and refuses bad dates', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'caredesk-access-'));
  const db = join(dir, 'a.db');
  try {
    const demo = await run(bin(), ['demo', '--db', db, '--patients', '100', '--providers', '6', '--seed', '3'], { timeoutMs: 120_000 });
    assert.equal(demo.code, 0, demo.stderr);
    const today = new Date().toISOString().slice(0, 10);
    const week = new Date(Date.now() - 6 * 86_400_000).toISOString().slice(0, 10);
    const kept = await run(bin(), ['access', 'backfill', '--db', db, '--from', week, '--to', today]);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stdout, /third next available: 0 readings on 0 location-days .*\(days already read kept\)/, 'the demo read these days already');
    const again = await run(bin(), ['access', 'backfill', '--db', db, '--from', week, '--to', today, '--location', '1', '--replace']);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /third next available: [1-9]\d* readings on [67] location-days at 1 locations/);
    const reversed = await run(bin(), ['access', 'backfill', '--db', db, '--from', today, '--to', week]);
    assert.equal(reversed.code, 2);
    assert.match(reversed.stderr, /\(to\)/);
    const bad = await run(bin(), ['access', 'backfill', '--db', db, '--from', '2026-02-30', '--to', today]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--from/);
    const unknown = await run(bin(), ['access', 'backfill', '--db', db, '--from', week, '--to', today, '--location', '999']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /location/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
