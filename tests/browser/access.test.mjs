// Third next available, as a patient services manager would look at it:
// set-up by API (a location where one provider works every day and another only one day a week) → the manager
// opens Metrics at that location and the Third next available chart → there is no reading yet, so the manager
// takes one → the provider who works once a week is listed first with the days to their third open slot → the
// manager narrows to the visit type and sees its own chart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Api, assertServerUp, cap, daytimeZone, env, launch, letters, login, newPage, shot, weekdayIn } from './lib.mjs';

const E = env();
const manager = { user: process.env.MANAGER_USER, password: process.env.MANAGER_PASSWORD };
const tag = letters(6);

describe('third next available journey', { concurrency: false }, () => {
  let browser;
  const s = {};

  before(async () => {
    assert.ok(manager.user && manager.password, 'MANAGER_USER and MANAGER_PASSWORD are not set');
    await assertServerUp(E.base);
    const admin = new Api(E.base);
    await admin.login(E.admin);
    s.zone = daytimeZone();
    s.location = await admin.post('/api/v1/locations', { name: `Hillcrest ${cap(tag)}`, time_zone: s.zone });
    s.daily = await admin.post('/api/v1/providers', { name: `Dr. Daily ${cap(tag)}`, specialty: 'Family medicine', location_ids: [s.location.id] });
    s.weekly = await admin.post('/api/v1/providers', { name: `Dr. Weekly ${cap(tag)}`, specialty: 'Family medicine', location_ids: [s.location.id] });
    s.type = await admin.post('/api/v1/appointment-types', {
      name: `New patient ${cap(tag)}`, duration_minutes: 30, modality: 'in_person', provider_ids: [s.daily.id, s.weekly.id],
    });
    for (let weekday = 0; weekday < 7; weekday++) {
      await admin.post('/api/v1/templates', { provider_id: s.daily.id, location_id: s.location.id, weekday, start: '06:00', end: '22:00' });
    }
    // Four slots, four days from today.
    const weekday = (weekdayIn(s.zone) + 4) % 7;
    await admin.post('/api/v1/templates', { provider_id: s.weekly.id, location_id: s.location.id, weekday, start: '06:00', end: '08:00' });
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
  });

  it('the manager takes a reading and sees who has the longest wait for a new patient', async () => {
    const page = await newPage(browser);
    await login(page, E.base, manager);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Metrics' }).click();
    const filters = page.getByRole('search', { name: 'Metrics filters' });
    await filters.getByLabel('Location').selectOption({ label: s.location.name });
    await filters.getByRole('button', { name: 'Show metrics' }).click();
    await page.getByRole('link', { name: /Third next available/ }).click();
    await page.getByRole('heading', { name: 'Third next available', level: 2 }).waitFor();
    assert.match(await page.getByText(/Days from a request to the third open slot/).first().textContent(), /IHI/);

    const panel = page.getByRole('region', { name: 'By visit type and provider' });
    await panel.getByText(/No reading yet at this location/).waitFor();
    await panel.getByRole('button', { name: 'Take today’s reading again' }).click();
    await panel.getByText(/Read again now: \d+ visit type and provider pairs\./).waitFor();
    await panel.getByText(/mean 2 days over 2 visit type and provider pairs/).waitFor();
    const table = panel.getByRole('table', { name: /Third next available by visit type and provider/ });
    const first = table.getByRole('row').nth(1);
    assert.match(await first.textContent(), new RegExp(`New patient ${cap(tag)}Dr\\. Weekly ${cap(tag)}.*4 days`));
    assert.match(await table.getByRole('row').nth(2).textContent(), new RegExp(`Dr\\. Daily ${cap(tag)}.*0 days`));
    await shot(page, 'access-1-readings');

    await panel.getByLabel('Visit type').selectOption({ label: s.type.name });
    await panel.getByRole('img', { name: new RegExp(`Third next available: ${s.type.name}`) }).waitFor();
    await shot(page, 'access-2-one-visit-type');
    await page.close();
  });
});
