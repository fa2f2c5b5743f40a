// The admin journey: set up a new clinic through the UI — location, room, provider, appointment type,
// weekly availability, a leave day — and a user (added, then deactivated).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { assertServerUp, cap, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const tag = letters(5);
const LOC = `Northside ${cap(tag)} Clinic`;
const ROOM = `Room ${tag.toUpperCase()}`;
const PROV = `Dr. Ada ${cap(tag)}`;
const TYPE = `Annual check ${tag}`;
const USER = `e2e_${tag}`;

describe('admin journey', { concurrency: false }, () => {
  let browser;
  let page;

  before(async () => {
    await assertServerUp(E.base);
    browser = await launch();
    page = await newPage(browser);
  });
  after(async () => {
    await browser?.close();
  });

  const section = async (name) => {
    await page.getByRole('navigation', { name: 'Administration sections' }).getByRole('link', { name }).click();
  };

  it('admin signs in and sees Admin and Audit', async () => {
    await login(page, E.base, E.admin);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Audit' }).waitFor();
    await nav.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
  });

  it('adds a user and deactivates them', async () => {
    await section('Users');
    const form = page.getByRole('form', { name: 'Add user' });
    await form.getByLabel('Username').fill(USER);
    await form.getByLabel('Display name').fill(`E2E ${cap(tag)}`);
    await form.getByLabel('Role').selectOption('coordinator');
    await form.getByLabel('Initial password').fill(`pw-${tag}-${tag}-Long1`);
    await form.getByRole('button', { name: 'Add user' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: USER, exact: true }) });
    await row.waitFor();
    await row.getByRole('button', { name: /^Deactivate/ }).click();
    await row.getByText('Deactivated').waitFor();
    await shot(page, '20-admin-users');
  });

  it('adds a location with its time zone and flow thresholds', async () => {
    await section('Locations');
    const form = page.getByRole('form', { name: 'Add location' });
    await form.getByLabel('Location name').fill(LOC);
    await form.getByLabel('Time zone').selectOption('America/Chicago');
    await form.getByLabel('Phone').fill('555-0300');
    await form.getByLabel('Address').fill('300 North Ave');
    await form.getByLabel('warn after').fill('12');
    await form.getByLabel('alert after').fill('25');
    await form.getByRole('button', { name: 'Add location' }).click();
    const row = page.getByRole('row').filter({ hasText: LOC });
    await row.waitFor();
    assert.match(await row.innerText(), /America\/Chicago/);
    await shot(page, '21-admin-locations');
  });

  it('adds a room to it', async () => {
    await section('Rooms');
    await page.getByLabel('Location', { exact: true }).selectOption({ label: LOC });
    const form = page.getByRole('form', { name: 'Add room' });
    await form.getByLabel('Room name').fill(ROOM);
    await form.getByRole('button', { name: 'Add room' }).click();
    await page.getByRole('rowheader', { name: ROOM }).waitFor();
  });

  it('adds a provider working there', async () => {
    await section('Providers');
    const form = page.getByRole('form', { name: 'Add provider' });
    await form.getByLabel('Provider name').fill(PROV);
    await form.getByLabel('Specialty').fill('Paediatrics');
    await form.getByLabel('Max overbook').fill('1');
    await form.getByRole('group', { name: 'Works at' }).getByLabel(LOC).check();
    await form.getByRole('button', { name: 'Add provider' }).click();
    await page.getByRole('rowheader', { name: PROV }).waitFor();
    await shot(page, '22-admin-providers');
  });

  it('adds an appointment type the provider does', async () => {
    await section('Appointment types');
    const form = page.getByRole('form', { name: 'Add appointment type' });
    await form.getByLabel('Type name').fill(TYPE);
    await form.getByLabel('Duration (minutes)').fill('30');
    await form.getByLabel('Telehealth (video)').check();
    await form.getByRole('group', { name: 'Eligible providers' }).getByLabel(PROV).check();
    await form.getByRole('button', { name: 'Add appointment type' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: TYPE }) });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(PROV));
    assert.match(await row.innerText(), /Telehealth/);
  });

  it('adds weekly availability for the provider', async () => {
    await section('Availability');
    await page.getByLabel('Provider', { exact: true }).selectOption({ label: PROV });
    const form = page.getByRole('form', { name: /Add availability/ });
    await form.getByRole('group', { name: 'Days' }).getByLabel('Monday').waitFor();
    await form.getByLabel('From', { exact: true }).fill('08:00');
    await form.getByLabel('Until', { exact: true }).fill('12:30');
    await form.getByLabel('Location', { exact: true }).selectOption({ label: LOC });
    await form.getByLabel('Room').selectOption({ label: ROOM });
    await form.getByRole('button', { name: 'Add availability' }).click();
    const monday = page.getByRole('listitem', { name: 'Monday' });
    await monday.getByText('08:00–12:30').waitFor();
    await page.getByRole('listitem', { name: 'Friday' }).getByText('08:00–12:30').waitFor();
    assert.equal(await page.getByRole('listitem', { name: 'Sunday' }).getByText('08:00–12:30').count(), 0);
    await shot(page, '23-admin-availability');
  });

  it('records a leave day for the provider', async () => {
    await section('Holidays and leave');
    await page.getByLabel('Location', { exact: true }).selectOption({ label: LOC });
    const form = page.getByRole('form', { name: 'Add holiday or leave' });
    await form.getByLabel('One provider').check();
    await form.getByLabel('Provider', { exact: true }).selectOption({ label: PROV });
    await form.getByLabel('First day').fill('2031-07-01');
    await form.getByLabel('Last day').fill('2031-07-03');
    await form.getByLabel('Reason').fill('Conference');
    await form.getByRole('button', { name: 'Add exception' }).click();
    await page.getByRole('row').filter({ hasText: 'Conference' }).waitFor();
    await shot(page, '24-admin-exceptions');
  });

  it('the new type can be booked from the Schedule page set-up', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Schedule' }).click();
    await page.getByLabel('Location', { exact: true }).selectOption({ label: LOC });
    await page.getByRole('group', { name: 'Providers' }).getByLabel(PROV).waitFor();
    await shot(page, '25-schedule-new-location');
    assert.deepEqual(page.errors, []);
  });
});
