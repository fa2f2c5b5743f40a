// Sessions: sign in, sign out, the bearer token on every protected endpoint, login throttling.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  api,
  baseUrl,
  createUser,
  credentials,
  expectError,
  expectStatus,
  freshLogin,
  rawRequest,
  ROLES,
} from './lib.mjs';

test('the server under test is reachable (BASE_URL, /healthz)', async () => {
  const base = baseUrl();
  let res;
  try {
    res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    assert.fail(`CareDesk server unreachable at ${base} (${e.cause?.code ?? e.message}); start it before running these tests`);
  }
  assert.equal(res.status, 200, `${base}/healthz answered HTTP ${res.status}`);
});

test('login answers 201 with a token and the user id, username and role', async () => {
  for (const role of ROLES) {
    const { username, password } = credentials(role);
    const res = await api('POST', '/api/v1/session', { username, password });
    const body = expectStatus(res, 201, `login as ${role}`);
    assert.equal(typeof body.token, 'string');
    assert.ok(body.token.length >= 20, `token looks too short: ${body.token}`);
    assert.ok(body.user && typeof body.user === 'object', `no user in ${res.text}`);
    assert.equal(typeof body.user.id, 'number');
    assert.equal(body.user.username, username);
    assert.equal(body.user.role, role);
  }
});

test('a wrong password is 401 invalid_credentials', async () => {
  const user = await createUser('coordinator');
  const res = await api('POST', '/api/v1/session', { username: user.username, password: `${user.password}-wrong` });
  expectError(res, 401, { code: 'invalid_credentials' });
  assert.equal(res.body.token, undefined, 'no token may be issued for a wrong password');
  // The right password still works afterwards.
  expectStatus(await api('POST', '/api/v1/session', { username: user.username, password: user.password }), 201);
});

test('login without a username or password is 400 naming the missing field', async () => {
  const { username, password } = credentials('coordinator');
  expectError(await api('POST', '/api/v1/session', { username }), 400, { field: 'password' });
  expectError(await api('POST', '/api/v1/session', { password }), 400, { field: 'username' });
  expectError(await api('POST', '/api/v1/session', { username: 42, password }), 400, { field: 'username' });
});

test('logout answers 204 and the token then gets 401', async () => {
  const token = await freshLogin('coordinator');
  expectStatus(await api('GET', '/api/v1/session', undefined, token), 200, 'the session works before logout');
  const out = await api('DELETE', '/api/v1/session', undefined, token);
  expectStatus(out, 204, 'logout');
  expectError(await api('GET', '/api/v1/session', undefined, token), 401);
  expectError(await api('GET', '/api/v1/locations', undefined, token), 401);
  // Other sessions of the same user are not affected.
  expectStatus(await api('GET', '/api/v1/session', undefined, await freshLogin('coordinator')), 200);
});

test('every protected endpoint in the OpenAPI document answers 401 without a token', async () => {
  const doc = expectStatus(await api('GET', '/api/openapi.json'), 200, 'openapi');
  const routes = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const isPublic = Array.isArray(op.security) && op.security.length === 0;
      if (!isPublic) routes.push([method.toUpperCase(), path.replaceAll('{id}', '1')]);
    }
  }
  assert.ok(routes.length >= 30, `expected the whole API in openapi.json, found ${routes.length} protected operations`);
  for (const path of ['/api/v1/patients', '/api/v1/slots', '/api/v1/appointments/1/check-in', '/api/v1/audit-events']) {
    assert.ok(routes.some(([, p]) => p === path), `${path} is not among the protected routes`);
  }
  const failures = [];
  for (const [method, path] of routes) {
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
    for (const token of [undefined, 'not-a-real-token']) {
      const res = await api(method, path, body, token);
      if (res.status !== 401 || res.body?.error?.code === undefined) {
        failures.push(`${method} ${path} ${token ? 'with a bogus token' : 'without a token'} -> ${res.status} ${res.text.slice(0, 200)}`);
      }
    }
  }
  assert.deepEqual(failures, [], `these did not answer 401:\n${failures.join('\n')}`);
});

test('repeated failed logins for one user are throttled with 429', async () => {
  const user = await createUser('coordinator');
  // From 127.0.0.2 (still the loopback interface) so the per-address counter of 127.0.0.1, which
  // every other test signs in from, is not used up.
  const attempt = (password) =>
    rawRequest('POST', '/api/v1/session', {
      body: JSON.stringify({ username: user.username, password }),
      headers: { 'content-type': 'application/json' },
      localAddress: '127.0.0.2',
    });
  const statuses = [];
  let throttled;
  for (let i = 0; i < 12 && !throttled; i++) {
    const res = await attempt(`wrong-password-${i}`);
    statuses.push(res.status);
    if (res.status === 429) throttled = res;
    else expectError(res, 401, { code: 'invalid_credentials' });
  }
  assert.ok(throttled, `no 429 after ${statuses.length} failed logins: ${statuses.join(', ')}`);
  expectError(throttled, 429);
  // While locked out, even the right password is refused.
  expectError(await attempt(user.password), 429);
  // Another user is not affected.
  await freshLogin('coordinator');
});
