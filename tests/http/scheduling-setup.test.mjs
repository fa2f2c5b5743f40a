// Scheduling set-up by an admin: locations, rooms, providers, appointment types, templates,
// exceptions, and the lists everyone signed in reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, createClinic, expectError, expectStatus, login, uid } from './lib.mjs';

test('an admin creates a location; an invalid time zone is refused naming time_zone', async () => {
  const admin = await login('admin');
  const name = `Setup clinic ${uid()}`;
  const loc = expectStatus(
    await api('POST', '/api/v1/locations', { name, time_zone: 'America/Denver', address: '5 Main St', phone: '5550001111' }, admin),
    201,
  );
  assert.equal(typeof loc.id, 'number');
  assert.equal(loc.name, name);
  assert.equal(loc.time_zone, 'America/Denver');
  const got = expectStatus(await api('GET', `/api/v1/locations/${loc.id}`, undefined, admin), 200);
  assert.equal(got.time_zone, 'America/Denver');

  for (const tz of ['Mars/Olympus_Mons', 'EST5EDT+garbage', '']) {
    const badName = `Bad zone ${uid()}`;
    expectError(await api('POST', '/api/v1/locations', { name: badName, time_zone: tz }, admin), [400, 422], { field: 'time_zone' });
    const list = expectStatus(await api('GET', '/api/v1/locations', undefined, admin), 200);
    assert.ok(!list.items.some((l) => l.name === badName), `the location with time zone "${tz}" was written`);
  }
  expectError(await api('PUT', `/api/v1/locations/${loc.id}`, { time_zone: 'Nowhere/Special' }, admin), [400, 422], { field: 'time_zone' });
  expectError(await api('GET', '/api/v1/locations/987654321', undefined, admin), 404);
});

test('an admin creates a room, a provider, an appointment type, a template and an exception', async () => {
  const admin = await login('admin');
  const tag = uid();
  const loc = expectStatus(await api('POST', '/api/v1/locations', { name: `Setup ${tag}`, time_zone: 'Europe/Lisbon' }, admin), 201);

  const room = expectStatus(await api('POST', '/api/v1/rooms', { location_id: loc.id, name: `Exam ${tag}` }, admin), 201, 'room');
  assert.equal(room.location_id, loc.id);
  assert.equal(room.name, `Exam ${tag}`);
  const rooms = expectStatus(await api('GET', `/api/v1/rooms?location=${loc.id}`, undefined, admin), 200);
  assert.deepEqual(rooms.items.map((r) => r.id), [room.id]);

  const provider = expectStatus(
    await api('POST', '/api/v1/providers', { name: `Dr Setup ${tag}`, specialty: 'Cardiology', location_ids: [loc.id] }, admin),
    201,
    'provider',
  );
  assert.deepEqual(provider.location_ids, [loc.id]);
  assert.equal(provider.specialty, 'Cardiology');

  const type = expectStatus(
    await api(
      'POST',
      '/api/v1/appointment-types',
      { name: `Consult ${tag}`, duration_minutes: 45, modality: 'in_person', provider_ids: [provider.id] },
      admin,
    ),
    201,
    'appointment type',
  );
  assert.equal(type.duration_minutes, 45);
  assert.deepEqual(type.provider_ids, [provider.id]);
  expectError(
    await api('POST', '/api/v1/appointment-types', { name: `Odd ${tag}`, duration_minutes: 7, modality: 'in_person' }, admin),
    400,
    { field: 'duration_minutes' },
  );

  const tmpl = expectStatus(
    await api(
      'POST',
      '/api/v1/templates',
      { provider_id: provider.id, location_id: loc.id, room_id: room.id, weekday: 1, start: '08:30', end: '12:00' },
      admin,
    ),
    201,
    'template',
  );
  assert.equal(tmpl.weekday, 1);
  assert.equal(tmpl.start, '08:30');
  assert.equal(tmpl.end, '12:00');
  const templates = expectStatus(await api('GET', `/api/v1/templates?provider=${provider.id}`, undefined, admin), 200);
  assert.deepEqual(templates.items.map((t) => t.id), [tmpl.id]);
  expectError(
    await api('POST', '/api/v1/templates', { provider_id: provider.id, location_id: loc.id, weekday: 9, start: '08:00', end: '09:00' }, admin),
    400,
    { field: 'weekday' },
  );
  expectError(
    await api('POST', '/api/v1/templates', { provider_id: provider.id, location_id: loc.id, weekday: 2, start: '8am', end: '09:00' }, admin),
    400,
    { field: 'start' },
  );
  // Fields are named as the API names them, also for checks made past the decoding.
  expectError(
    await api('POST', '/api/v1/templates', { provider_id: provider.id, location_id: loc.id, weekday: 2, start: '08:03', end: '09:00' }, admin),
    400,
    { field: 'start' },
  );
  expectError(
    await api('POST', '/api/v1/templates', { provider_id: provider.id, location_id: loc.id, weekday: 2, start: '10:00', end: '09:00' }, admin),
    [400, 422],
    { field: 'end' },
  );

  const exc = expectStatus(
    await api(
      'POST',
      '/api/v1/exceptions',
      { provider_id: provider.id, location_id: loc.id, kind: 'leave', start_date: '2030-07-01', end_date: '2030-07-14', reason: 'Vacation' },
      admin,
    ),
    201,
    'exception',
  );
  assert.equal(exc.kind, 'leave');
  assert.equal(exc.start_date, '2030-07-01');
  assert.equal(exc.end_date, '2030-07-14');
  const excs = expectStatus(await api('GET', `/api/v1/exceptions?provider=${provider.id}`, undefined, admin), 200);
  assert.ok(excs.items.some((e) => e.id === exc.id));
  expectError(
    await api('POST', '/api/v1/exceptions', { location_id: loc.id, kind: 'holiday', start_date: '2030-02-30' }, admin),
    400,
    { field: 'start_date' },
  );
  expectStatus(await api('DELETE', `/api/v1/exceptions/${exc.id}`, undefined, admin), 204, 'delete exception');
  expectStatus(await api('DELETE', `/api/v1/templates/${tmpl.id}`, undefined, admin), 204, 'delete template');
  expectError(await api('DELETE', `/api/v1/templates/${tmpl.id}`, undefined, admin), 404);
});

test('providers, locations and appointment types are listed as {"items":[{"id","name",…}]} to every role', async () => {
  const clinic = await createClinic({ providers: 2 });
  for (const role of ['coordinator', 'clinician', 'auditor']) {
    const token = await login(role);
    for (const [path, mine] of [
      ['/api/v1/providers', clinic.providers],
      ['/api/v1/locations', [clinic.location]],
      ['/api/v1/appointment-types', [clinic.type]],
    ]) {
      const body = expectStatus(await api('GET', path, undefined, token), 200, `${role} lists ${path}`);
      assert.ok(Array.isArray(body.items), `${path} lacks items`);
      for (const item of body.items) {
        assert.equal(typeof item.id, 'number', `${path} item without a numeric id`);
        assert.equal(typeof item.name, 'string', `${path} item without a name`);
      }
      for (const m of mine) {
        const listed = body.items.find((i) => i.id === m.id);
        assert.ok(listed, `${path} misses ${m.name}`);
        assert.equal(listed.name, m.name);
      }
    }
  }
});
