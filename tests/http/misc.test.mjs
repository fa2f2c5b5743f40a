// System endpoints and the uniform error shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, assertErrorShape, backend, createClinic, createPatient, expectStatus, login, slotsOnLocalDay, bookingBody } from './lib.mjs';

test('GET /api/openapi.json is an OpenAPI 3.x document of the whole API', async () => {
  const res = await api('GET', '/api/openapi.json');
  const doc = expectStatus(res, 200);
  assert.ok(doc && typeof doc === 'object', `not JSON: ${res.text.slice(0, 200)}`);
  assert.match(String(doc.openapi), /^3\.\d+\.\d+$/);
  assert.ok(doc.info?.title, 'info.title');
  for (const [path, method] of [
    ['/api/v1/session', 'post'],
    ['/api/v1/patients', 'post'],
    ['/api/v1/patients', 'get'],
    ['/api/v1/patients/{id}', 'get'],
    ['/api/v1/slots', 'get'],
    ['/api/v1/appointments', 'post'],
    ['/api/v1/appointments/{id}/cancel', 'post'],
    ['/api/v1/appointments/{id}/reschedule', 'post'],
    ['/api/v1/appointments/{id}/no-show', 'post'],
    ['/api/v1/appointments/{id}/check-in', 'post'],
    ['/api/v1/encounters/{id}/transition', 'post'],
    ['/api/v1/encounters/{id}/undo', 'post'],
    ['/api/v1/flow-board', 'get'],
    ['/api/v1/audit-events', 'get'],
    ['/api/v1/providers', 'get'],
    ['/api/v1/locations', 'get'],
    ['/api/v1/appointment-types', 'get'],
  ]) {
    assert.ok(doc.paths?.[path]?.[method], `openapi.json does not document ${method.toUpperCase()} ${path}`);
  }
});

test('/healthz answers 200 without a session', async () => {
  const res = await api('GET', '/healthz');
  expectStatus(res, 200);
});

test('/metrics is Prometheus text with caredesk_http_requests_total', async () => {
  await api('GET', '/healthz');
  const res = await api('GET', '/metrics');
  expectStatus(res, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
  assert.match(res.text, /^caredesk_http_requests_total\{[^}]*\} \d+/m, 'no caredesk_http_requests_total sample');
  assert.match(res.text, /# TYPE caredesk_http_requests_total counter/);
  // Audited reads' group commits: callers carried and the transactions that carried them.
  assert.match(res.text, /# TYPE caredesk_audit_read_commits_total counter/);
  const sample = (name) => Number(res.text.match(new RegExp(`^${name} (\\d+)`, 'm'))?.[1]);
  assert.ok(sample('caredesk_audit_read_callers_total') >= sample('caredesk_audit_read_commits_total'),
    'each commit carries at least one audited read');
  // The SQLite checkpointer's WAL restarts are a gauge there; PostgreSQL has no WAL of CareDesk's to restart.
  if (backend() === 'sqlite') {
    assert.match(res.text, /^caredesk_db_wal_restarts \d+/m, 'no caredesk_db_wal_restarts sample on SQLite');
  } else {
    assert.doesNotMatch(res.text, /caredesk_db_wal_restarts/);
  }
});

test('an unknown route is a 404 JSON error (and a wrong method a JSON error too)', async () => {
  const token = await login('coordinator');
  for (const path of ['/api/v1/no-such-thing', '/api/v2/patients', '/api/v1/patients/1/nonsense']) {
    const res = await api('GET', path, undefined, token);
    assert.equal(res.status, 404, `${path} -> ${res.status} ${res.text.slice(0, 200)}`);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    assertErrorShape(res);
  }
  // A known path with a method it does not have is a JSON error too.
  const wrongMethod = await api('DELETE', '/api/v1/patients', undefined, token);
  assert.ok([404, 405].includes(wrongMethod.status), `DELETE /api/v1/patients -> ${wrongMethod.status}`);
  assertErrorShape(wrongMethod);
});

test('every error body is {"error":{"code","message","field"}}', async () => {
  const coord = await login('coordinator');
  const clinic = await createClinic();
  const patient = await createPatient(coord);
  const [slot] = await slotsOnLocalDay(clinic, 1);
  const cases = [
    [401, await api('GET', '/api/v1/patients?q=x')],
    [401, await api('POST', '/api/v1/session', { username: 'nobody-here', password: 'wrong-password' })],
    [403, await api('GET', '/api/v1/audit-events', undefined, coord)],
    [404, await api('GET', '/api/v1/appointments/987654321', undefined, coord)],
    [400, await api('POST', '/api/v1/patients', '{"oops"', coord)],
    [400, await api('GET', '/api/v1/patients', undefined, coord)],
    [422, await api('POST', '/api/v1/appointments', bookingBody(clinic, 987654321, slot), coord)],
  ];
  expectStatus(await api('POST', '/api/v1/appointments', bookingBody(clinic, patient.id, slot), coord), 201);
  cases.push([409, await api('POST', '/api/v1/appointments', bookingBody(clinic, patient.id, slot), coord)]);
  for (const [status, res] of cases) {
    assert.equal(res.status, status, `${res.what}: ${res.text}`);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/, `${res.what} content type`);
    const err = assertErrorShape(res);
    assert.deepEqual(Object.keys(res.body).filter((k) => k !== 'candidates'), ['error'], `${res.what}: extra top-level keys`);
    assert.deepEqual(Object.keys(err).sort(), ['code', 'field', 'message'], `${res.what}: error keys`);
  }
});
