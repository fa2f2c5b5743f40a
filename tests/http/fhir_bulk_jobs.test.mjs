// FHIR bulk jobs outlive the server: an export's manifest, its Expires and its files, and an import's report
// are served again after a restart; the Interfaces page's list of jobs shows them; a deleted job stays gone; an
// export cut off by a stop is failed as interrupted.
// On PostgreSQL a second server on the same database answers for an export the first one ran. These tests
// start their own servers (CAREDESK_BIN) on fresh databases and stop them in after().
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { FHIR, expectOutcome } from './fhir_lib.mjs';
import { api, backend, expectError, expectStatus, freshDatabase, loginAt, requireEnv, run, sleep, startServer } from './lib.mjs';

const servers = [];
const cleanups = [];
after(async () => {
  for (const s of servers) await s.stop().catch(() => {});
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

async function start(bin, db) {
  const server = await startServer(bin, db);
  servers.push(server);
  return server;
}

/** Polls a status URL on `base` until it is no longer 202; returns the answer. */
async function settle(base, status, token) {
  for (let i = 0; i < 600; i++) {
    const res = await api('GET', status, undefined, token, { base });
    if (res.status !== 202) return res;
    await sleep(100);
  }
  assert.fail(`${status} did not finish within a minute`);
}

const ANN = JSON.stringify({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:test:bulk-jobs', value: 'ANN-1' }],
  name: [{ family: 'Bulkjobs', given: ['Ann'] }],
  gender: 'female',
  birthDate: '1971-02-03',
});

test('an export and an import are answered again after a restart, files and report included; a deleted one stays gone', async () => {
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const { db, users } = await freshDatabase(bin, cleanups);
  let server = await start(bin, db);
  const admin = await loginAt(server.base, users.admin.username, users.admin.password);
  const base = () => ({ base: server.base });

  const imported = await api('POST', `${FHIR}/$import`, `${ANN}\n`, admin, {
    ...base(),
    headers: { 'content-type': 'application/fhir+ndjson' },
  });
  assert.equal(imported.status, 202, imported.text);
  const importStatus = new URL(imported.headers.get('content-location')).pathname;
  const report = expectStatus(await settle(server.base, importStatus, admin), 200, 'the import');
  assert.equal(report.patientsCreated, 1);

  const kick = await api('GET', `${FHIR}/Patient/$export`, undefined, admin, { ...base(), headers: { prefer: 'respond-async' } });
  assert.equal(kick.status, 202, kick.text);
  const exportStatus = new URL(kick.headers.get('content-location')).pathname;
  const done = await settle(server.base, exportStatus, admin);
  const manifest = expectStatus(done, 200, 'the export');
  const expires = done.headers.get('expires');
  assert.ok(expires && Date.parse(expires) > Date.now() + 23 * 3600_000, `Expires a day on: ${expires}`);
  const patientFile = manifest.output.find((o) => o.type === 'Patient');
  assert.ok(patientFile, JSON.stringify(manifest));
  const fileBefore = await api('GET', new URL(patientFile.url).pathname, undefined, admin, base());
  assert.equal(fileBefore.status, 200);
  assert.match(fileBefore.text, /Bulkjobs/);

  // A second export, deleted before the restart.
  const gone = await api('GET', `${FHIR}/$export?_type=Location`, undefined, admin, base());
  assert.equal(gone.status, 202, gone.text);
  const goneStatus = new URL(gone.headers.get('content-location')).pathname;
  expectStatus(await settle(server.base, goneStatus, admin), 200);
  assert.equal((await api('DELETE', goneStatus, undefined, admin, base())).status, 202);

  await server.stop();
  server = await start(bin, db);

  const again = await api('GET', exportStatus, undefined, admin, base());
  // The same manifest; its file URLs are on the server that answers (a new port here).
  const paths = (m) => ({ ...m, output: m.output.map((o) => ({ ...o, url: new URL(o.url).pathname })) });
  assert.deepEqual(paths(expectStatus(again, 200, 'the export after the restart')), paths(manifest));
  assert.equal(again.headers.get('expires'), expires, 'it expires when it did before: a day after it ended');
  const fileAfter = await api('GET', new URL(patientFile.url).pathname, undefined, admin, base());
  assert.equal(fileAfter.status, 200);
  assert.equal(fileAfter.text, fileBefore.text, 'the file is served again as it was');
  assert.deepEqual(expectStatus(await api('GET', importStatus, undefined, admin, base()), 200), report);
  expectOutcome(await api('GET', goneStatus, undefined, admin, base()), 404, 'not-found');

  const exports = expectStatus(await api('GET', '/api/v1/fhir/jobs?kind=export', undefined, admin, base()), 200);
  assert.deepEqual(exports.items.map((j) => [j.status_url, j.state, j.done]), [[exportStatus, 'done', manifest.output.reduce((n, o) => n + o.count, 0)]]);
  assert.equal(exports.items[0].request, manifest.request);
  assert.equal(Date.parse(exports.items[0].expires_at), Date.parse(expires));
  const imports = expectStatus(await api('GET', '/api/v1/fhir/jobs?kind=import', undefined, admin, base()), 200);
  assert.deepEqual(imports.items.map((j) => [j.status_url, j.state]), [[importStatus, 'done']]);
  expectError(await api('GET', '/api/v1/fhir/jobs?kind=both', undefined, admin, base()), 400, { field: 'kind' });
  const coordinator = await loginAt(server.base, users.coordinator.username, users.coordinator.password);
  expectError(await api('GET', '/api/v1/fhir/jobs?kind=export', undefined, coordinator, base()), 403);
  expectError(await api('GET', '/api/v1/fhir/jobs?kind=export', undefined, undefined, base()), 401);

  // Deleting the import forgets it, also across the next restart.
  assert.equal((await api('DELETE', importStatus, undefined, admin, base())).status, 204);
  await server.stop();
  server = await start(bin, db);
  expectOutcome(await api('GET', importStatus, undefined, admin, base()), 404, 'not-found');
  assert.deepEqual(expectStatus(await api('GET', '/api/v1/fhir/jobs?kind=import', undefined, admin, base()), 200).items, []);
});

test('an export running when the server stops is failed as interrupted, a 503 to start again, and leaves no files', async (t) => {
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const { db, users } = await freshDatabase(bin, cleanups);
  // A demo clinic: an export of everything takes a second or two, long enough to be cut off.
  const demo = await run(bin, ['demo', '--db', db, '--patients', '5000'], { timeoutMs: 120_000 });
  assert.equal(demo.code, 0, demo.stderr);
  let server = await start(bin, db);
  const admin = await loginAt(server.base, users.admin.username, users.admin.password);
  const kick = await api('GET', `${FHIR}/$export`, undefined, admin, { base: server.base });
  assert.equal(kick.status, 202, kick.text);
  const status = new URL(kick.headers.get('content-location')).pathname;
  const early = await api('GET', status, undefined, admin, { base: server.base });
  await server.stop();
  if (early.status !== 202) {
    t.diagnostic(`the export had ended (${early.status}) before the server was stopped; the interruption was not reached`);
    return;
  }
  server = await start(bin, db);
  const after = await api('GET', status, undefined, admin, { base: server.base });
  const issue = expectOutcome(after, 503, 'transient');
  assert.match(issue.diagnostics, /interrupted/);
  const listed = expectStatus(await api('GET', '/api/v1/fhir/jobs?kind=export', undefined, admin, { base: server.base }), 200);
  assert.equal(listed.items[0].state, 'failed');
  assert.match(listed.items[0].error, /start it again/);
  const exportDir = process.env.CAREDESK_EXPORT_DIR ?? (backend() === 'sqlite' ? path.join(path.dirname(db), 'exports') : 'var/exports');
  const jobDir = path.join(exportDir, path.basename(status));
  assert.equal(fs.existsSync(jobDir), false, `${jobDir}: the half-written files are deleted`);
});

test('two servers on one PostgreSQL: either answers for an export the other ran, and one import runs at a time', async (t) => {
  if (backend() !== 'postgres') {
    t.skip('needs CAREDESK_BACKEND=postgres (two processes sharing one database)');
    return;
  }
  const bin = requireEnv('CAREDESK_BIN', 'path to build/caredesk');
  const { db, users } = await freshDatabase(bin, cleanups);
  const one = await start(bin, db);
  const two = await start(bin, db);
  const admin = await loginAt(one.base, users.admin.username, users.admin.password);
  const kick = await api('GET', `${FHIR}/$export?_type=Practitioner,Location`, undefined, admin, { base: one.base });
  assert.equal(kick.status, 202, kick.text);
  const status = new URL(kick.headers.get('content-location')).pathname;
  const onOne = expectStatus(await settle(one.base, status, admin), 200);
  const paths = (m) => ({ ...m, output: m.output.map((o) => ({ ...o, url: new URL(o.url).pathname })) });
  assert.deepEqual(paths(expectStatus(await settle(two.base, status, admin), 200)), paths(onOne), 'the other server gives the same manifest');
  for (const out of onOne.output) {
    const file = await api('GET', new URL(out.url).pathname, undefined, admin, { base: two.base });
    assert.equal(file.status, 200, `${out.type} from the other server`);
  }
  const listed = expectStatus(await api('GET', '/api/v1/fhir/jobs?kind=export', undefined, admin, { base: two.base }), 200);
  assert.deepEqual(listed.items.map((j) => j.status_url), [status]);
  assert.equal((await api('DELETE', status, undefined, admin, { base: two.base })).status, 202);
  expectOutcome(await api('GET', status, undefined, admin, { base: one.base }), 404, 'not-found');

  // An import big enough to still run when the other server is asked for a second one.
  const many = Array.from({ length: 20000 }, (_, i) =>
    JSON.stringify({ resourceType: 'Observation', status: 'final', code: { text: `bulk ${i}` } }),
  ).join('\n');
  const first = await api('POST', `${FHIR}/$import`, many, admin, { base: one.base, headers: { 'content-type': 'application/fhir+ndjson' } });
  assert.equal(first.status, 202, first.text);
  const second = await api('POST', `${FHIR}/$import`, `${ANN}\n`, admin, { base: two.base, headers: { 'content-type': 'application/fhir+ndjson' } });
  const firstStatus = new URL(first.headers.get('content-location')).pathname;
  const firstDone = await api('GET', firstStatus, undefined, admin, { base: two.base });
  if (firstDone.status === 202) {
    expectOutcome(second, 409, 'conflict');
  } else {
    t.diagnostic('the first import finished before the second was asked for; the one-at-a-time check was not reached');
  }
  expectStatus(await settle(two.base, firstStatus, admin), 200, 'the other server reports the first import');
});
