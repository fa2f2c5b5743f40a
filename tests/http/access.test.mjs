// Third next available appointment over HTTP: taking a reading, the latest readings per type and provider, the
// metric and its records, validation and roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, book, createClinic, createPatient, expectError, expectStatus, localDate, localIso, login } from './lib.mjs';

test('a reading counts the local days to each type and provider’s third open slot', async () => {
  // Two providers working 06:00–07:00 every day, where it is now about 10:00: today's slots have passed.
  const clinic = await createClinic({ providers: 2, hours: ['06:00', '07:00'] });
  const k = clinic.offsetHours;
  const [first, second] = clinic.providers;
  const coord = await login('coordinator');
  const patient = await createPatient(coord);
  // Tomorrow's two slots with the first provider are booked: its third open slot moves a day on.
  for (const hhmm of ['06:00', '06:30']) {
    await book(clinic, patient.id, { provider_id: first.id, location_id: clinic.location.id, start: localIso(localDate(k, 1), hhmm, k) }, coord);
  }
  const manager = await login('manager');
  const none = expectStatus(await api('GET', `/api/v1/access/third-next-available?location_id=${clinic.location.id}`, undefined, manager), 200);
  assert.equal(none.snapshot_date, null, 'no reading before the first');
  assert.deepEqual(none.items, []);

  const taken = expectStatus(await api('POST', '/api/v1/access/third-next-available/readings', { location_id: clinic.location.id }, manager), 200);
  assert.deepEqual(taken, { locations: 1, days: 1, readings: 2 });
  const now = expectStatus(await api('GET', `/api/v1/access/third-next-available?location_id=${clinic.location.id}`, undefined, manager), 200);
  assert.equal(now.snapshot_date, localDate(k, 0));
  assert.equal(now.horizon_days, 90);
  assert.equal(now.items.length, 2);
  const [worst, best] = now.items;
  assert.equal(worst.provider_id, first.id, 'worst first');
  assert.equal(worst.days, 3);
  assert.equal(Date.parse(worst.third_at), Date.parse(localIso(localDate(k, 3), '06:00', k)));
  assert.equal(worst.appointment_type_id, clinic.type.id);
  assert.equal(worst.appointment_type_name, clinic.type.name);
  assert.equal(worst.censored, false);
  assert.equal(best.provider_id, second.id);
  assert.equal(best.days, 2);
  assert.equal(Date.parse(best.third_at), Date.parse(localIso(localDate(k, 2), '06:00', k)));
  assert.equal(now.mean_days, 2.5);

  // Filters.
  const one = expectStatus(await api('GET', `/api/v1/access/third-next-available?location_id=${clinic.location.id}&provider_id=${second.id}`, undefined, manager), 200);
  assert.deepEqual(one.items.map((r) => r.provider_id), [second.id]);
  const dept = expectStatus(await api('GET', `/api/v1/access/third-next-available?location_id=${clinic.location.id}&department=Cardiology`, undefined, manager), 200);
  assert.deepEqual(dept.items, []);
  assert.equal(dept.snapshot_date, localDate(k, 0), 'the day is named even when nothing matches');

  // The metric is the day's mean; its records are the readings.
  const today = localDate(k, 0);
  const metric = expectStatus(
    await api('GET', `/api/v1/metrics/third_next_available_days?location_id=${clinic.location.id}&interval=day&from=${today}&to=${today}&appointment_type_id=${clinic.type.id}`, undefined, manager),
    200,
  );
  assert.equal(metric.metric.series.length, 1);
  assert.equal(metric.metric.series[0].numerator, 5);
  assert.equal(metric.metric.series[0].denominator, 2);
  assert.equal(metric.metric.series[0].value, 2.5);
  const records = expectStatus(
    await api('GET', `/api/v1/metrics/third_next_available_days/records?location_id=${clinic.location.id}&interval=day&period_start=${today}`, undefined, manager),
    200,
  );
  assert.equal(records.kind, 'access');
  assert.equal(records.total, 2);
  assert.deepEqual(records.items.map((r) => r.value).sort(), [2, 3]);
  assert.equal(records.items[0].patient_id, null);

  // Reading again the same day replaces the day's readings.
  expectStatus(await api('POST', '/api/v1/access/third-next-available/readings', { location_id: clinic.location.id }, manager), 200);
  const again = expectStatus(await api('GET', `/api/v1/metrics/third_next_available_days/records?location_id=${clinic.location.id}&interval=day&period_start=${today}`, undefined, manager), 200);
  assert.equal(again.total, 2);
});

test('bad access queries name the field, write nothing, and only managers take or see readings', async () => {
  const manager = await login('manager');
  expectError(await api('GET', '/api/v1/access/third-next-available', undefined, manager), 400, { field: 'location_id' });
  expectError(await api('GET', '/api/v1/access/third-next-available?location_id=abc', undefined, manager), 400, { field: 'location_id' });
  expectError(await api('GET', '/api/v1/access/third-next-available?location_id=99999999', undefined, manager), 400, { field: 'location_id' });
  expectError(await api('GET', '/api/v1/access/third-next-available?location_id=1&appointment_type_id=x', undefined, manager), 400, { field: 'appointment_type_id' });
  expectError(await api('POST', '/api/v1/access/third-next-available/readings', { location_id: 'one' }, manager), 400, { field: 'location_id' });
  expectError(await api('POST', '/api/v1/access/third-next-available/readings', { location_id: 99999999 }, manager), 400, { field: 'location_id' });
  expectError(await api('POST', '/api/v1/access/third-next-available/readings', '{"location_id":', manager), 400);
  const coord = await login('coordinator');
  expectError(await api('GET', '/api/v1/access/third-next-available?location_id=1', undefined, coord), 403);
  expectError(await api('POST', '/api/v1/access/third-next-available/readings', {}, coord), 403);
  expectError(await api('GET', '/api/v1/access/third-next-available?location_id=1'), 401);
});
