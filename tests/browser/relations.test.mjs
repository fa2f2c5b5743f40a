// The patient-relations journey, as the people involved would do it:
// a patient files a complaint on the public form (no sign-in) and keeps the reference number →
// a coordinator finds it and confirms CareDesk's triage into a grievance → the server's clock moves on
// eight days (the server runs with --test-clock) and the 7-day interim notice is overdue on the case and
// in the overdue list → the manager writes the decision letter, downloads and prints its PDF, records it
// as sent and resolves the grievance.
// This file moves the server's clock; it puts it back when done.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const manager = { user: process.env.MANAGER_USER, password: process.env.MANAGER_PASSWORD };
const tag = letters(6);
const WHAT = `I waited over three hours in the lobby with my father and nobody told us why (${tag}).`;
const REF = /CD-\d{4}-\d{6,9}-[0-9A-Z]/;

describe('patient relations journey', { concurrency: false }, () => {
  let browser;
  const s = {};

  before(async () => {
    assert.ok(manager.user && manager.password, 'MANAGER_USER and MANAGER_PASSWORD are not set');
    await assertServerUp(E.base);
    const admin = new Api(E.base);
    await admin.login(E.admin);
    s.location = await admin.post('/api/v1/locations', { name: `Riverside ${tag}`, time_zone: 'America/New_York' });
    browser = await launch();
  });

  after(async () => {
    const admin = new Api(E.base);
    await admin.login(E.admin);
    await admin.post('/api/v1/test/clock', { reset: true });
    await browser?.close();
  });

  it('a patient files a complaint on the public form and gets a reference number', async () => {
    const page = await newPage(browser, { width: 390, height: 844 });
    await page.goto(`${E.base}/complaint`);
    await page.getByLabel('Your name').fill('Maria Lopez');
    await page.getByLabel('Email address').fill('maria.lopez@example.org');
    await page.getByLabel('Where was it?').selectOption({ label: s.location.name });
    await page.getByLabel('What is it about?').selectOption('wait_times');
    await page.getByLabel('What happened?').fill(WHAT);
    await page.getByLabel('What would you like us to do?').fill('An explanation, and better updates while waiting.');
    await page.waitForTimeout(3200); // a person takes longer than the spam trap's 3 s
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('heading', { name: /we have received your message/ }).waitFor();
    s.reference = (await page.locator('.ref-number').textContent()).trim();
    assert.match(s.reference, REF);
    await shot(page, 'relations-1-public-form-done');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('a coordinator finds it and confirms the triage into a grievance', async () => {
    const page = await newPage(browser);
    await login(page, E.base, E.coord);
    await page.getByRole('link', { name: 'Relations' }).click();
    await page.getByRole('heading', { name: 'Patient relations' }).waitFor();
    await page.getByLabel('Search', { exact: true }).fill(s.reference);
    await page.getByRole('link', { name: s.reference }).click();
    await page.getByRole('heading', { name: s.reference }).waitFor();
    s.caseUrl = page.url();
    // CareDesk proposes a grievance: the concern came in writing and asks for a reply.
    const triage = page.getByRole('region', { name: 'Triage' });
    await triage.getByText(/in writing/i).first().waitFor();
    await triage.getByRole('button', { name: 'Confirm as grievance' }).click();
    await page.getByText(/Handled as a/).waitFor();
    assert.match(await page.getByRole('region', { name: 'Triage' }).textContent(), /grievance/);
    const deadlines = page.getByRole('region', { name: 'Deadlines' });
    assert.match(await deadlines.textContent(), /Resolve or send interim notice/);
    assert.doesNotMatch(await deadlines.textContent(), /Overdue/);
    await shot(page, 'relations-2-triaged');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('with the clock moved on, the 7-day interim notice is overdue', async () => {
    const admin = new Api(E.base);
    await admin.login(E.admin);
    await admin.post('/api/v1/test/clock', { advance_hours: 8 * 24 });
    const page = await newPage(browser);
    await login(page, E.base, E.coord); // eight days on, every earlier session has expired
    await page.goto(`${E.base}/cases`);
    await page.getByRole('button', { name: 'Overdue' }).click();
    const row = page.getByRole('row', { name: new RegExp(s.reference) });
    await row.waitFor();
    assert.match(await row.textContent(), /Overdue/);
    await page.goto(s.caseUrl);
    const deadlines = page.getByRole('region', { name: 'Deadlines' });
    await deadlines.waitFor();
    const interim = deadlines.getByRole('listitem').filter({ hasText: 'Resolve or send interim notice' });
    assert.match(await interim.textContent(), /Overdue/);
    await shot(page, 'relations-3-interim-overdue');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  it('the manager writes the decision letter, downloads and prints it, sends it and resolves the grievance', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.goto(s.caseUrl);
    const letter = page.getByRole('form', { name: 'Decision letter' });
    await letter.waitFor();
    await letter.getByLabel('Contact person').fill('Dana Ruiz');
    await letter.getByLabel('Their job title').fill('Patient Relations Manager');
    await letter.getByLabel('Their phone').fill('(212) 555-0100');
    await letter.getByLabel('Steps taken to investigate').fill('We reviewed the waiting-room log and spoke with the triage nurse on duty.');
    await letter.getByLabel('Results').fill('The lobby had no one assigned to give updates; a greeter now does so every 30 minutes.');
    const api = new Api(E.base);
    await api.login(manager);
    const found = await api.get(`/api/v1/cases?q=${encodeURIComponent(s.reference)}`);
    const received = found.items[0].received_at.slice(0, 10);
    await letter.getByLabel('Investigation completed on').fill(received);
    await letter.getByRole('button', { name: 'Save letter' }).click();
    const preview = page.getByRole('document', { name: 'Preview' });
    await preview.getByText(/a greeter now does so every 30 minutes/).waitFor();
    assert.match(await preview.textContent(), /Dana Ruiz/);
    assert.match(await preview.textContent(), new RegExp(s.reference));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download PDF' }).click()]);
    assert.match(download.suggestedFilename(), /\.pdf$/);
    const bytes = fs.readFileSync(await download.path());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const [printed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/letter.pdf') && r.status() === 200),
      page.getByRole('button', { name: 'Print' }).click(),
    ]);
    assert.equal(printed.headers()['content-type'], 'application/pdf');

    await page.getByRole('button', { name: 'Mark as sent' }).click();
    await page.getByRole('alertdialog').getByRole('button', { name: 'Mark as sent' }).click();
    await page.getByRole('alertdialog').waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'Mark as sent' }).waitFor({ state: 'detached' });
    await page.getByRole('group', { name: 'Change status' }).getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Mark resolved' }).click();
    await page.getByText('Now: Resolved').waitFor();
    const after = await api.get(`/api/v1/cases?q=${encodeURIComponent(s.reference)}`);
    assert.equal(after.items[0].status, 'resolved');
    assert.ok(after.items[0].decision_letter_at);
    await shot(page, 'relations-4-resolved');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
});
