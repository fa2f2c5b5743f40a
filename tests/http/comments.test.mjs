// What patients write: every complaint's description is judged by the shipped comment model (themes and
// sentiment) and shows in the managers' comment views.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectError, expectStatus, login, uid } from './lib.mjs';

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
