// What patients write: every complaint's description is judged by the shipped comment model (themes and
// sentiment) and shows in the managers' comment views.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, createUser, expectError, expectStatus, login, uid } from './lib.mjs';

test('the server loads the shipped comment model and classifies text', async () => {
  const manager = await login('manager');
  const model = expectStatus(await api('GET', '/api/v1/feedback/model', undefined, manager), 200);
  assert.equal(model.loaded, true, `no model: ${model.error}`);
  assert.ok(model.themes.length >= 5, 'the pxtextmining themes with at least 100 training rows');
  const judged = expectStatus(await api('POST', '/api/v1/feedback/classify',
    { text: 'The receptionist was rude and we waited four hours without any update. Awful.' }, manager), 200);
  assert.equal(judged.sentiment, 'negative');
  const kind = expectStatus(await api('POST', '/api/v1/feedback/classify',
    { text: 'Lovely caring nurses, thank you so much for looking after my mum.' }, manager), 200);
  assert.equal(kind.sentiment, 'positive');
  expectError(await api('POST', '/api/v1/feedback/classify', {}, manager), 400, { field: 'text' });
});

test('the classifier reads the question a text answers, when given', async () => {
  const manager = await login('manager');
  const classify = (body) => api('POST', '/api/v1/feedback/classify', body, manager);
  // "Nothing." is praise answering "What could we do better?" and a complaint answering "What was good?".
  assert.equal(expectStatus(await classify({ text: 'Nothing.', question: 'could_improve' }), 200).sentiment, 'positive');
  assert.equal(expectStatus(await classify({ text: 'Nothing.', question: 'what_good' }), 200).sentiment, 'negative');
  assert.deepEqual(expectStatus(await classify({ text: 'Nothing.' }), 200),
    expectStatus(await classify({ text: 'Nothing.', question: 'nonspecific' }), 200), 'nonspecific is the default');
  expectError(await classify({ text: 'Nothing.', question: 'why' }), 400, { field: 'question' });
  expectError(await classify({ text: 'Nothing.', question: 3 }), 400, { field: 'question' });
});

test("a complaint's description becomes a judged comment in the manager's views", async () => {
  const admin = await login('admin');
  const loc = expectStatus(await api('POST', '/api/v1/locations', { name: `Comments ${uid()}`, time_zone: 'America/Denver' }, admin), 201);
  const coord = await login('coordinator');
  const marker = uid();
  const text = `Staff were rude and dismissive and the wait was over three hours ${marker}`;
  expectStatus(await api('POST', '/api/v1/cases', { channel: 'phone', category: 'staff_attitude', description: text,
    location_id: loc.id, department: 'Emergency' }, coord), 201);
  const manager = await login('manager');
  const list = expectStatus(await api('GET', `/api/v1/comments?source=case&q=${marker}`, undefined, manager), 200);
  assert.equal(list.total, 1);
  const c = list.items[0];
  assert.equal(c.text, text);
  assert.equal(c.location_id, loc.id);
  assert.equal(c.department, 'Emergency');
  assert.equal(c.sentiment, 'negative');
  assert.ok(c.themes.length >= 1, 'at least one theme');
  const byTheme = expectStatus(await api('GET', `/api/v1/comments?theme=${encodeURIComponent(c.themes[0])}&location_id=${loc.id}`, undefined, manager), 200);
  assert.equal(byTheme.total, 1);
  const trends = expectStatus(await api('GET', `/api/v1/comments/trends?location_id=${loc.id}&interval=day&units=department`, undefined, manager), 200);
  assert.deepEqual(trends.periods, [c.date]);
  assert.ok(trends.themes.some((g) => g.key === c.themes[0] && g.count === 1 && g.period === c.date));
  assert.ok(trends.units.some((g) => g.unit === `${loc.name} / Emergency` && g.key === 'negative' && g.count === 1));
  expectError(await api('GET', '/api/v1/comments/trends?interval=year', undefined, manager), 400, { field: 'interval' });
  expectError(await api('GET', '/api/v1/comments?sentiment=angry', undefined, manager), 400, { field: 'sentiment' });
  expectError(await api('GET', '/api/v1/comments?from=2026-13-01', undefined, manager), 400, { field: 'from' });
  expectError(await api('GET', '/api/v1/comments', undefined, coord), 403);
  expectError(await api('POST', '/api/v1/feedback/model/reload', undefined, manager), 403);
  expectStatus(await api('POST', '/api/v1/feedback/model/reload', undefined, admin), 200);
});

test("staff read their own unit's comments only; without a unit they are told to ask for one", async () => {
  const admin = await login('admin');
  const mk = async (name) => expectStatus(await api('POST', '/api/v1/locations', { name: `${name} ${uid()}`, time_zone: 'America/Denver' }, admin), 201);
  const loc = await mk('Unit');
  const other = await mk('Other unit');
  const coord = await login('coordinator');
  const marker = uid();
  const file = async (location, department, words) =>
    expectStatus(await api('POST', '/api/v1/cases', { channel: 'phone', category: 'staff_attitude', description: `${words} ${marker}`,
      location_id: location.id, department }, coord), 201);
  await file(loc, 'Emergency', 'The triage nurse was rude');
  await file(loc, 'Radiology', 'The scan was cancelled twice');
  await file(other, 'Emergency', 'Nobody answered the phone');

  const u = await createUser('clinician', { location_id: loc.id, department: 'Emergency' });
  assert.equal(u.id > 0, true);
  const token = expectStatus(await api('POST', '/api/v1/session', { username: u.username, password: u.password }, null), 201).token;
  const me = expectStatus(await api('GET', '/api/v1/session', undefined, token), 200);
  assert.equal(me.user.location_id, loc.id);
  assert.equal(me.user.department, 'Emergency');
  assert.ok(me.permissions.includes('comments.read') && !me.permissions.includes('analytics.read'));
  // Whatever the filter asks, the clinician reads the Emergency comments of the unit's location.
  for (const q of [`q=${marker}`, `q=${marker}&location_id=${other.id}`, `q=${marker}&department=Radiology`]) {
    const mine = expectStatus(await api('GET', `/api/v1/comments?${q}`, undefined, token), 200);
    assert.deepEqual(mine.items.map((c) => c.text), [`The triage nurse was rude ${marker}`], q);
  }
  const trends = expectStatus(await api('GET', `/api/v1/comments/trends?units=department`, undefined, token), 200);
  assert.ok(trends.units.every((g) => g.unit === `${loc.name} / Emergency`), JSON.stringify(trends.units));

  // The admin widens the unit to the whole location.
  const changed = expectStatus(await api('PUT', `/api/v1/users/${u.id}`, { department: '' }, admin), 200);
  assert.equal(changed.location_id, loc.id);
  assert.equal(changed.department, '');
  const token2 = expectStatus(await api('POST', '/api/v1/session', { username: u.username, password: u.password }, null), 201).token;
  const wider = expectStatus(await api('GET', `/api/v1/comments?q=${marker}`, undefined, token2), 200);
  assert.equal(wider.total, 2);

  // Bad units are refused, naming the field; a user without a unit is told why.
  expectError(await api('PUT', `/api/v1/users/${u.id}`, { location_id: 987654321 }, admin), 400, { field: 'location_id' });
  expectError(await api('PUT', `/api/v1/users/${u.id}`, { department: 'x'.repeat(101) }, admin), 400, { field: 'department' });
  expectError(await api('POST', '/api/v1/users', { username: `t-${uid()}`, role: 'coordinator', password: `Pw-${uid()}-long-enough`, location_id: 'one' }, admin), 400, { field: 'location_id' });
  const refused = await api('GET', '/api/v1/comments', undefined, coord);
  expectError(refused, 403);
  assert.match(refused.body.error.message, /no unit/);
  expectError(await api('GET', '/api/v1/comments', undefined, await login('billing')), 403);
  expectError(await api('GET', '/api/v1/comments', undefined, await login('auditor')), 403);
});
