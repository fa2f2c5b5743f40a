// Shared helpers for the CareDesk browser journeys (playwright-core + Debian's chromium).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const SHOTS = path.join(here, 'screenshots');

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Environment, checked loudly: these tests fail (never skip) without a server to talk to. */
export function env() {
  const base = process.env.BASE_URL;
  assert.ok(base, 'BASE_URL is not set: point it at a running CareDesk server, e.g. BASE_URL=http://127.0.0.1:18080');
  const need = (k) => {
    const v = process.env[k];
    assert.ok(v, `${k} is not set (the browser tests need ADMIN_USER/ADMIN_PASSWORD, COORD_USER/COORD_PASSWORD, AUDITOR_USER/AUDITOR_PASSWORD)`);
    return v;
  };
  return {
    base: base.replace(/\/+$/, ''),
    admin: { user: need('ADMIN_USER'), password: need('ADMIN_PASSWORD') },
    coord: { user: need('COORD_USER'), password: need('COORD_PASSWORD') },
    auditor: { user: need('AUDITOR_USER'), password: need('AUDITOR_PASSWORD') },
  };
}

/** Fail with a clear message when the server is not there or does not serve the UI. */
export async function assertServerUp(base) {
  let res;
  try {
    res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
  } catch (e) {
    assert.fail(`CareDesk server unreachable at ${base} (${e.cause?.code ?? e.message}). Start it before running the browser tests.`);
  }
  assert.ok(res.ok, `${base}/healthz answered HTTP ${res.status}`);
  const page = await fetch(`${base}/`, { signal: AbortSignal.timeout(5000) });
  const html = await page.text();
  assert.ok(page.ok && html.includes('id="root"'), `${base}/ does not serve the web UI (HTTP ${page.status}); build it with "npm run build" in web/`);
}

export async function launch() {
  assert.ok(fs.existsSync(CHROMIUM), `Chromium not found at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newPage(browser, { width = 1440, height = 900 } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'en-US' });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.errors = errors;
  return page;
}

export async function shot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Sign in through the login form, as a person would. */
export async function login(page, base, { user, password }) {
  await page.goto(`${base}/login`);
  await page.getByLabel('Username').fill(user);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
}

/** Minimal API client for test set-up (same base URL as the UI). */
export class Api {
  constructor(base) {
    this.base = base;
    this.token = null;
  }
  async login({ user, password }) {
    const r = await this.call('POST', '/api/v1/session', { username: user, password });
    this.token = r.token;
    return r;
  }
  async call(method, p, body) {
    const res = await fetch(this.base + p, {
      method,
      headers: { 'Content-Type': 'application/json', ...(this.token ? { Authorization: `Bearer ${this.token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    const data = text ? JSON.parse(text) : undefined;
    if (!res.ok) {
      const err = new Error(`${method} ${p} → HTTP ${res.status}: ${text}`);
      err.status = res.status;
      err.data = data;
      throw err;
    }
    return data;
  }
  get(p) {
    return this.call('GET', p);
  }
  post(p, b = {}) {
    return this.call('POST', p, b);
  }
}

/** Random lower-case letters: unique, pronounceable-enough name parts per run. */
export function letters(n = 5) {
  const a = 'bcdfghjklmnprstvz';
  const v = 'aeiou';
  let s = '';
  for (let i = 0; i < n; i++) s += (i % 2 ? v : a)[Math.floor(Math.random() * (i % 2 ? v.length : a.length))];
  return s;
}
export const cap = (s) => s[0].toUpperCase() + s.slice(1);

/** Local hour in an IANA zone right now. */
export function hourIn(zone, at = new Date()) {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).format(at));
}
/** YYYY-MM-DD today in a zone. */
export function todayIn(zone, at = new Date()) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
/** Weekday (0 = Sunday) today in a zone. */
export function weekdayIn(zone, at = new Date()) {
  const d = todayIn(zone, at);
  return new Date(`${d}T12:00:00Z`).getUTCDay();
}

/**
 * A zone where it is now between 07:00 and 16:59, so a 06:00–22:00 template still has open slots today
 * whatever time the tests run.
 */
export function daytimeZone(at = new Date()) {
  const zones = [
    'America/New_York', 'America/Chicago', 'America/Denver', 'America/Los_Angeles', 'Pacific/Honolulu',
    'Pacific/Auckland', 'Australia/Sydney', 'Asia/Tokyo', 'Asia/Shanghai', 'Asia/Kolkata', 'Asia/Dubai',
    'Europe/Moscow', 'Europe/Berlin', 'Europe/London', 'Atlantic/Azores', 'America/Sao_Paulo', 'America/Halifax',
  ];
  const z = zones.find((zone) => {
    const h = hourIn(zone, at);
    return h >= 7 && h < 17;
  });
  assert.ok(z, 'no candidate time zone is in daytime (cannot happen: the list covers every 3 hours)');
  return z;
}
