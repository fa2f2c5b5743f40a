import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FhirExport, exportPath } from './FhirExport';
import { json, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const manifest = {
  transactionTime: '2026-11-24T18:00:00Z',
  request: 'http://h/fhir/R4/Group/location-1/$export',
  requiresAccessToken: true,
  output: [
    { type: 'Patient', url: 'http://h/fhir/R4/$export-file/job1/Patient-1.ndjson', count: 2 },
    { type: 'Encounter', url: 'http://h/fhir/R4/$export-file/job1/Encounter-1.ndjson', count: 3 },
  ],
  error: [],
};

const render = (permissions = ['interfaces.manage', 'patient.read']) =>
  renderPage(<FhirExport />, { route: '/interfaces?view=fhir', path: '/interfaces', role: 'manager', permissions });

describe('FHIR export', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('exports a location’s patients, follows the job, downloads a file with the token and deletes the files', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-9');
    let polls = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /fhir/R4/Group/location-1/$export': () =>
        new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), {
          status: 202,
          headers: { 'Content-Location': 'http://h/fhir/R4/$export-status/job1' },
        }),
      'GET /fhir/R4/$export-status/job1': () =>
        ++polls === 1
          ? new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), { status: 202, headers: { 'X-Progress': '2 resources written' } })
          : manifest,
      'GET /fhir/R4/$export-file/job1/Patient-1.ndjson': () =>
        new Response('{"resourceType":"Patient","id":"1"}\n', { status: 200, headers: { 'Content-Type': 'application/fhir+ndjson' } }),
      'DELETE /fhir/R4/$export-status/job1': { status: 202 },
    });
    const created = vi.fn(() => 'blob:export');
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: created, revokeObjectURL: vi.fn() }));
    const user = userEvent.setup();
    render();
    const form = await screen.findByRole('form', { name: 'Export FHIR data' });
    await user.click(within(form).getByLabelText('The patients of a location'));
    await user.click(within(form).getByRole('button', { name: 'Export' }));
    expect(await within(form).findByText('Choose a location.')).toBeInTheDocument();
    expect(m.calls.some((c) => c.url.pathname.includes('$export'))).toBe(false);
    await within(form).findByRole('option', { name: 'Riverside Clinic' });
    await user.selectOptions(within(form).getByRole('combobox', { name: /Location/ }), '1');
    await user.type(within(form).getByLabelText(/Only what changed since/), '2026-11-01');
    await user.click(within(form).getByRole('button', { name: 'Export' }));
    expect(await screen.findByText(/2 resources written/)).toBeInTheDocument();
    const files = await screen.findByRole('region', { name: 'Exported files' }, { timeout: 3000 });
    expect(files).toHaveTextContent('5 resources in 2 files');
    expect(within(files).getByRole('row', { name: /Encounter/ })).toHaveTextContent('3');
    const kick = m.callsTo('GET /fhir/R4/Group/location-1/$export')[0];
    expect(kick.headers.authorization).toBe('Bearer tok-9');
    expect(kick.headers.prefer).toBe('respond-async');
    expect(Date.parse(kick.url.searchParams.get('_since') ?? '')).toBe(new Date('2026-11-01T00:00:00').getTime());

    await user.click(within(files).getByRole('button', { name: 'Download Patient-1.ndjson' }));
    expect(m.callsTo('GET /fhir/R4/$export-file/job1/Patient-1.ndjson')[0].headers.authorization).toBe('Bearer tok-9');
    expect(created).toHaveBeenCalledTimes(1);

    await user.click(within(files).getByRole('button', { name: 'Delete the exported files' }));
    expect(m.callsTo('DELETE /fhir/R4/$export-status/job1')).toHaveLength(1);
    expect(screen.queryByRole('region', { name: 'Exported files' })).not.toBeInTheDocument();
  });

  it('says why an export failed', async () => {
    mockFetch({
      ...referenceRoutes,
      'GET /fhir/R4/Patient/$export': json(409, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'conflict', diagnostics: '2 exports are running; try again when one has finished' }],
      }),
    });
    const user = userEvent.setup();
    render();
    await user.click(await screen.findByRole('button', { name: 'Export' }));
    expect(await screen.findByText(/2 exports are running/)).toBeInTheDocument();
  });

  it('is not offered to a role that may not read patients, and builds each level’s path', () => {
    mockFetch({ ...referenceRoutes });
    render(['interfaces.manage']);
    expect(screen.queryByRole('form', { name: 'Export FHIR data' })).not.toBeInTheDocument();
    expect(exportPath('system', '', '')).toBe('/fhir/R4/$export');
    expect(exportPath('patients', '', '')).toBe('/fhir/R4/Patient/$export');
    expect(exportPath('provider', '', '7')).toBe('/fhir/R4/Group/provider-7/$export');
    expect(exportPath('location', '', '')).toBe('');
  });
});
