// The front-desk journey, as a new coordinator would do it:
// search (with a typo) → register (duplicate warning → register anyway) → book first available →
// see it on the calendar → reschedule and cancel → check in → flow board live update → undo →
// auditor finds the views of that patient.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, daytimeZone, env, launch, letters, login, newPage, shot, todayIn } from './lib.mjs';

const E = env();
const tag = letters(6);
const FAM = `Oduya${tag}`; // unique family name for this run
const either = (given) => new RegExp(`${given}.*${FAM}|${FAM}.*${given}`);
const P0 = either('Katherine'); // on file before the run (the near-duplicate)
const P1 = either('Catherine'); // registered through the UI

describe('front desk journey', { concurrency: false }, () => {
  let browser;
  let page;
  const s = {}; // ids shared between steps

  before(async () => {
    await assertServerUp(E.base);
    // Set-up through the API as admin: a location in daytime, a provider available all week, a type, a patient.
    const admin = new Api(E.base);
    await admin.login(E.admin);
    s.zone = daytimeZone();
    s.today = todayIn(s.zone);
    s.location = await admin.post('/api/v1/locations', {
      name: `E2E Clinic ${tag}`, time_zone: s.zone, address: '1 Test Way', phone: '555-0100', flow_warn_minutes: 10, flow_alert_minutes: 20,
    });
    s.room = await admin.post('/api/v1/rooms', { location_id: s.location.id, name: `Exam ${tag}`, active: true });
    s.provider = await admin.post('/api/v1/providers', {
      name: `Dr. ${cap(tag)} Test`, specialty: 'Family medicine', location_ids: [s.location.id], max_overbook: 0, active: true,
    });
    s.type = await admin.post('/api/v1/appointment-types', {
      name: `E2E Visit ${tag}`, duration_minutes: 30, modality: 'in_person', provider_ids: [s.provider.id], color: '#2f7fbf', active: true,
    });
    const until = new Date(Date.parse(`${s.today}T12:00:00Z`) + 60 * 86400_000).toISOString().slice(0, 10);
    for (let weekday = 0; weekday < 7; weekday++) {
      await admin.post('/api/v1/templates', {
        provider_id: s.provider.id, location_id: s.location.id, room_id: s.room.id, weekday, start: '06:00', end: '22:00', valid_from: s.today, valid_to: until,
      });
    }
    s.p0 = await admin.post('/api/v1/patients', {
      given_name: 'Katherine', family_name: FAM, birth_date: '1988-04-12', sex: 'female', phone: '555-0188', confirm_new: true,
    });
    // A second appointment today (the last open slot) for the reschedule/cancel step.
    const slots = await admin.get(
      `/api/v1/slots?appointment_type=${s.type.id}&provider=${s.provider.id}&location=${s.location.id}` +
        `&from=${encodeURIComponent(new Date(Date.now()).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 36 * 3600_000).toISOString())}`,
    );
    const todays = slots.items.filter((x) => x.start.slice(0, 10) === s.today);
    assert.ok(todays.length >= 3, `expected open slots today (${s.today}, ${s.zone}) from the new template, got ${todays.length}`);
    const last = todays[todays.length - 1];
    s.a2 = await admin.post('/api/v1/appointments', {
      patient_id: s.p0.id, appointment_type_id: s.type.id, provider_id: last.provider_id, location_id: last.location_id, start: last.start,
      ...(last.room_id != null ? { room_id: last.room_id } : {}),
    });

    browser = await launch();
    page = await newPage(browser);
  });

  after(async () => {
    await browser?.close();
  });

  it('coordinator signs in', async () => {
    await page.goto(`${E.base}/login`);
    await shot(page, '01-login');
    await login(page, E.base, E.coord);
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const name of ['Patients', 'Schedule', 'Flow board']) await nav.getByRole('link', { name }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Admin' }).count(), 0, 'a coordinator must not see Admin');
  });

  it('finds a patient despite a typo', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Patients' }).click();
    await page.getByRole('searchbox', { name: 'Search patients' }).fill(`Katherne ${FAM}`); // "Katherine" misspelt
    await page.getByRole('link', { name: P0 }).first().waitFor();
    await shot(page, '02-patient-search');
  });

  it('registers a near-duplicate: warning with candidates, then "Register anyway"', async () => {
    await page.getByRole('link', { name: 'Register patient' }).click();
    await page.getByRole('heading', { name: 'Register patient' }).waitFor();
    await page.getByLabel('Given name').fill('Catherine');
    await page.getByLabel('Family name').fill(FAM);
    await page.getByLabel('Date of birth').fill('1988-04-12');
    await page.getByLabel('Sex').selectOption('female');
    await page.getByLabel('Phone', { exact: true }).fill('555-0199');
    await page.getByLabel('Email', { exact: true }).fill(`c.${tag}@example.org`);
    await page.getByLabel('Preferred language').selectOption({ label: 'English' });
    await page.getByLabel('Preferred contact method').selectOption('sms');
    await page.getByLabel('Address line 1').fill('22 Harbour Street');
    await page.getByLabel('City').fill('Springfield');
    await page.getByLabel('Postal code').fill('62701');
    await page.getByLabel('Contact name').fill('Sam Oduya');
    await page.getByLabel('Relationship', { exact: true }).fill('Brother');
    await page.getByLabel('Contact phone').fill('555-0142');
    await page.getByRole('button', { name: 'Add coverage' }).click();
    await page.getByLabel(/^Payer/).fill('Acme Health');
    await page.getByLabel(/^Member ID/).fill(`M-${tag}`);
    await page.getByLabel('Consent to treatment', { exact: true }).check();
    await page.getByLabel('Privacy notice acknowledged', { exact: true }).check();
    await shot(page, '03-register-form');
    await page.getByRole('button', { name: 'Register patient' }).click();

    const dialog = page.getByRole('alertdialog', { name: 'Possible duplicate patient' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: /Open existing patient/ }).first().waitFor();
    assert.match(await dialog.innerText(), /%/, 'the dialog shows a match probability');
    await shot(page, '04-duplicate-dialog');
    await dialog.getByRole('button', { name: 'Register anyway' }).click();

    await page.getByRole('heading', { level: 1, name: P1 }).waitFor();
    s.p1id = decodeURIComponent(new URL(page.url()).pathname.split('/')[2]);
    assert.ok(s.p1id, 'landed on the new patient page');
    await page.getByRole('heading', { name: 'Coverage' }).waitFor();
    await shot(page, '05-patient-page');
  });

  it('books the first available slot', async () => {
    await page.getByRole('link', { name: 'Book appointment' }).click();
    await page.getByRole('heading', { name: /What kind of visit/ }).waitFor();
    await page.getByLabel('Appointment type').selectOption(String(s.type.id));
    await page.getByLabel('Location', { exact: true }).selectOption(String(s.location.id));
    await page.getByRole('button', { name: 'Find open times' }).click();
    await page.getByRole('button', { name: 'Choose first available' }).waitFor();
    await shot(page, '06-book-slots');
    await page.getByRole('button', { name: 'Choose first available' }).click();
    await page.getByRole('heading', { name: /Confirm the booking/ }).waitFor();
    await page.getByRole('button', { name: 'Confirm booking' }).click();
    await page.getByRole('heading', { name: 'Appointment booked' }).waitFor();
    await shot(page, '07-book-done');
    const href = await page.getByRole('link', { name: 'See it on the calendar' }).getAttribute('href');
    assert.match(href, new RegExp(`date=${s.today}`), `the first available slot should be today (${s.today}) in ${s.zone}`);
  });

  it('shows the booking on the day calendar', async () => {
    await page.getByRole('link', { name: 'See it on the calendar' }).click();
    await page.getByRole('heading', { name: 'Schedule' }).waitFor();
    await page.getByRole('button', { name: P1 }).waitFor();
    await page.getByRole('button', { name: P0 }).waitFor();
    await shot(page, '08-calendar-day');
  });

  it('reschedules and then cancels an appointment from the calendar', async () => {
    await page.getByRole('button', { name: P0 }).click();
    const panel = page.getByRole('complementary', { name: 'Appointment details' });
    await panel.waitFor();
    await panel.getByRole('button', { name: 'Reschedule' }).click();
    const rs = page.getByRole('dialog', { name: 'Reschedule appointment' });
    await rs.waitFor();
    const firstSlot = rs.locator('.slot-grid').first().getByRole('button').first();
    await firstSlot.waitFor();
    await firstSlot.click();
    await rs.getByRole('button', { name: /^Move to/ }).click();
    await rs.waitFor({ state: 'detached' });
    await page.getByRole('status').filter({ hasText: 'Appointment rescheduled' }).waitFor();

    // Cancel it, with a reason
    await panel.getByRole('button', { name: 'Cancel appointment' }).click();
    const cancel = page.getByRole('dialog', { name: 'Cancel appointment' });
    await cancel.getByLabel('Reason').selectOption('Patient request');
    await cancel.getByLabel('Details').fill('Moving away');
    await cancel.getByRole('button', { name: 'Cancel appointment' }).click();
    await cancel.waitFor({ state: 'detached' });
    await panel.getByText('Cancelled', { exact: true }).first().waitFor();
    await shot(page, '09-appointment-cancelled');

    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.getByRole('heading', { name: /^Week of/ }).waitFor();
    await shot(page, '10-calendar-week');
  });

  it('checks the patient in and sees the flow board update live in another window', async () => {
    // A second window (its own session) watching the board.
    const watcher = await newPage(browser);
    await login(watcher, E.base, E.coord);
    await watcher.goto(`${E.base}/flow?location=${encodeURIComponent(s.location.id)}`);
    await watcher.getByRole('heading', { name: 'Flow board' }).waitFor();
    await watcher.evaluate(() => (window.__noReload = true));

    await page.goto(`${E.base}/flow?location=${encodeURIComponent(s.location.id)}`);
    const toCheckIn = page.getByRole('region', { name: 'To check in today' });
    const checkIn = toCheckIn.getByRole('button', { name: new RegExp(`Check in.*(${P1.source})`) });
    await checkIn.click();
    const anyway = page.getByRole('alertdialog', { name: /not today/i });
    if (await anyway.isVisible().catch(() => false)) await anyway.getByRole('button', { name: 'Check in anyway' }).click();

    const rowIn = (p, state) => p.getByRole('row', { name: new RegExp(`(${P1.source}), ${state}$`) });
    await rowIn(page, 'Arrived').waitFor();
    await rowIn(watcher, 'Arrived').waitFor({ timeout: 20_000 });
    await shot(page, '11-flow-board');

    // Advance: Arrived → Roomed
    await rowIn(page, 'Arrived').getByRole('button', { name: /^Room/ }).click();
    await rowIn(page, 'Roomed').waitFor();
    await rowIn(watcher, 'Roomed').waitFor({ timeout: 20_000 });
    await shot(watcher, '12-flow-board-live');

    // Undo → back to Arrived, seen live by the watcher too
    await rowIn(page, 'Roomed').getByRole('button', { name: /Undo/ }).click();
    await rowIn(page, 'Arrived').waitFor();
    await rowIn(watcher, 'Arrived').waitFor({ timeout: 20_000 });
    assert.equal(await watcher.evaluate(() => window.__noReload), true, 'the watching window updated without reloading');
    assert.deepEqual(watcher.errors, []);
    await watcher.context().close();
  });

  it('the patient’s page lists the visit, still open', async () => {
    await page.goto(`${E.base}/patients/${encodeURIComponent(s.p1id)}`);
    const visits = page.getByRole('region', { name: 'Visits' });
    const row = visits.getByRole('row').filter({ hasText: /Open\s*$/ });
    await row.waitFor();
    assert.match(await row.innerText(), new RegExp(`${s.location.name}[\\s\\S]*Arrived`), 'where, and the state it is in');
    await visits.scrollIntoViewIfNeeded();
    await shot(page, '12b-patient-visits');
  });

  it('no script errors for the coordinator', () => {
    assert.deepEqual(page.errors, []);
  });

  it('the auditor finds the views of that patient', async () => {
    const auditor = await newPage(browser);
    await login(auditor, E.base, E.auditor);
    const nav = auditor.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Audit' }).click();
    await auditor.getByRole('heading', { name: 'Audit trail' }).waitFor();
    await auditor.getByLabel('Patient ID').fill(String(s.p1id));
    await auditor.getByLabel('Username').fill(E.coord.user);
    await auditor.getByRole('button', { name: 'Search audit events' }).click();
    const rows = auditor.getByRole('table').getByRole('row');
    await rows.nth(1).waitFor();
    const text = await auditor.getByRole('table').innerText();
    assert.match(text, new RegExp(E.coord.user), 'events by the coordinator are listed');
    assert.match(text, /read|view|access/i, 'a view of the patient is listed');
    await shot(auditor, '13-audit');
    assert.deepEqual(auditor.errors, []);
    await auditor.context().close();
  });
});
