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
    'top_box_rate', 'nps', 'utilisation', 'deadlines_met_rate', 'third_next_available_days']) {
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
  assert.equal(dash.metrics.length, 15);
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

test('utilisation offers the template time of each whole past day, and deadlines met are a share of those due', async () => {
  const { createClinic } = await import('./lib.mjs');
  const clinic = await createClinic({ providers: 2, hours: ['08:00', '12:00'] });
  const manager = await login('manager');
  const tz = clinic.location.time_zone;
  const day = (offset) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('en-CA', { timeZone: tz });
  const from = day(-3);
  const to = day(0);
  const utilisation = async (query) =>
    expectStatus(await api('GET', `/api/v1/metrics/utilisation?location_id=${clinic.location.id}&interval=day&${query}`, undefined, manager), 200).metric;
  // Before the clinic's first appointment CareDesk was not in use there: no template time, no value.
  let u = await utilisation(`from=${from}&to=${to}`);
  assert.ok(u.series.every((p) => p.denominator === 0 && p.value === null), JSON.stringify(u.series));
  // A booking today starts the clinic's history; today is not over, so it has no template time yet.
  const { book, createPatient, slotsOnLocalDay } = await import('./lib.mjs');
  const patient = await createPatient(await login('coordinator'));
  const slots = await slotsOnLocalDay(clinic, 0);
  if (slots.length > 0) {
    await book(clinic, patient.id, slots[0]);
    u = await utilisation(`from=${from}&to=${to}`);
    assert.equal(u.series.at(-1).denominator, 0, 'today is not over');
    assert.equal(u.series.at(-1).value, null);
  }

  // A complaint received ten days ago and never acknowledged: its acknowledgement deadline has passed.
  const coord = await login('coordinator');
  expectStatus(await api('POST', '/api/v1/cases', {
    channel: 'letter', category: 'communication', severity: 'medium', description: `Nobody called ${uid()}`, location_id: clinic.location.id,
    contact_name: 'Alex Example', contact_preference: 'phone', contact_phone: '555-0100',
    received_at: new Date(Date.now() - 10 * 86_400_000).toISOString(),
  }, coord), 201);
  const d = expectStatus(
    await api('GET', `/api/v1/metrics/deadlines_met_rate?location_id=${clinic.location.id}&interval=month&from=${day(-40)}&to=${to}`, undefined, manager),
    200,
  ).metric;
  const total = d.series.reduce((a, p) => ({ n: a.n + p.numerator, d: a.d + p.denominator }), { n: 0, d: 0 });
  assert.ok(total.d >= 1, 'a deadline has fallen due');
  assert.equal(total.n, 0, 'and none was met');
});

test('a department narrows the dashboard and is validated', async () => {
  const manager = await login('manager');
  const dash = expectStatus(await api('GET', '/api/v1/metrics/dashboard?interval=month&department=Family%20medicine', undefined, manager), 200);
  assert.equal(dash.department, 'Family medicine');
  assert.equal(dash.metrics.length, 15);
  const all = expectStatus(await api('GET', '/api/v1/metrics/dashboard?interval=month', undefined, manager), 200);
  assert.equal(all.department, null);
  const none = expectStatus(await api('GET', `/api/v1/metrics/dashboard?interval=month&department=${uid()}`, undefined, manager), 200);
  for (const m of none.metrics) {
    if (m.key === 'complaints_per_1000_visits') continue;  // visits of no department: no rate either
    assert.ok(m.series.every((p) => p.denominator === 0), `${m.key}: a department nobody works in has no data`);
  }
  expectError(await api('GET', `/api/v1/metrics/dashboard?department=${'x'.repeat(101)}`, undefined, manager), 400, { field: 'department' });
});
