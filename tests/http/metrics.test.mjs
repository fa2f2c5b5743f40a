// Service metrics with SPC charts over HTTP: definitions, the dashboard, one metric, validation, roles.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectError, expectStatus, login, uid } from './lib.mjs';

test('the metrics come with their definitions', async () => {
  const manager = await login('manager');
  const list = expectStatus(await api('GET', '/api/v1/metrics', undefined, manager), 200);
  const keys = list.items.map((m) => m.key);
  for (const k of ['no_show_rate', 'cancellation_rate', 'lead_time_days', 'arrival_to_provider_minutes',
    'cycle_time_minutes', 'lwbs_rate', 'complaints_per_1000_visits', 'acknowledge_hours', 'resolve_days', 'survey_response_rate',
    'top_box_rate', 'nps']) {
    assert.ok(keys.includes(k), k);
  }
  for (const m of list.items) assert.ok(m.definition.length > 40, `${m.key} has a definition`);
});

test('the dashboard of a new location has every metric over 26 weeks, with gaps and no invented values', async () => {
  const admin = await login('admin');
  const loc = expectStatus(await api('POST', '/api/v1/locations', { name: `Metrics ${uid()}`, time_zone: 'America/Chicago' }, admin), 201);
  const coord = await login('coordinator');
  expectStatus(await api('POST', '/api/v1/cases', { channel: 'phone', category: 'wait_times', description: 'Waited too long', location_id: loc.id }, coord), 201);
  const manager = await login('manager');
  const dash = expectStatus(await api('GET', `/api/v1/metrics/dashboard?location_id=${loc.id}&interval=week`, undefined, manager), 200);
  assert.equal(dash.interval, 'week');
  assert.equal(dash.location_id, loc.id);
  assert.equal(dash.metrics.length, 12);
  for (const m of dash.metrics) {
    assert.ok(m.series.length >= 26 && m.series.length <= 27, `${m.key}: ${m.series.length} weeks`);
    assert.equal(new Date(`${m.series[0].start}T12:00:00Z`).getUTCDay(), 1, 'weeks start on Monday');
  }
  const complaints = dash.metrics.find((m) => m.key === 'complaints_per_1000_visits');
  assert.equal(complaints.series.at(-1).numerator, 1, 'the complaint counts this week');
  assert.equal(complaints.series.at(-1).value, null, 'but with no visits there is no rate');
  const one = expectStatus(await api('GET', `/api/v1/metrics/no_show_rate?location_id=${loc.id}&interval=month&from=2026-01-01&to=2026-06-30`, undefined, manager), 200);
  assert.equal(one.metric.key, 'no_show_rate');
  assert.deepEqual(one.metric.series.map((p) => p.start), ['2026-01-01', '2026-02-01', '2026-03-01', '2026-04-01', '2026-05-01', '2026-06-01']);
});

test('bad metric queries name the field, and only managers see metrics', async () => {
  const manager = await login('manager');
  expectError(await api('GET', '/api/v1/metrics/dashboard?interval=year', undefined, manager), 400, { field: 'interval' });
  expectError(await api('GET', '/api/v1/metrics/dashboard?from=2026-02-30', undefined, manager), 400, { field: 'from' });
  expectError(await api('GET', '/api/v1/metrics/dashboard?from=2026-05-01&to=2026-04-01', undefined, manager), 400, { field: 'to' });
  expectError(await api('GET', '/api/v1/metrics/dashboard?from=2020-01-01&to=2026-01-01', undefined, manager), 400, { field: 'to' });
  expectError(await api('GET', '/api/v1/metrics/dashboard?location_id=99999999', undefined, manager), 400, { field: 'location_id' });
  expectError(await api('GET', '/api/v1/metrics/happiness', undefined, manager), 400, { field: 'key' });
  expectError(await api('GET', '/api/v1/metrics/dashboard', undefined, await login('coordinator')), 403);
});

test('the dashboard exports as an XLSX workbook with a summary and a sheet per metric', async () => {
  const manager = await login('manager');
  const res = await fetch(`${process.env.BASE_URL}/api/v1/metrics/dashboard.xlsx?interval=month&from=2026-01-01&to=2026-06-30`, {
    headers: { authorization: `Bearer ${manager}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  assert.match(res.headers.get('content-disposition'), /attachment; filename="caredesk-metrics-2026-01-01-to-2026-06-30\.xlsx"/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'a zip container');
  // The sheet names sit uncompressed in the zip's directory of members; the workbook names them in xl/workbook.xml.
  assert.ok(bytes.includes(Buffer.from('xl/worksheets/sheet13.xml')), 'a summary sheet and one per metric (12)');
  expectError(await api('GET', '/api/v1/metrics/dashboard.xlsx?interval=year', undefined, manager), 400, { field: 'interval' });
  expectError(await api('GET', '/api/v1/metrics/dashboard.xlsx', undefined, await login('coordinator')), 403);
});

test('a point of a chart opens onto its records, at one location, by the start of its period', async () => {
  const admin = await login('admin');
  const loc = expectStatus(await api('POST', '/api/v1/locations', { name: `Drill ${uid()}`, time_zone: 'America/Chicago' }, admin), 201);
  const coord = await login('coordinator');
  const c = expectStatus(await api('POST', '/api/v1/cases', { channel: 'phone', category: 'wait_times', description: 'Waited two hours', location_id: loc.id }, coord), 201);
  const manager = await login('manager');
  const week = (() => {
    const d = new Date(`${c.received_at.slice(0, 10)}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
    return d.toISOString().slice(0, 10);
  })();
  const r = expectStatus(await api('GET', `/api/v1/metrics/complaints_per_1000_visits/records?location_id=${loc.id}&interval=week&period_start=${week}`, undefined, manager), 200);
  assert.equal(r.kind, 'case');
  assert.equal(r.total, 1);
  assert.equal(r.items[0].id, c.id);
  assert.equal(r.items[0].link, `/cases/${c.id}`);
  assert.equal(r.items[0].in_numerator, true);
  const empty = expectStatus(await api('GET', `/api/v1/metrics/no_show_rate/records?location_id=${loc.id}&interval=week&period_start=${week}`, undefined, manager), 200);
  assert.equal(empty.total, 0);
  expectError(await api('GET', `/api/v1/metrics/no_show_rate/records?interval=week&period_start=${week}`, undefined, manager), 400, { field: 'location_id' });
  expectError(await api('GET', `/api/v1/metrics/no_show_rate/records?location_id=${loc.id}&interval=month&period_start=2026-03-02`, undefined, manager), 400, { field: 'period_start' });
  expectError(await api('GET', `/api/v1/metrics/no_show_rate/records?location_id=${loc.id}&interval=week`, undefined, manager), 400, { field: 'period_start' });
  expectError(await api('GET', `/api/v1/metrics/no_show_rate/records?location_id=${loc.id}&interval=week&period_start=${week}`, undefined, coord), 403);
});
