// Alerts for new special causes on the metric charts, over HTTP: a real signal found by a scan and emailed
// (through the SMTP sink) to the manager who subscribed, once; validation that names the field and writes
// nothing; permissions.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, decodeQuotedPrintable, expectError, expectStatus, login, mailTo, sleep, uid } from './lib.mjs';

const DAY_MS = 86_400_000;

async function location(tz = 'America/New_York') {
  const admin = await login('admin');
  return expectStatus(await api('POST', '/api/v1/locations', { name: `Alerts ${uid()}`, time_zone: tz }, admin), 201);
}


/** The Monday (YYYY-MM-DD) of the week holding `ms` in New York. */
function mondayInNewYork(ms) {
  const local = new Date(new Date(ms).toLocaleString('en-US', { timeZone: 'America/New_York' }));
  const dow = (local.getDay() + 6) % 7;
  local.setDate(local.getDate() - dow);
  const p = (n) => String(n).padStart(2, '0');
  return `${local.getFullYear()}-${p(local.getMonth() + 1)}-${p(local.getDate())}`;
}

test('a new special cause is found, listed and emailed once to the subscriber of its location', async () => {
  const loc = await location();
  const manager = await login('manager');
  const coord = await login('coordinator');
  const email = `alerts-${uid()}@clinic.example`.toLowerCase();
  const sub = expectStatus(
    await api('POST', '/api/v1/metrics/alert-subscriptions', { location_id: loc.id, metric_key: 'acknowledge_hours', email }, manager),
    201,
  );
  assert.equal(sub.location_name, loc.name);
  assert.equal(sub.metric_name, 'Time to acknowledge');

  // One complaint received each of the last 8 weeks, all acknowledged now: the time to acknowledge falls
  // week by week, so the last complete week is far below the others — a special cause, an improvement.
  const now = Date.now();
  for (let k = 8; k >= 1; --k) {
    const received = new Date(now - k * 7 * DAY_MS).toISOString();
    const c = expectStatus(
      await api('POST', '/api/v1/cases', {
        channel: 'letter', category: 'communication', severity: 'medium', description: `Week ${k}: nobody called back ${uid()}`,
        location_id: loc.id, contact_name: 'Alex Example', contact_preference: 'phone', contact_phone: '555-0100', received_at: received,
      }, coord),
      201,
    );
    expectStatus(await api('POST', `/api/v1/cases/${c.id}/status`, { status: 'acknowledged', note: 'Called back' }, coord), 200);
  }
  const report = expectStatus(await api('POST', '/api/v1/metrics/alerts/scan', {}, manager), 200);
  assert.ok(report.locations >= 1 && report.charts >= 24, JSON.stringify(report));
  assert.ok(report.new_alerts >= 1, JSON.stringify(report));

  const list = expectStatus(await api('GET', `/api/v1/metrics/alerts?location_id=${loc.id}&metric_key=acknowledge_hours`, undefined, manager), 200);
  assert.equal(list.total, 1, JSON.stringify(list));
  const a = list.items[0];
  assert.equal(a.interval, 'week');
  assert.equal(a.first_period_start, mondayInNewYork(now - 7 * DAY_MS), 'the last complete week');
  assert.equal(a.point_type, 'special_cause_improvement');
  assert.ok(['Below LCL', '7 Point Trend (Decreasing)'].includes(a.special_cause), a.special_cause);
  assert.equal(a.improvement, 'decrease');
  assert.equal(a.location_name, loc.name);
  assert.ok(a.value < a.centre, JSON.stringify(a));
  assert.equal(a.acknowledged_at, null);

  const mail = await mailTo(email);
  assert.equal(mail.length, 1, 'one email');
  const body = decodeQuotedPrintable(mail[0].data);
  assert.match(body, new RegExp(`Time to acknowledge at ${loc.name}, week of ${a.first_period_start}`));
  assert.match(body, new RegExp(`/dashboard/acknowledge_hours\\?location=${loc.id}&interval=week&point=${a.first_period_start}`));

  // Scanning again changes nothing and sends nothing.
  const again = expectStatus(await api('POST', '/api/v1/metrics/alerts/scan', {}, manager), 200);
  assert.equal(again.new_alerts, 0);
  await sleep(300);
  assert.equal((await mailTo(email, 0)).length, 1, 'still one email');

  // Acknowledged, it leaves the open list and keeps its note.
  const acked = expectStatus(await api('POST', `/api/v1/metrics/alerts/${a.id}/acknowledge`, { note: 'New call-back rota works' }, manager), 200);
  assert.equal(acked.acknowledged_by, 'manager');
  assert.equal(acked.note, 'New call-back rota works');
  const open = expectStatus(await api('GET', `/api/v1/metrics/alerts?location_id=${loc.id}&status=open`, undefined, manager), 200);
  assert.ok(!open.items.some((x) => x.id === a.id));
  const done = expectStatus(await api('GET', `/api/v1/metrics/alerts?location_id=${loc.id}&status=acknowledged`, undefined, manager), 200);
  assert.ok(done.items.some((x) => x.id === a.id));
  expectStatus(await api('DELETE', `/api/v1/metrics/alert-subscriptions/${sub.id}`, undefined, manager), 204);
});

test('bad subscriptions and queries get a 4xx naming the field and write nothing', async () => {
  const manager = await login('manager');
  const before = expectStatus(await api('GET', '/api/v1/metrics/alert-subscriptions', undefined, manager), 200).items.length;
  const post = (body) => api('POST', '/api/v1/metrics/alert-subscriptions', body, manager);
  expectError(await post({ email: 'not an address' }), 400, { field: 'email' });
  expectError(await post({ email: 'x@y.example\r\nBcc: z@w.example' }), 400, { field: 'email' });
  expectError(await post({ email: 'x@y.example', location_id: 987654321 }), 400, { field: 'location_id' });
  expectError(await post({ email: 'x@y.example', location_id: 'one' }), 400, { field: 'location_id' });
  expectError(await post({ email: 'x@y.example', metric_key: 'happiness' }), 400, { field: 'metric_key' });
  expectError(await api('POST', '/api/v1/metrics/alert-subscriptions', '{"email":', manager), 400);
  assert.equal(expectStatus(await api('GET', '/api/v1/metrics/alert-subscriptions', undefined, manager), 200).items.length, before);

  const email = `dup-${uid()}@clinic.example`.toLowerCase();
  const s = expectStatus(await post({ email }), 201);
  assert.equal(s.metric_key, '*');
  assert.equal(s.location_id, null);
  expectError(await post({ email }), 409, { code: 'already_subscribed' });
  // Only its owner removes it.
  expectError(await api('DELETE', `/api/v1/metrics/alert-subscriptions/${s.id}`, undefined, await login('admin')), 404);
  expectStatus(await api('DELETE', `/api/v1/metrics/alert-subscriptions/${s.id}`, undefined, manager), 204);
  expectError(await api('DELETE', `/api/v1/metrics/alert-subscriptions/${s.id}`, undefined, manager), 404);

  expectError(await api('GET', '/api/v1/metrics/alerts?status=pending', undefined, manager), 400, { field: 'status' });
  expectError(await api('GET', '/api/v1/metrics/alerts?limit=0', undefined, manager), 400, { field: 'limit' });
  expectError(await api('GET', '/api/v1/metrics/alerts?metric_key=happiness', undefined, manager), 400, { field: 'metric_key' });
  expectError(await api('GET', '/api/v1/metrics/alerts?location_id=abc', undefined, manager), 400, { field: 'location_id' });
  expectError(await api('POST', '/api/v1/metrics/alerts/987654321/acknowledge', { note: '' }, manager), 404);
  expectError(await api('POST', '/api/v1/metrics/alerts/1/acknowledge', { note: 'x'.repeat(2001) }, manager), 400, { field: 'note' });
});

test('only managers and admins see and scan alerts', async () => {
  for (const role of ['coordinator', 'clinician', 'billing', 'auditor']) {
    const t = await login(role);
    expectError(await api('GET', '/api/v1/metrics/alerts', undefined, t), 403);
    expectError(await api('POST', '/api/v1/metrics/alerts/scan', {}, t), 403);
    expectError(await api('POST', '/api/v1/metrics/alert-subscriptions', { email: 'a@b.example' }, t), 403);
  }
  expectError(await api('GET', '/api/v1/metrics/alerts', undefined, null), 401);
  expectStatus(await api('GET', '/api/v1/metrics/alerts', undefined, await login('admin')), 200);
});
