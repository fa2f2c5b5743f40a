import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FhirExport, exportPath, exportScope } from './FhirExport';
import { fmtDateTime } from '../lib/time';
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

/** Text as toHaveTextContent reads it: every run of white space (the narrow one before PM too) one space. */
const spaced = (text: string) => text.replace(/\s+/g, ' ');

const render = (permissions = ['interfaces.manage', 'patient.read']) =>
  renderPage(<FhirExport />, { route: '/interfaces?view=fhir', path: '/interfaces', role: 'manager', permissions });

describe('FHIR export', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('exports a location’s patients, follows the job, downloads a file with the token and deletes the files', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-9');
    let polls = 0;
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/fhir/jobs': { items: [] },
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
      'GET /api/v1/fhir/jobs': { items: [] },
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

  it('lists the earlier exports, shows a finished one’s files again with when they expire, and deletes one', async () => {
    const jobs = [
      {
        id: 'job1', kind: 'export', state: 'done', done: 5, started_at: '2026-11-24T18:00:00Z',
        request: 'http://h/fhir/R4/Group/location-1/$export', expires_at: '2026-11-25T18:00:05Z',
        status_url: '/fhir/R4/$export-status/job1',
      },
      {
        id: 'job2', kind: 'export', state: 'failed', done: 120, started_at: '2026-11-24T17:00:00Z',
        request: 'http://h/fhir/R4/Patient/$export', expires_at: '2026-11-25T17:01:00Z',
        error: 'interrupted: the server process running it stopped; what it had written stays, start it again',
        status_url: '/fhir/R4/$export-status/job2',
      },
    ];
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/fhir/jobs': () => json(200, { items: jobs }),
      'GET /fhir/R4/$export-status/job1': () =>
        new Response(JSON.stringify(manifest), { status: 200, headers: { Expires: 'Wed, 25 Nov 2026 18:00:05 GMT' } }),
      'DELETE /fhir/R4/$export-status/job2': () => {
        jobs.pop();
        return new Response(null, { status: 202 });
      },
    });
    const user = userEvent.setup();
    render();
    const list = await screen.findByRole('table', { name: 'Your exports, newest first' });
    expect(m.callsTo('GET /api/v1/fhir/jobs')[0].url.searchParams.get('kind')).toBe('export');
    const done = await within(list).findByRole('row', { name: /The patients of Riverside Clinic/ });
    expect(done).toHaveTextContent('Done');
    expect(done).toHaveTextContent(spaced(fmtDateTime('2026-11-25T18:00:05Z')));
    const failed = within(list).getByRole('row', { name: /Every patient’s data/ });
    expect(failed).toHaveTextContent('Failed');
    expect(failed).toHaveTextContent(/interrupted: the server process running it stopped/);
    expect(within(failed).queryByRole('button', { name: /Show the files/ })).not.toBeInTheDocument();

    await user.click(within(done).getByRole('button', { name: /Show the files of the export/ }));
    const files = await screen.findByRole('region', { name: 'Exported files' });
    expect(files).toHaveTextContent('5 resources in 2 files');
    expect(files).toHaveTextContent(spaced(`kept until ${fmtDateTime('2026-11-25T18:00:05Z')}`));

    await user.click(within(failed).getByRole('button', { name: /Delete the export of/ }));
    expect(m.callsTo('DELETE /fhir/R4/$export-status/job2')).toHaveLength(1);
    await waitFor(() => expect(screen.queryByRole('row', { name: /Every patient’s data/ })).not.toBeInTheDocument());
    expect(m.callsTo('GET /api/v1/fhir/jobs').length).toBeGreaterThanOrEqual(2);
    expect(screen.getByRole('row', { name: /The patients of Riverside Clinic/ })).toBeInTheDocument();
  });

  it('names what an export was of from its request', () => {
    const places = [{ id: 3, name: 'Harbour Clinic' }];
    const people = [{ id: 7, name: 'Dr. Ito' }];
    expect(exportScope('http://h/fhir/R4/$export?_type=Patient', places, people)).toBe('Everything, set-up included');
    expect(exportScope('http://h/fhir/R4/Patient/$export', places, people)).toBe('Every patient’s data');
    expect(exportScope('http://h/fhir/R4/Group/location-3/$export', places, people)).toBe('The patients of Harbour Clinic');
    expect(exportScope('http://h/fhir/R4/Group/provider-7/$export', places, people)).toBe('The patients of Dr. Ito');
    expect(exportScope('http://h/fhir/R4/Group/provider-9/$export', places, people)).toBe('The patients of provider 9');
    expect(exportScope('http://h/fhir/R4/Patient/$export?_since=2026-11-01T00%3A00%3A00.000Z', places, people)).toBe(
      `Every patient’s data, changed since ${fmtDateTime('2026-11-01T00:00:00.000Z')}`,
    );
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
