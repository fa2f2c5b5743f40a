// Reliability: one slot never booked twice across two server processes on one PostgreSQL; a
// kill -9 during a booking load loses no confirmed booking and leaves a sound database and audit
// chain. These tests start their own servers (CAREDESK_BIN) on 127.0.0.1 and stop them in after().
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import {
  api,
  backend,
  bookingBody,
  createClinic,
  createPatient,
  expectStatus,
  findSlots,
  freshDatabase,
  login,
  loginAt,
  requireEnv,
  run,
  startServer,
  uid,
} from './lib.mjs';

const servers = [];
const cleanups = [];
after(async () => {
  for (const s of servers) await s.stop().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

test('two servers on one PostgreSQL: 50 concurrent bookings of one slot split between them give exactly one 201', async (t) => {
  if (backend() !== 'postgres') {
    t.skip('needs CAREDESK_BACKEND=postgres (two processes sharing one PostgreSQL database)');
    return;
  }
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const db = requireEnv('CAREDESK_DB', 'the PostgreSQL URL the server under test uses');
  const clinic = await createClinic();
  const coord = await login('coordinator');
  const patients = [];
  for (let i = 0; i < 50; i += 10) patients.push(...(await Promise.all(Array.from({ length: 10 }, () => createPatient(coord)))));
  const [slot] = await findSlots(coord, { type: clinic.type.id, provider: clinic.providers[0].id, limit: 1 });

  const second = await startServer(bin, db);
  servers.push(second);
  // Sessions live in the database: the same token works on both servers.
  expectStatus(await api('GET', '/api/v1/session', undefined, coord, { base: second.base }), 200, 'the second server knows the session');

  const results = await Promise.all(
    patients.map((p, i) =>
      api('POST', '/api/v1/appointments', bookingBody(clinic, p.id, slot), coord, i % 2 ? { base: second.base } : {}),
    ),
  );
  const created = results.filter((r) => r.status === 201);
  const taken = results.filter((r) => r.status === 409 && r.body?.error?.code === 'slot_taken');
  const other = results.filter((r) => r.status !== 201 && !(r.status === 409 && r.body?.error?.code === 'slot_taken'));
  assert.deepEqual(other.map((r) => `${r.status} ${r.text}`), [], 'every answer is 201 or 409 slot_taken');
  assert.equal(created.length, 1, `exactly one booking wins, got ${created.length}`);
  assert.equal(taken.length, 49);

  const q = new URLSearchParams({ from: slot.start, to: slot.end, provider: String(clinic.providers[0].id) });
  for (const base of [undefined, second.base]) {
    const list = expectStatus(await api('GET', `/api/v1/appointments?${q}`, undefined, coord, base ? { base } : {}), 200);
    assert.deepEqual(
      list.items.filter((a) => a.status === 'booked').map((a) => a.id),
      [created[0].body.id],
      'both servers see only the winner',
    );
  }
  await second.stop();
});

test('kill -9 during a booking load: every 201 survives the restart, the database and the audit chain check out', async (t) => {
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const { db, users } = await freshDatabase(bin, cleanups);

  let server = await startServer(bin, db);
  servers.push(server);
  const admin = await loginAt(server.base, users.admin.username, users.admin.password);
  const coord = await loginAt(server.base, users.coordinator.username, users.coordinator.password);
  const clinic = await createClinic({ base: server.base, token: admin, providers: 2, duration: 15 });
  const patients = [];
  for (let i = 0; i < 8; i++) {
    const res = await api(
      'POST',
      '/api/v1/patients',
      { given_name: `Load${'abcdefgh'[i]}`, family_name: `Kill${uid().replace(/\d/g, 'x')}`, birth_date: `19${70 + i}-01-0${1 + (i % 9)}`, confirm_new: true },
      coord,
      { base: server.base },
    );
    patients.push(expectStatus(res, 201, 'load patient').id);
  }
  const slots = await findSlots(coord, {
    type: clinic.type.id,
    location: clinic.location.id,
    to: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    limit: 500,
    base: server.base,
  });
  assert.equal(slots.length, 500, 'two providers around the clock give 500 slots within 6 days');

  // Fire bookings at distinct slots, 24 in flight; kill -9 once 80 have been confirmed.
  const confirmed = [];
  const failedAfterKill = [];
  const unexpected = [];
  let next = 0;
  let killed = false;
  const deadline = Date.now() + 30_000;
  const worker = async () => {
    while (next < slots.length && Date.now() < deadline) {
      const i = next++;
      const slot = slots[i];
      let res;
      try {
        res = await api('POST', '/api/v1/appointments', bookingBody(clinic, patients[i % patients.length], slot), coord, {
          base: server.base,
          timeoutMs: 10_000,
        });
      } catch (e) {
        if (!killed) unexpected.push(`${slot.start}: ${e.message}`);
        failedAfterKill.push(slot.start);
        if (killed) return;
        continue;
      }
      if (res.status === 201) confirmed.push({ id: res.body.id, start: res.body.start, provider_id: slot.provider_id });
      else unexpected.push(`${slot.start}: ${res.status} ${res.text}`);
      if (!killed && confirmed.length >= 80) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 24 }, worker));
  assert.ok(killed, `the load ended before the kill (${confirmed.length} confirmed)`);
  const exit = await server.exited;
  assert.equal(exit.signal, 'SIGKILL', 'the server died of kill -9');
  assert.deepEqual(unexpected, [], 'before the kill every booking of a distinct free slot succeeds');
  assert.ok(failedAfterKill.length > 0, 'some requests were in flight when the server was killed');
  t.diagnostic(`${confirmed.length} bookings confirmed, ${failedAfterKill.length} cut off by kill -9`);

  server = await startServer(bin, db);
  servers.push(server);
  const coord2 = await loginAt(server.base, users.coordinator.username, users.coordinator.password);
  const missing = [];
  for (const c of confirmed) {
    const res = await api('GET', `/api/v1/appointments/${c.id}`, undefined, coord2, { base: server.base });
    if (res.status !== 200 || res.body.status !== 'booked' || Date.parse(res.body.start) !== Date.parse(c.start)) {
      missing.push(`${c.id} at ${c.start}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  }
  assert.deepEqual(missing, [], `confirmed appointments lost or changed by kill -9 (${confirmed.length} confirmed)`);

  // No slot is held twice, and a confirmed slot is not offered again.
  const open = await findSlots(coord2, {
    type: clinic.type.id,
    location: clinic.location.id,
    to: new Date(Date.now() + 6 * 86_400_000).toISOString(),
    limit: 500,
    base: server.base,
  });
  const openKeys = new Set(open.map((s) => `${s.provider_id}@${Date.parse(s.start)}`));
  for (const c of confirmed) assert.ok(!openKeys.has(`${c.provider_id}@${Date.parse(c.start)}`), `confirmed slot ${c.start} is offered again`);
  for (const p of clinic.providers) {
    const q = new URLSearchParams({ from: slots[0].start, to: new Date(Date.now() + 7 * 86_400_000).toISOString(), provider: String(p.id) });
    const list = expectStatus(await api('GET', `/api/v1/appointments?${q}`, undefined, coord2, { base: server.base }), 200);
    const booked = list.items.filter((a) => a.status === 'booked').map((a) => Date.parse(a.start));
    assert.equal(new Set(booked).size, booked.length, `provider ${p.id} has a slot booked twice`);
  }

  if (backend() === 'sqlite') {
    const check = await run('sqlite3', [db, 'PRAGMA integrity_check;']);
    assert.equal(check.code, 0, `sqlite3 failed: ${check.stderr}`);
    assert.equal(check.stdout.trim(), 'ok', `PRAGMA integrity_check: ${check.stdout}`);
  }
  const verify = await run(bin, ['audit', 'verify', '--db', db]);
  assert.equal(verify.code, 0, `audit verify after kill -9 exited ${verify.code}:\n${verify.stdout}\n${verify.stderr}`);

  // The restarted server takes bookings again.
  const free = open[0];
  const again = await api('POST', '/api/v1/appointments', bookingBody(clinic, patients[0], free), coord2, { base: server.base });
  expectStatus(again, 201, 'booking after the restart');
  await server.stop();
});
