// The metric-alert journey, as a patient services manager would meet it:
// set-up by API (a new location whose complaints, one a week for eight weeks, were all acknowledged today, so the
// time to acknowledge falls week by week) → the manager opens Alerts and asks CareDesk to look now → the new
// signal is listed with its icon, period and values → the manager asks for alert emails about that location →
// opens the chart from the alert, with the records of the signalled week listed → acknowledges the alert with a
// note, and finds it under Acknowledged.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, env, launch, letters, login, newPage, shot } from './lib.mjs';

const E = env();
const manager = { user: process.env.MANAGER_USER, password: process.env.MANAGER_PASSWORD };
const tag = letters(6);
const DAY_MS = 86_400_000;

describe('metric alert journey', { concurrency: false }, () => {
  let browser;
  const s = {};

  before(async () => {
    assert.ok(manager.user && manager.password, 'MANAGER_USER and MANAGER_PASSWORD are not set');
    await assertServerUp(E.base);
    const admin = new Api(E.base);
    await admin.login(E.admin);
    s.location = await admin.post('/api/v1/locations', { name: `Brookside ${cap(tag)}`, time_zone: 'America/New_York' });
    const now = Date.now();
    for (let k = 8; k >= 1; --k) {
      const c = await admin.post('/api/v1/cases', {
        channel: 'letter', category: 'communication', severity: 'medium', description: `Nobody called me back (week ${k}, ${tag})`,
        location_id: s.location.id, contact_name: 'Sam Example', contact_preference: 'phone', contact_phone: '555-0100',
        received_at: new Date(now - k * 7 * DAY_MS).toISOString(),
      });
      await admin.post(`/api/v1/cases/${c.id}/status`, { status: 'acknowledged', note: 'Called back' });
    }
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('the manager finds the new signal, subscribes, opens its chart and acknowledges it', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await page.getByRole('heading', { name: 'Metric alerts' }).waitFor();
    await page.getByLabel('Location', { exact: true }).first().selectOption({ label: s.location.name });
    await page.getByRole('button', { name: 'Look for new signals now' }).click();
    await page.getByText(/new signals? in \d+ charts/).waitFor();

    const card = page.getByRole('listitem', { name: `Time to acknowledge at ${s.location.name}` });
    await card.waitFor();
    assert.match(await card.textContent(), /Week of \d+ \w+ \d{4}/);
    assert.match(await card.textContent(), /(Below LCL|7 Point Trend \(Decreasing\)) — an improvement: [\d,.]+ hours \(centre/);
    assert.equal(await card.getByRole('img', { name: 'Special cause — improving (lower)' }).count(), 1);
    await shot(page, 'alerts-1-new-signal');

    // Alert emails about this location, for every metric.
    const form = page.getByRole('form', { name: 'Add alert emails' });
    await form.getByLabel('Email address').fill(`manager.${tag}@clinic.example`);
    await form.getByLabel('Location').selectOption({ label: s.location.name });
    await form.getByRole('button', { name: 'Email me these alerts' }).click();
    const subs = page.getByRole('table', { name: 'Your alert emails' });
    await subs.getByRole('row', { name: new RegExp(`${s.location.name} Every metric manager.${tag}@clinic.example`) }).waitFor();

    // The chart, with the records of the signalled week listed.
    await card.getByRole('link', { name: /Open the chart/ }).click();
    await page.getByRole('region', { name: 'Time to acknowledge', exact: true }).waitFor();
    const records = page.getByRole('table', { name: /^Records behind Time to acknowledge, week of / });
    await records.waitFor();
    assert.equal(await records.locator('tbody tr').count(), 1, 'the one complaint of that week');
    await shot(page, 'alerts-2-chart');

    // Back to the alerts: acknowledge with a note.
    await page.goBack();
    await card.waitFor();
    await card.getByRole('button', { name: /Acknowledge/ }).click();
    const dialog = page.getByRole('dialog', { name: /Acknowledge: Time to acknowledge/ });
    await dialog.getByLabel(/Note/).fill('The new call-back rota is working.');
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await card.waitFor({ state: 'detached' });
    await page.getByLabel('Status').selectOption('acknowledged');
    const done = page.getByRole('listitem', { name: `Time to acknowledge at ${s.location.name}` });
    await done.waitFor();
    assert.match(await done.textContent(), /Acknowledged by manager on .*: “The new call-back rota is working\.”/);
    await shot(page, 'alerts-3-acknowledged');
  });
});
