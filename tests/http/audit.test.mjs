// The audit trail: every read and write of patient data, searchable by patient, user and period
// by auditors; the patient's access log; the hash chain verified by the command line.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  api,
  assertIsoInstant,
  auditEvents,
  createPatient,
  expectError,
  expectStatus,
  freshDatabase,
  login,
  requireEnv,
  run,
  sleep,
  usernameOf,
} from './lib.mjs';

/** A patient registered and then read by the coordinator; returns the patient and the read's time window. */
async function patientReadByCoordinator() {
  const coord = await login('coordinator');
  const patient = await createPatient(coord);
  await sleep(20);
  const from = new Date(Date.now() - 1000).toISOString();
  expectStatus(await api('GET', `/api/v1/patients/${patient.id}`, undefined, coord), 200);
  const to = new Date(Date.now() + 1000).toISOString();
  return { patient, from, to };
}

test("an auditor sees who did what to a patient, including the coordinator's reads", async () => {
  const { patient } = await patientReadByCoordinator();
  const items = await auditEvents({ patient: patient.id });
  assert.ok(items.length >= 2, `expected the registration and the read, got ${JSON.stringify(items)}`);
  for (const e of items) {
    assertIsoInstant(e.at, 'at');
    assert.equal(typeof e.user, 'string');
    assert.equal(typeof e.action, 'string');
    assert.equal(typeof e.category, 'string');
    assert.equal(e.patient_id, patient.id, 'the patient filter returns only that patient');
  }
  const coord = usernameOf('coordinator');
  const read = items.find((e) => e.user === coord && e.action === 'read');
  assert.ok(read, `no read by ${coord}: ${JSON.stringify(items.map((e) => [e.user, e.action]))}`);
  assert.equal(read.category.length > 0, true);
  assert.ok(items.some((e) => e.user === coord && e.action === 'create'), 'the registration is audited');
  assert.ok(Math.abs(Date.parse(read.at) - Date.now()) < 5 * 60_000, `read.at is not about now: ${read.at}`);

  // Admins may search the trail too; a clinician may not.
  const adminView = expectStatus(await api('GET', `/api/v1/audit-events?patient=${patient.id}`, undefined, await login('admin')), 200);
  assert.ok(adminView.items.some((e) => e.user === coord && e.action === 'read'));
  expectError(await api('GET', `/api/v1/audit-events?patient=${patient.id}`, undefined, await login('clinician')), 403);
});

test('audit events filter by user and by period', async () => {
  const { patient, from, to } = await patientReadByCoordinator();
  const coord = usernameOf('coordinator');
  const clinicianName = usernameOf('clinician');
  expectStatus(await api('GET', `/api/v1/patients/${patient.id}`, undefined, await login('clinician')), 200);

  const byCoord = await auditEvents({ patient: patient.id, user: coord });
  assert.ok(byCoord.length > 0);
  assert.ok(byCoord.every((e) => e.user === coord), `the user filter lets others through: ${JSON.stringify(byCoord.map((e) => e.user))}`);
  const byClinician = await auditEvents({ patient: patient.id, user: clinicianName });
  assert.ok(byClinician.some((e) => e.action === 'read'), 'the clinician read is found by user');
  assert.ok(byClinician.every((e) => e.user === clinicianName));

  const inWindow = await auditEvents({ user: coord, from, to, patient: patient.id });
  assert.ok(inWindow.some((e) => e.action === 'read'), `the read is not in its period ${from}..${to}`);
  for (const e of inWindow) {
    const at = Date.parse(e.at);
    assert.ok(at >= Date.parse(from) - 1000 && at <= Date.parse(to) + 1000, `${e.at} is outside ${from}..${to}`);
  }
  const longAgo = await auditEvents({ patient: patient.id, from: '2001-01-01T00:00:00Z', to: '2001-01-02T00:00:00Z' });
  assert.deepEqual(longAgo, [], 'a period before the patient existed has no events');
  const byDate = await auditEvents({ patient: patient.id, from: from.slice(0, 10), to: to.slice(0, 10) });
  assert.ok(byDate.some((e) => e.action === 'read' && e.user === coord), 'plain dates as the period include the whole day');
  expectError(await api('GET', '/api/v1/audit-events?from=last-tuesday', undefined, await login('auditor')), 400, { field: 'from' });
});

test("the patient's access log shows who viewed the record (auditor), and is refused to others", async () => {
  const { patient } = await patientReadByCoordinator();
  const res = await api('GET', `/api/v1/patients/${patient.id}/access-log`, undefined, await login('auditor'));
  const body = expectStatus(res, 200, 'access log');
  assert.ok(Array.isArray(body.items));
  const coord = usernameOf('coordinator');
  assert.ok(body.items.some((e) => e.user === coord && e.action === 'read'), `no coordinator read in ${res.text}`);
  assert.ok(body.items.every((e) => e.patient_id === patient.id));
  expectError(await api('GET', `/api/v1/patients/${patient.id}/access-log`, undefined, await login('clinician')), 403);
  // Reading the access log is itself audited.
  const events = await auditEvents({ patient: patient.id, user: usernameOf('auditor') });
  assert.ok(events.length > 0, 'the auditor reading the access log leaves a trace');
});

test('`caredesk audit verify` exits 0 on the live database while the server runs', async () => {
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const db = requireEnv('CAREDESK_DB', 'the database the server uses');
  await patientReadByCoordinator();
  const r = await run(bin, ['audit', 'verify', '--db', db], { timeoutMs: 60_000 });
  assert.equal(r.code, 0, `audit verify exited ${r.code} (${r.signal ?? ''}):\n${r.stdout}\n${r.stderr}`);
  expectStatus(await api('GET', '/healthz'), 200, 'the server is unaffected');
});

const cleanups = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

/** Runs one SQL statement on a database of the backend under test (sqlite3 or psql). */
async function sql(db, statement) {
  const r = db.startsWith('postgres')
    ? await run('psql', [db, '-v', 'ON_ERROR_STOP=1', '-q', '-c', statement])
    : await run('sqlite3', [db, statement]);
  assert.equal(r.code, 0, `${statement}: ${r.stderr}`);
  return r.stdout;
}

test('`caredesk audit verify` names the first altered or missing row of the chain', async () => {
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  // A database of our own (no server on it): tampering with the shared one would break other checks.
  const { db } = await freshDatabase(bin, cleanups);
  for (let i = 0; i < 4; i++) {
    const r = await run(bin, ['user', 'add', '--db', db, '--username', `chain-${i}`, '--role', 'clinician', '--password-stdin'], {
      input: `Chain-password-${i}-long\n`,
    });
    assert.equal(r.code, 0, r.stderr);
  }
  const intact = await run(bin, ['audit', 'verify', '--db', db]);
  assert.equal(intact.code, 0, `verify of an intact chain: ${intact.stdout}${intact.stderr}`);

  await sql(db, "UPDATE audit_events SET detail = 'rewritten' WHERE seq = 3");
  const altered = await run(bin, ['audit', 'verify', '--db', db]);
  assert.notEqual(altered.code, 0, `an altered row passed verification: ${altered.stdout}`);
  assert.match(altered.stdout + altered.stderr, /\b3\b/, `the message does not name row 3: ${altered.stdout}${altered.stderr}`);

  await sql(db, "UPDATE audit_events SET detail = 'rewritten' WHERE seq = 5");
  const second = await run(bin, ['audit', 'verify', '--db', db]);
  assert.match(second.stdout + second.stderr, /\b3\b/, 'the first bad row is named, not a later one');

  const fresh = await freshDatabase(bin, cleanups);
  for (let i = 0; i < 3; i++) {
    await run(bin, ['user', 'add', '--db', fresh.db, '--username', `gap-${i}`, '--role', 'billing', '--password-stdin'], {
      input: `Gap-password-${i}-long\n`,
    });
  }
  await sql(fresh.db, 'DELETE FROM audit_events WHERE seq = 2');
  const missing = await run(bin, ['audit', 'verify', '--db', fresh.db]);
  assert.notEqual(missing.code, 0, `a missing row passed verification: ${missing.stdout}`);
  assert.match(missing.stdout + missing.stderr, /\b2\b/, `the message does not name the missing row 2: ${missing.stdout}${missing.stderr}`);
});
