// Fails loudly (never skips) when the browser tests have nothing to run against.
import { test } from 'node:test';
import { Api, assertServerUp, env, launch } from './lib.mjs';

test('BASE_URL and credentials are set', () => {
  env();
});

test('the CareDesk server is reachable and serves the web UI', async () => {
  await assertServerUp(env().base);
});

test('the three test accounts can sign in through the API', async () => {
  const E = env();
  for (const [who, cred] of Object.entries({ admin: E.admin, coordinator: E.coord, auditor: E.auditor })) {
    const api = new Api(E.base);
    const r = await api.login(cred).catch((e) => {
      throw new Error(`${who} account ${cred.user} cannot sign in: ${e.message}`);
    });
    if (!r?.token) throw new Error(`${who} sign-in returned no token`);
  }
});

test('Chromium starts', async () => {
  const b = await launch();
  await b.close();
});
