// Shared helpers for the CareDesk HTTP black-box tests (node:test, global fetch, no dependencies).
//
// The suite talks to an already running server at BASE_URL (scripts/test.sh starts one per
// database backend). Every helper fails loudly — never skips — when the environment is incomplete
// or the server cannot be reached. Each test builds its own data with unique names, so tests are
// independent of each other, of earlier runs against the same database and of demo data.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// ---------------------------------------------------------------------------------------------
// Environment

/** The server under test, without a trailing slash; fails the calling test when unset. */
export function baseUrl() {
  const base = process.env.BASE_URL;
  assert.ok(base, 'BASE_URL is not set: point it at a running CareDesk server, e.g. BASE_URL=http://127.0.0.1:18080');
  return base.replace(/\/+$/, '');
}

/** A required environment variable; fails the calling test with a clear message when unset. */
export function requireEnv(name, why = '') {
  const v = process.env[name];
  assert.ok(v, `${name} is not set${why ? ` (${why})` : ''}; scripts/test.sh shows how the suite is run`);
  return v;
}

const ROLE_ENV = {
  admin: 'ADMIN',
  manager: 'MANAGER',
  coordinator: 'COORD',
  clinician: 'CLINICIAN',
  billing: 'BILLING',
  auditor: 'AUDITOR',
};
export const ROLES = Object.keys(ROLE_ENV);

/** { username, password } of the seeded user with this role (from ADMIN_USER/ADMIN_PASSWORD etc.). */
export function credentials(role) {
  const prefix = ROLE_ENV[role];
  assert.ok(prefix, `unknown role ${role}`);
  return {
    username: requireEnv(`${prefix}_USER`, `the ${role} user`),
    password: requireEnv(`${prefix}_PASSWORD`, `the ${role} user's password`),
  };
}

/** The username the server knows the seeded user of `role` by. */
export const usernameOf = (role) => credentials(role).username;

/** "sqlite" or "postgres" (CAREDESK_BACKEND). */
export function backend() {
  const b = requireEnv('CAREDESK_BACKEND', 'sqlite or postgres');
  assert.ok(b === 'sqlite' || b === 'postgres', `CAREDESK_BACKEND must be sqlite or postgres, not ${b}`);
  return b;
}

// ---------------------------------------------------------------------------------------------
// HTTP

/**
 * One request. `body` is JSON-encoded unless it is a string or a Buffer (sent as is).
 * Returns { status, body (parsed JSON, or undefined), text, headers, what } where `what` is
 * "METHOD path" for messages. Network failures become an error naming the server.
 */
export async function api(method, path, body, token, opts = {}) {
  const base = opts.base ?? baseUrl();
  const headers = { ...(opts.headers ?? {}) };
  if (token) headers.authorization = `Bearer ${token}`;
  let payload;
  if (body !== undefined) {
    payload = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  }
  let res;
  try {
    res = await fetch(base + path, {
      method,
      headers,
      body: payload,
      signal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
    });
  } catch (e) {
    throw new Error(
      `${method} ${path}: cannot reach the CareDesk server at ${base} (${e.cause?.code ?? e.cause?.message ?? e.message})`,
      { cause: e },
    );
  }
  const text = await res.text();
  let parsed;
  if (text.length > 0) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
  }
  return { status: res.status, body: parsed, text, headers: res.headers, what: `${method} ${path}` };
}

/**
 * A request over node:http, for what fetch cannot do: choosing the local address (so that login
 * throttling tests do not count against 127.0.0.1). Resolves { status, body, text, headers, what }.
 */
export function rawRequest(method, path, { body, headers = {}, localAddress, base } = {}) {
  const url = new URL((base ?? baseUrl()) + path);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method,
        headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) },
        localAddress,
        timeout: 20_000,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            parsed = undefined;
          }
          resolve({ status: res.statusCode, body: parsed, text, headers: res.headers, what: `${method} ${path}` });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
    req.on('error', (e) => reject(new Error(`${method} ${path}: ${e.code ?? e.message}`, { cause: e })));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const describe = (res) => `${res.what} -> ${res.status} ${res.text?.slice(0, 600) ?? ''}`;

/** Asserts the status code, showing the request and the answer when it differs. */
export function expectStatus(res, status, message = '') {
  assert.equal(res.status, status, `${message ? `${message}: ` : ''}expected HTTP ${status}, got ${describe(res)}`);
  return res.body;
}

/** Asserts the error shape {"error":{"code","message","field"}} and returns the error object. */
export function assertErrorShape(res) {
  assert.ok(res.body && typeof res.body === 'object', `error body is not JSON: ${describe(res)}`);
  const err = res.body.error;
  assert.ok(err && typeof err === 'object', `error body lacks "error": ${describe(res)}`);
  assert.equal(typeof err.code, 'string', `error.code is not a string: ${describe(res)}`);
  assert.ok(err.code.length > 0, `error.code is empty: ${describe(res)}`);
  assert.equal(typeof err.message, 'string', `error.message is not a string: ${describe(res)}`);
  assert.ok(err.message.length > 0, `error.message is empty: ${describe(res)}`);
  assert.ok('field' in err, `error.field is missing: ${describe(res)}`);
  assert.ok(err.field === null || typeof err.field === 'string', `error.field is neither string nor null: ${describe(res)}`);
  return err;
}

/**
 * Asserts an error answer: the status (a number or a list of acceptable ones), the error shape and,
 * when given, its code and field.
 */
export function expectError(res, status, { code, field } = {}) {
  const statuses = Array.isArray(status) ? status : [status];
  assert.ok(statuses.includes(res.status), `expected HTTP ${statuses.join(' or ')}, got ${describe(res)}`);
  const err = assertErrorShape(res);
  if (code !== undefined) assert.equal(err.code, code, `error.code of ${describe(res)}`);
  if (field !== undefined) assert.equal(err.field, field, `error.field of ${describe(res)}`);
  return err;
}

// ---------------------------------------------------------------------------------------------
// Sessions

const tokens = new Map();

/** Signs in as the seeded user of `role` (cached per process). */
export async function login(role) {
  if (!tokens.has(role)) tokens.set(role, await freshLogin(role));
  return tokens.get(role);
}

/** A new session for the seeded user of `role` (never cached). */
export async function freshLogin(role, opts = {}) {
  const { username, password } = credentials(role);
  const res = await api('POST', '/api/v1/session', { username, password }, null, opts);
  const body = expectStatus(res, 201, `signing in as ${role} (${username})`);
  assert.equal(typeof body.token, 'string');
  return body.token;
}

/** Creates a throwaway user (as admin) and returns { id, username, password, role }; `extra` adds fields (a unit). */
export async function createUser(role = 'coordinator', extra = {}) {
  const admin = await login('admin');
  const username = `t-${role}-${uid()}`;
  const password = `Test-password-${uid()}-x9`;
  const res = await api('POST', '/api/v1/users', { username, display_name: `Test ${username}`, role, password, ...extra }, admin);
  const body = expectStatus(res, 201, `creating user ${username}`);
  return { id: body.id, username, password, role };
}

// ---------------------------------------------------------------------------------------------
// Unique test data

/** 8 random base-36 characters. */
export function uid() {
  return crypto.randomBytes(6).readUIntBE(0, 6).toString(36).padStart(8, '0').slice(-8);
}

const CONSONANTS = 'bdfgklmnprstvz';
const VOWELS = 'aeiou';
const pick = (s) => s[crypto.randomInt(s.length)];

/** A pronounceable random surname of letters only, e.g. "Ravokelu" — unique per run in practice. */
export function randomSurname(syllables = 4) {
  let s = '';
  for (let i = 0; i < syllables; i++) s += pick(CONSONANTS) + pick(VOWELS);
  s += pick(CONSONANTS);
  return s[0].toUpperCase() + s.slice(1);
}

/** A random real birth date between 1940 and 2005. */
export function randomBirthDate() {
  const y = 1940 + crypto.randomInt(66);
  const m = 1 + crypto.randomInt(12);
  const d = 1 + crypto.randomInt(28);
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** A random 10-digit phone number in the form the server stores (digits only). */
export function randomPhone() {
  let s = '555';
  for (let i = 0; i < 7; i++) s += crypto.randomInt(10);
  return s;
}

export const pad = (n, w = 2) => String(n).padStart(w, '0');

/** Registers a patient (confirm_new true unless overridden) with unique demographics. */
export async function createPatient(token, overrides = {}) {
  const body = {
    given_name: randomSurname(2),
    family_name: randomSurname(),
    birth_date: randomBirthDate(),
    sex: 'female',
    phone: randomPhone(),
    confirm_new: true,
    ...overrides,
  };
  const res = await api('POST', '/api/v1/patients', body, token ?? (await login('coordinator')));
  return expectStatus(res, 201, `registering patient ${body.given_name} ${body.family_name}`);
}

// ---------------------------------------------------------------------------------------------
// Time

/**
 * A whole-hour UTC offset whose local time is now about 10:00, so that today (in that zone) still
 * has many hours of slots ahead and "tomorrow" is unambiguous.
 */
export function morningOffsetHours(now = new Date()) {
  let k = 10 - now.getUTCHours();
  if (k < -12) k += 24;
  if (k > 14) k -= 24;
  return k;
}

/** The IANA zone with a fixed offset of `k` hours (POSIX "Etc/GMT" names have inverted signs). */
export function zoneForOffset(k) {
  if (k === 0) return 'Etc/UTC';
  return k > 0 ? `Etc/GMT-${k}` : `Etc/GMT+${-k}`;
}

/** "+05:00" for 5, "-03:00" for -3. */
export function offsetText(k) {
  return `${k < 0 ? '-' : '+'}${pad(Math.abs(k))}:00`;
}

/** The local date (YYYY-MM-DD) `addDays` from today at a fixed offset of `k` hours. */
export function localDate(k, addDays = 0, now = Date.now()) {
  const d = new Date(now + k * 3_600_000 + addDays * 86_400_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** An ISO 8601 instant with offset for a local date and HH:MM at a fixed offset of `k` hours. */
export function localIso(date, hhmm, k) {
  return `${date}T${hhmm}:00${offsetText(k)}`;
}

export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

/** Asserts an ISO 8601 date-time with a UTC offset and returns its epoch milliseconds. */
export function assertIsoInstant(value, what = 'time') {
  assert.equal(typeof value, 'string', `${what} is not a string: ${JSON.stringify(value)}`);
  assert.match(value, ISO_WITH_OFFSET, `${what} is not ISO 8601 with an offset: ${value}`);
  const ms = Date.parse(value);
  assert.ok(Number.isFinite(ms), `${what} does not parse: ${value}`);
  return ms;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Scheduling fixtures

/**
 * Creates (as admin) a location, a room, `providers` providers working there, one appointment type
 * they all do, and templates for every provider on every weekday 00:00–24:00 — so slots exist
 * today and tomorrow whenever the tests run. The location's zone is a fixed offset where it is now
 * about 10:00 unless `timeZone` is given (then `offsetHours` is null). `base` and `token` aim it
 * at another server (tests that start their own).
 * Returns { tag, location, room, providers, type, templates, offsetHours }.
 */
export async function createClinic({
  providers = 1,
  duration = 30,
  modality = 'in_person',
  timeZone,
  hours = ['00:00', '24:00'],
  base,
  token,
} = {}) {
  const opts = base ? { base } : {};
  const admin = token ?? (await login('admin'));
  const tag = uid();
  const offsetHours = timeZone ? null : morningOffsetHours();
  const time_zone = timeZone ?? zoneForOffset(offsetHours);
  const post = async (path, body) => expectStatus(await api('POST', path, body, admin, opts), 201, `set-up ${path}`);

  const location = await post('/api/v1/locations', {
    name: `Test clinic ${tag}`,
    time_zone,
    address: '1 Test Street',
    phone: '5550100000',
  });
  const room = await post('/api/v1/rooms', { location_id: location.id, name: `Room ${tag}` });
  const provs = [];
  for (let i = 0; i < providers; i++) {
    provs.push(
      await post('/api/v1/providers', {
        name: `Dr ${randomSurname(3)} ${tag}-${i + 1}`,
        specialty: 'Family medicine',
        location_ids: [location.id],
        max_overbook: 0,
      }),
    );
  }
  const type = await post('/api/v1/appointment-types', {
    name: `${modality === 'telehealth' ? 'Video visit' : 'Visit'} ${tag}`,
    duration_minutes: duration,
    modality,
    provider_ids: provs.map((p) => p.id),
  });
  const templates = [];
  for (const p of provs) {
    for (let weekday = 0; weekday < 7; weekday++) {
      templates.push(
        await post('/api/v1/templates', {
          provider_id: p.id,
          location_id: location.id,
          room_id: room.id,
          weekday,
          start: hours[0],
          end: hours[1],
        }),
      );
    }
  }
  return { tag, location, room, providers: provs, type, templates, offsetHours };
}

/**
 * Slot searches start this far ahead by default, so that a slot found is still in the future when
 * it is booked a moment later (the server refuses starts in the past).
 */
export const SLOT_LEAD_MS = 2 * 60_000;

/** GET /api/v1/slots; `from`/`to` are ISO strings (default: now + SLOT_LEAD_MS to 3 days ahead). Returns items. */
export async function findSlots(token, { type, provider, location, from, to, limit = 20, base } = {}) {
  const q = new URLSearchParams({
    appointment_type: String(type),
    from: from ?? new Date(Date.now() + SLOT_LEAD_MS).toISOString(),
    to: to ?? new Date(Date.now() + 3 * 86_400_000).toISOString(),
    limit: String(limit),
  });
  if (provider !== undefined) q.set('provider', String(provider));
  if (location !== undefined) q.set('location', String(location));
  const res = await api('GET', `/api/v1/slots?${q}`, undefined, token, base ? { base } : {});
  const body = expectStatus(res, 200, 'slot search');
  assert.ok(Array.isArray(body.items), `slots answer lacks items: ${res.text}`);
  return body.items;
}

/** The open slots of a clinic's provider (default: the first) from now over `days` days. */
export async function clinicSlots(clinic, { provider, days = 3, limit = 50, from, to } = {}) {
  return findSlots(await login('coordinator'), {
    type: clinic.type.id,
    provider: (provider ?? clinic.providers[0]).id,
    location: clinic.location.id,
    from,
    to: to ?? (from ? undefined : new Date(Date.now() + days * 86_400_000).toISOString()),
    limit,
  });
}

/**
 * Slots of the clinic's first provider on the local day `addDays` from today (offset clinics
 * only); today's start SLOT_LEAD_MS from now.
 */
export async function slotsOnLocalDay(clinic, addDays, { provider, limit = 100 } = {}) {
  assert.notEqual(clinic.offsetHours, null, 'slotsOnLocalDay needs a fixed-offset clinic');
  const day = localDate(clinic.offsetHours, addDays);
  const next = localDate(clinic.offsetHours, addDays + 1);
  return findSlots(await login('coordinator'), {
    type: clinic.type.id,
    provider: (provider ?? clinic.providers[0]).id,
    location: clinic.location.id,
    from: addDays === 0 ? new Date(Date.now() + SLOT_LEAD_MS).toISOString() : localIso(day, '00:00', clinic.offsetHours),
    to: localIso(next, '00:00', clinic.offsetHours),
    limit,
  });
}

/** The booking body for a slot of a clinic. */
export function bookingBody(clinic, patientId, slot) {
  return {
    patient_id: patientId,
    appointment_type_id: clinic.type.id,
    provider_id: slot.provider_id,
    location_id: slot.location_id,
    start: slot.start,
  };
}

/** Books a slot (as coordinator unless a token is given) and returns the 201 body. */
export async function book(clinic, patientId, slot, token) {
  const res = await api('POST', '/api/v1/appointments', bookingBody(clinic, patientId, slot), token ?? (await login('coordinator')));
  return expectStatus(res, 201, `booking ${slot.start}`);
}

/** Finds an audit event matching `pred` among GET /api/v1/audit-events?{query} as auditor. */
export async function auditEvents(query) {
  const res = await api('GET', `/api/v1/audit-events?${new URLSearchParams(query)}`, undefined, await login('auditor'));
  const body = expectStatus(res, 200, 'audit search');
  assert.ok(Array.isArray(body.items), `audit answer lacks items: ${res.text}`);
  return body.items;
}

// ---------------------------------------------------------------------------------------------
// Processes (reliability and CLI tests)

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Runs a command to completion (bounded by `timeoutMs`), feeding `input` on stdin.
 * Resolves { code, signal, stdout, stderr }.
 */
export function run(cmd, args, { input, timeoutMs = 60_000, env } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'], env: env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`cannot run ${cmd}: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => {});  // EPIPE when the command exits without reading its input
    child.stdin.end(input ?? '');
  });
}

/**
 * Starts `caredesk serve` on a free port of 127.0.0.1 and waits (at most `timeoutMs`) for /healthz.
 * Returns { base, port, child, log(), stop() }; stop() sends SIGTERM then SIGKILL and waits.
 */
export async function startServer(bin, db, { port, timeoutMs = 20_000 } = {}) {
  port = port ?? (await freePort());
  const child = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--metric-alert-seconds', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (c) => {
    output += c;
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  exited.then(() => (gone = true));
  const base = `http://127.0.0.1:${port}`;
  const server = {
    base,
    port,
    child,
    exited,
    log: () => output,
    get running() {
      return !gone;
    },
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
    },
    async kill9() {
      if (gone) return exited;
      child.kill('SIGKILL');
      return exited;
    },
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gone) throw new Error(`caredesk serve --db ${db} exited before answering /healthz; its output:\n${output}`);
    try {
      const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      if (r.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`caredesk serve on port ${port} did not answer /healthz within ${timeoutMs} ms; its output:\n${output}`);
    }
    await sleep(100);
  }
}

/** Signs in to another server (for tests that start their own). */
export async function loginAt(base, username, password) {
  const res = await api('POST', '/api/v1/session', { username, password }, null, { base });
  return expectStatus(res, 201, `signing in as ${username} at ${base}`).token;
}

/**
 * A fresh, migrated database of the backend under test, with users own-admin and
 * own-coordinator made by `caredesk user add`: a temporary SQLite file, or a new database in
 * the throwaway PostgreSQL cluster (CAREDESK_TEST_PG_URL). Pushes its removal onto `cleanups`
 * (run them after stopping any server using it). Returns { db, users: { admin, coordinator } }.
 */
export async function freshDatabase(bin, cleanups) {
  let db;
  if (backend() === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'caredesk-httptest-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    db = path.join(dir, 'own.db');
  } else {
    const adminUrl = requireEnv('CAREDESK_TEST_PG_URL', 'admin URL of the throwaway PostgreSQL cluster');
    const name = `caredesk_httptest_${uid().replace(/[^a-z0-9]/g, '')}`;
    const created = await run('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-c', `CREATE DATABASE ${name}`]);
    assert.equal(created.code, 0, `psql CREATE DATABASE failed: ${created.stderr}`);
    cleanups.push(async () => {
      await run('psql', [adminUrl, '-q', '-c', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
    });
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    db = url.toString();
  }
  const migrated = await run(bin, ['migrate', '--db', db]);
  assert.equal(migrated.code, 0, `caredesk migrate failed:\n${migrated.stdout}\n${migrated.stderr}`);
  const users = {};
  for (const role of ['admin', 'coordinator']) {
    const username = `own-${role}`;
    const password = `Own-password-${role}-${uid()}`;
    const r = await run(bin, ['user', 'add', '--db', db, '--username', username, '--role', role, '--password-stdin'], {
      input: `${password}\n`,
    });
    assert.equal(r.code, 0, `caredesk user add ${username} failed:\n${r.stdout}\n${r.stderr}`);
    users[role] = { username, password };
  }
  return { db, users };
}

// ---------------------------------------------------------------------------------------------
// Mail received by the SMTP sink (scripts/test.sh starts one and names its file in SMTP_SINK_OUT)

/** Decodes a quoted-printable text: soft line breaks and =XX escapes (as UTF-8). */
export function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, '');
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const m = joined[i] === '=' ? /^=([0-9A-Fa-f]{2})/.exec(joined.slice(i, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[1], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** The messages in the SMTP sink addressed to `address` (waits up to `ms` for at least one). */
export async function mailTo(address, ms = 5_000) {
  const file = requireEnv('SMTP_SINK_OUT', 'the file the SMTP sink appends each message to');
  const deadline = Date.now() + ms;
  for (;;) {
    const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    const found = text
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l))
      .filter((m) => (m.to ?? []).some((t) => String(t).toLowerCase().includes(address.toLowerCase())));
    if (found.length > 0 || Date.now() > deadline) return found;
    await sleep(100);
  }
}
