// POST /api/v1/analytics/spc: SPC charts for managers, errors that name the field.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { api, expectError, expectStatus, login } from './lib.mjs';

const close = (a, b, what) => assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} vs ${b}`);

test('an XmR chart gives the Making Data Count limits and marks a point above the UCL', async () => {
  const manager = await login('manager');
  const values = [18, 22, 19, 21, 20, 23, 17, 22, 19, 21, 20, 18, 22, 19, 45];
  const chart = expectStatus(
    await api('POST', '/api/v1/analytics/spc', { chart: 'xmr', values, improvement: 'decrease', screen_outliers: false }, manager),
    200,
  );
  assert.equal(chart.chart, 'xmr');
  assert.equal(chart.points.length, values.length);
  // mean ± 2.66 × mean moving range, computed here independently.
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const mrs = values.slice(1).map((v, i) => Math.abs(v - values[i]));
  const mr = mrs.reduce((a, b) => a + b, 0) / mrs.length;
  close(chart.points[0].cl, mean, 'centre line');
  close(chart.points[0].ucl, mean + 2.66 * mr, 'upper limit');
  close(chart.points[0].lcl, mean - 2.66 * mr, 'lower limit');
  const last = chart.points.at(-1);
  assert.equal(last.sigma_signal, true);
  assert.equal(last.special_cause, 'Above UCL');
  assert.equal(last.point_type, 'special_cause_concern', 'higher is worse when improvement is decrease');
  assert.equal(chart.points[0].special_cause, 'Common Cause');
});

test('a p chart uses the denominators, and the runs analysis follows Anhøj', async () => {
  const manager = await login('manager');
  const n = Array(24).fill(100);
  const values = [5, 6, 4, 5, 7, 5, 6, 4, 5, 6, 5, 4, 12, 13, 12, 14, 13, 12, 13, 14, 12, 13, 12, 14];
  const chart = expectStatus(await api('POST', '/api/v1/analytics/spc', { chart: 'p', values, n, multiply: 100 }, manager), 200);
  close(chart.points[0].y, 5, 'first proportion in percent');
  assert.equal(chart.n_useful, 24);
  assert.equal(chart.longest_run_max, Math.round(Math.log2(24)) + 3);
  assert.equal(chart.runs_signal, true, 'a shift from 5% to 13% is a runs signal');
  assert.ok(chart.longest_run >= 12);
});

test('freeze, exclude and parts are 1-based and rebasing gives each part its own centre line', async () => {
  const manager = await login('manager');
  const values = [1, 2, 1, 2, 1, 2, 10, 11, 10, 11, 10, 11];
  const chart = expectStatus(await api('POST', '/api/v1/analytics/spc', { chart: 'i', values, parts: [7], exclude: [2] }, manager), 200);
  assert.equal(chart.parts.length, 2);
  assert.equal(chart.points[0].part, 1);
  assert.equal(chart.points[6].part, 2);
  assert.equal(chart.points[1].included, false);
  close(chart.points[0].cl, (1 + 1 + 2 + 1 + 2) / 5, 'part 1 centre without the excluded point');
  close(chart.points[6].cl, 10.5, 'part 2 centre');
});

test('bad input gets a 400 naming the field', async () => {
  const manager = await login('manager');
  const post = (body) => api('POST', '/api/v1/analytics/spc', body, manager);
  expectError(await post({ chart: 'pie', values: [1, 2] }), 400, { field: 'chart' });
  expectError(await post({ chart: 'i' }), 400, { field: 'values' });
  expectError(await post({ chart: 'i', values: [1, 'two', 3] }), 400, { field: 'values[1]' });
  expectError(await post({ chart: 'p', values: [1, 2, 3] }), 400, { field: 'n' });
  expectError(await post({ chart: 'p', values: [1, 2], n: [10] }), 400, { field: 'n' });
  expectError(await post({ chart: 'i', values: [1, 2, 3], freeze: 0 }), 400, { field: 'freeze' });
  expectError(await post({ chart: 'i', values: [1, 2, 3], exclude: [0] }), 400, { field: 'exclude[0]' });
  expectError(await post({ chart: 'i', values: [1, 2, 3], improvement: 'up' }), 400, { field: 'improvement' });
  expectError(await post({ chart: 'i', values: [1, 2, 3], multiply: 'x' }), 400, { field: 'multiply' });
  const malformed = await api('POST', '/api/v1/analytics/spc', '{"chart": "i", "values": [1,', manager);
  expectError(malformed, 400);
});

test('only roles with analytics.read may compute charts', async () => {
  for (const role of ['coordinator', 'clinician', 'billing', 'auditor']) {
    const token = await login(role);
    expectError(await api('POST', '/api/v1/analytics/spc', { chart: 'run', values: [1, 2, 3] }, token), 403);
  }
  expectError(await api('POST', '/api/v1/analytics/spc', { chart: 'run', values: [1, 2, 3] }), 401);
  const admin = await login('admin');
  expectStatus(await api('POST', '/api/v1/analytics/spc', { chart: 'run', values: [1, 2, 3] }, admin), 200);
});
