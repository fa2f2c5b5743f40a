// Improvement projects and their PDSA cycles over HTTP: writes by managers, reads for analytics, field errors,
// and the projects carried on the metric's chart.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectError, expectStatus, login, uid } from './lib.mjs';

async function newLocation() {
  const admin = await login('admin');
  return expectStatus(await api('POST', '/api/v1/locations', { name: `Improve ${uid()}`, time_zone: 'America/Denver' }, admin), 201);
}

const body = (loc, over = {}) => ({
  title: 'Fewer no-shows', aim: 'From 12% to 8% by June', metric_key: 'no_show_rate', location_id: loc.id,
  owner: 'Maria', start_date: '2026-01-05', end_date: null, target: 8, status: 'active', ...over,
});

test('a manager starts a project, adds PDSA cycles, and the metric chart carries them', async () => {
  const loc = await newLocation();
  const manager = await login('manager');
  const p = expectStatus(await api('POST', '/api/v1/improvement-projects', body(loc), manager), 201);
  assert.equal(p.metric_name, 'No-show rate');
  assert.equal(p.location_name, loc.name);
  assert.equal(p.end_date, null);
  assert.equal(p.target, 8);
  let after = expectStatus(await api('POST', `/api/v1/improvement-projects/${p.id}/cycles`, { title: 'Text reminders', plan: 'Two days before', start_date: '2026-02-02', end_date: '2026-02-27' }, manager), 201);
  after = expectStatus(await api('POST', `/api/v1/improvement-projects/${p.id}/cycles`, { title: 'Calls', start_date: '2026-01-12' }, manager), 201);
  assert.deepEqual(after.cycles.map((c) => c.title), ['Calls', 'Text reminders']);
  const cid = after.cycles[0].id;
  after = expectStatus(await api('PUT', `/api/v1/improvement-projects/${p.id}/cycles/${cid}`, { title: 'Calls', study: 'Little change', start_date: '2026-01-12', end_date: '2026-01-30' }, manager), 200);
  assert.equal(after.cycles[0].study, 'Little change');
  const metric = expectStatus(await api('GET', `/api/v1/metrics/no_show_rate?location_id=${loc.id}&interval=week&from=2026-01-01&to=2026-03-31`, undefined, manager), 200).metric;
  assert.equal(metric.projects.length, 1);
  assert.equal(metric.projects[0].id, p.id);
  assert.deepEqual(metric.projects[0].cycles.map((c) => c.start_date), ['2026-01-12', '2026-02-02']);
  const dash = expectStatus(await api('GET', `/api/v1/metrics/dashboard?location_id=${loc.id}&interval=week&from=2026-01-01&to=2026-03-31`, undefined, manager), 200);
  assert.equal(dash.metrics.find((m) => m.key === 'no_show_rate').projects.length, 1);
  assert.equal(dash.metrics.find((m) => m.key === 'lwbs_rate').projects.length, 0);
  const earlier = expectStatus(await api('GET', `/api/v1/metrics/no_show_rate?location_id=${loc.id}&interval=week&from=2025-01-01&to=2025-06-30`, undefined, manager), 200).metric;
  assert.equal(earlier.projects.length, 0, 'a period before the project shows none');
  expectStatus(await api('DELETE', `/api/v1/improvement-projects/${p.id}/cycles/${cid}`, undefined, manager), 200);
  expectError(await api('DELETE', `/api/v1/improvement-projects/${p.id}/cycles/${cid}`, undefined, manager), 404);
  const list = expectStatus(await api('GET', `/api/v1/improvement-projects?location_id=${loc.id}`, undefined, manager), 200);
  assert.equal(list.items.length, 1);
  assert.equal(list.items[0].cycles.length, 1);
  const done = expectStatus(await api('PUT', `/api/v1/improvement-projects/${p.id}`, body(loc, { status: 'completed', end_date: '2026-03-31' }), manager), 200);
  assert.equal(done.status, 'completed');
});

test('bad project input names the field and writes nothing; roles are enforced', async () => {
  const loc = await newLocation();
  const manager = await login('manager');
  const cases = [
    [{ title: '' }, 'title'], [{ aim: ' ' }, 'aim'], [{ metric_key: 'happiness' }, 'metric_key'],
    [{ location_id: 99999999 }, 'location_id'], [{ start_date: '2026-02-30' }, 'start_date'],
    [{ end_date: '2025-12-31' }, 'end_date'], [{ status: 'paused' }, 'status'], [{ target: 'high' }, 'target'],
  ];
  for (const [over, field] of cases) {
    expectError(await api('POST', '/api/v1/improvement-projects', body(loc, over), manager), 400, { field });
  }
  const list = expectStatus(await api('GET', `/api/v1/improvement-projects?location_id=${loc.id}`, undefined, manager), 200);
  assert.equal(list.items.length, 0);
  const p = expectStatus(await api('POST', '/api/v1/improvement-projects', body(loc, { end_date: '2026-03-31' }), manager), 201);
  expectError(await api('POST', `/api/v1/improvement-projects/${p.id}/cycles`, { title: 'Late', start_date: '2026-04-01' }, manager), 400, { field: 'start_date' });
  expectError(await api('POST', `/api/v1/improvement-projects/${p.id}/cycles`, { start_date: '2026-02-01' }, manager), 400, { field: 'title' });
  expectError(await api('GET', '/api/v1/improvement-projects/99999999', undefined, manager), 404);
  const coord = await login('coordinator');
  expectError(await api('GET', '/api/v1/improvement-projects', undefined, coord), 403);
  expectError(await api('POST', '/api/v1/improvement-projects', body(loc), coord), 403);
  expectError(await api('GET', '/api/v1/improvement-projects'), 401);
  const admin = await login('admin');
  expectStatus(await api('POST', `/api/v1/improvement-projects/${p.id}/cycles`, { title: 'Admin cycle', start_date: '2026-02-01' }, admin), 201);
});
