// Slot search: order and shape, first available across providers, exceptions, bookings.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  assertIsoInstant,
  book,
  createClinic,
  createPatient,
  expectError,
  expectStatus,
  findSlots,
  localDate,
  localIso,
  login,
  offsetText,
  slotsOnLocalDay,
} from './lib.mjs';

const byStartThenProvider = (a, b) => Date.parse(a.start) - Date.parse(b.start) || a.provider_id - b.provider_id;

test('slots come in time order with start, end, provider_id and location_id, as ISO 8601 with offset', async () => {
  const clinic = await createClinic({ duration: 30 });
  const token = await login('coordinator');
  const before = Date.now();
  const items = await findSlots(token, { type: clinic.type.id, location: clinic.location.id, limit: 60 });
  assert.equal(items.length, 60, 'a clinic open around the clock has 60 slots in three days');
  let prev = -Infinity;
  for (const s of items) {
    const start = assertIsoInstant(s.start, 'start');
    const end = assertIsoInstant(s.end, 'end');
    assert.ok(s.start.endsWith(offsetText(clinic.offsetHours)), `${s.start} is not in the location's zone (${clinic.location.time_zone})`);
    assert.equal(end - start, 30 * 60_000, `a 30-minute type gives 30-minute slots: ${s.start}..${s.end}`);
    assert.ok(start >= prev, `slots out of order: ${s.start} comes after an earlier item`);
    assert.ok(start >= before - 60_000, `a slot in the past is offered: ${s.start}`);
    assert.equal(s.provider_id, clinic.providers[0].id);
    assert.equal(s.location_id, clinic.location.id);
    prev = start;
  }
  // Limit and the query's required fields.
  assert.equal((await findSlots(token, { type: clinic.type.id, limit: 5 })).length, 5);
  expectError(await api('GET', `/api/v1/slots?from=${encodeURIComponent(new Date().toISOString())}`, undefined, token), 400, {
    field: 'appointment_type',
  });
  const q = new URLSearchParams({ appointment_type: clinic.type.id, from: 'tomorrow', to: new Date().toISOString() });
  expectError(await api('GET', `/api/v1/slots?${q}`, undefined, token), 400, { field: 'from' });
});

test('first available across providers: the earliest slot of either provider comes first', async () => {
  const clinic = await createClinic({ providers: 2 });
  const [a, b] = clinic.providers;
  const patient = await createPatient();
  // Book provider A's first two slots so that B is the earliest available.
  const aSlots = await findSlots(await login('coordinator'), { type: clinic.type.id, provider: a.id, limit: 2 });
  for (const s of aSlots) await book(clinic, patient.id, s);

  const token = await login('coordinator');
  const perA = await findSlots(token, { type: clinic.type.id, provider: a.id, limit: 10 });
  const perB = await findSlots(token, { type: clinic.type.id, provider: b.id, limit: 10 });
  const both = await findSlots(token, { type: clinic.type.id, location: clinic.location.id, limit: 10 });
  assert.ok(Date.parse(perB[0].start) < Date.parse(perA[0].start), 'provider B is free earlier than A');
  assert.equal(both[0].provider_id, b.id, 'the first available slot is with provider B');
  assert.equal(both[0].start, perB[0].start);
  const expected = [...perA, ...perB].sort(byStartThenProvider).slice(0, 10);
  assert.deepEqual(
    both.map((s) => [s.start, s.provider_id]),
    expected.map((s) => [s.start, s.provider_id]),
    'the combined search is the time-ordered merge of both providers',
  );
  assert.ok(both.some((s) => s.provider_id === a.id), 'provider A appears once free');
});

test('a holiday exception removes the whole day', async () => {
  const clinic = await createClinic();
  const admin = await login('admin');
  const dayAfter = localDate(clinic.offsetHours, 2);
  const before = await slotsOnLocalDay(clinic, 2);
  assert.equal(before.length, 48, `a 24-hour day has 48 half-hour slots on ${dayAfter}`);
  expectStatus(
    await api(
      'POST',
      '/api/v1/exceptions',
      { location_id: clinic.location.id, provider_id: null, kind: 'holiday', start_date: dayAfter, end_date: dayAfter, reason: 'Test holiday' },
      admin,
    ),
    201,
    'holiday',
  );
  assert.deepEqual(await slotsOnLocalDay(clinic, 2), [], `slots remain on the holiday ${dayAfter}`);
  assert.equal((await slotsOnLocalDay(clinic, 3)).length, 48, 'the day after the holiday is untouched');
  // A search across the holiday jumps from the day before to the day after.
  const token = await login('coordinator');
  const across = await findSlots(token, {
    type: clinic.type.id,
    provider: clinic.providers[0].id,
    from: localIso(localDate(clinic.offsetHours, 1), '23:00', clinic.offsetHours),
    to: localIso(localDate(clinic.offsetHours, 4), '00:00', clinic.offsetHours),
    limit: 3,
  });
  assert.deepEqual(
    across.map((s) => s.start),
    [
      localIso(localDate(clinic.offsetHours, 1), '23:00', clinic.offsetHours),
      localIso(localDate(clinic.offsetHours, 1), '23:30', clinic.offsetHours),
      localIso(localDate(clinic.offsetHours, 3), '00:00', clinic.offsetHours),
    ],
  );
});

test('a booked slot disappears from the results', async () => {
  const clinic = await createClinic();
  const patient = await createPatient();
  const before = await slotsOnLocalDay(clinic, 1);
  const target = before[5];
  await book(clinic, patient.id, target);
  const after = await slotsOnLocalDay(clinic, 1);
  assert.equal(after.length, before.length - 1);
  assert.ok(!after.some((s) => s.start === target.start), `${target.start} is still offered after booking`);
  assert.deepEqual(
    after.map((s) => s.start),
    before.filter((s) => s.start !== target.start).map((s) => s.start),
  );
});
