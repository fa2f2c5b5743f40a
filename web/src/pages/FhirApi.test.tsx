import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import type { FhirBundle, FhirCapability, FhirPatient } from '../api/types';
import { json, mockFetch } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { userWhere } from './FhirImport';
import { InterfacesPage } from './InterfacesPage';

const META: FhirCapability = {
  resourceType: 'CapabilityStatement',
  fhirVersion: '4.0.1',
  rest: [
    {
      resource: [
        {
          type: 'Patient',
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [
            { name: 'family', type: 'string', documentation: 'The family name' },
            { name: 'birthdate', type: 'date' },
          ],
        },
        {
          type: 'Observation',
          interaction: [{ code: 'read' }, { code: 'create' }],
          searchParam: [{ name: 'patient', type: 'reference' }],
          documentation: 'Kept as sent and served back unchanged (CareDesk has no model of it)',
        },
      ],
    },
  ],
};

const patient = (id: string, given: string, family: string, birthDate: string): FhirPatient => ({
  resourceType: 'Patient',
  id,
  name: [{ use: 'official', family, given: [given] }],
  birthDate,
  gender: 'female',
  identifier: [{ system: 'urn:caredesk:mrn', value: `MRN0000000${id}` }],
});

const PAGE1: FhirBundle<FhirPatient> = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 3,
  link: [
    { relation: 'self', url: 'http://h/fhir/R4/Patient?family=smi' },
    { relation: 'next', url: 'http://h/fhir/R4/Patient?family=smi&_cursor=8' },
  ],
  entry: [
    { resource: patient('7', 'Ann', 'Smith', '1961-03-04'), search: { mode: 'match' } },
    { resource: patient('8', 'Bea', 'Smithers', '1975-11-30'), search: { mode: 'match' } },
    {
      resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'search parameters not supported, so not applied: address-city' }] },
      search: { mode: 'outcome' },
    },
  ],
};
const PAGE2: FhirBundle<FhirPatient> = {
  resourceType: 'Bundle',
  type: 'searchset',
  total: 3,
  link: [{ relation: 'self', url: 'http://h/fhir/R4/Patient?family=smi' }],
  entry: [{ resource: patient('9', 'Cy', 'Smithson', '1990-06-15'), search: { mode: 'match' } }],
};

const render = () =>
  renderPage(<InterfacesPage />, { route: '/interfaces?view=fhir', path: '/interfaces', role: 'admin', permissions: ['interfaces.manage'] });

describe('FHIR tab', () => {
  it('shows where the API is and what the server states it serves', async () => {
    mockFetch({ 'GET /fhir/R4/metadata': META });
    render();
    expect(screen.queryByRole('button', { name: 'Import' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'FHIR' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText(`${window.location.origin}/fhir/R4`)).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Resources served' });
    const row = within(table).getByRole('row', { name: /Patient/ });
    expect(row).toHaveTextContent('read, search-type');
    expect(within(row).getByText('family')).toHaveAttribute('title', 'The family name');
    expect(within(table).queryByRole('row', { name: /Observation/ })).not.toBeInTheDocument();
    expect(screen.getByText(/1 other resource type is kept as sent \(Observation\)/)).toBeInTheDocument();
  });

  it('searches patients as the signed-in user, pages with the next link and says what was not applied', async () => {
    const m = mockFetch({
      'GET /fhir/R4/metadata': META,
      'GET /fhir/R4/Patient': (req) => (req.url.searchParams.get('_cursor') ? PAGE2 : PAGE1),
    });
    setToken('session-token');
    const user = userEvent.setup();
    render();
    await user.type(screen.getByLabelText('Family name'), 'smi');
    await user.selectOptions(screen.getByLabelText('Born'), 'before');
    await user.type(screen.getByLabelText('Birth date'), '1990');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    const table = await screen.findByRole('table', { name: 'Patients found' });
    const sent = m.callsTo('GET /fhir/R4/Patient')[0];
    expect(Object.fromEntries(sent.url.searchParams)).toEqual({ family: 'smi', birthdate: 'lt1990', _count: '20' });
    expect(sent.headers.authorization).toBe('Bearer session-token');
    expect(screen.getByText('3 patients match')).toBeInTheDocument();
    expect(screen.getByRole('note')).toHaveTextContent('address-city');
    expect(within(table).getByRole('link', { name: 'Ann Smith' })).toHaveAttribute('href', '/patients/7');
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/Ann Smith\s*1961-03-04\s*female\s*MRN00000007/);
    await user.click(screen.getByRole('button', { name: 'Next page' }));
    expect(await screen.findByRole('link', { name: 'Cy Smithson' })).toBeInTheDocument();
    expect(m.callsTo('GET /fhir/R4/Patient')[1].url.searchParams.get('_cursor')).toBe('8');
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(screen.queryByRole('button', { name: 'Next page' })).not.toBeInTheDocument();
  });

  it('puts the server’s objection on the field it names', async () => {
    mockFetch({
      'GET /fhir/R4/metadata': META,
      'GET /fhir/R4/Patient': json(400, {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid', diagnostics: 'birthdate: "1990-02-30" is not a FHIR date', expression: ['birthdate'] }],
      }),
    });
    const user = userEvent.setup();
    render();
    await user.type(screen.getByLabelText('Birth date'), '1990-02-30');
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('birthdate: "1990-02-30" is not a FHIR date')).toBeInTheDocument();
    expect(screen.getByLabelText('Birth date')).toHaveAttribute('aria-invalid', 'true');
  });

  it('asks for a criterion before searching', async () => {
    const m = mockFetch({ 'GET /fhir/R4/metadata': META });
    const user = userEvent.setup();
    render();
    await user.click(screen.getByRole('button', { name: 'Search' }));
    expect(await screen.findByText('Give at least one of the fields.')).toBeInTheDocument();
    expect(m.callsTo('GET /fhir/R4/Patient')).toHaveLength(0);
  });

  it('lets an admin issue a token for a system, shown once, and puts an objection on its field', async () => {
    const m = mockFetch({
      'GET /fhir/R4/metadata': META,
      'GET /api/v1/system-tokens': { items: [] },
      'GET /api/v1/users': {
        items: [
          { id: 4, username: 'ehr-feed', display_name: 'EHR feed', role: 'coordinator', active: true },
          { id: 5, username: 'gone', display_name: 'Gone', role: 'billing', active: false },
        ],
      },
      'POST /api/v1/system-tokens': (req) =>
        String((req.body as { scope: string }).scope).startsWith('patient/')
          ? json(400, { error: { code: 'invalid_scope', message: 'scope "patient/*.read": patient/ scopes need a SMART launch', field: 'scope' } })
          : json(201, {
              token: 'tok-123',
              expires_at: '2027-02-22T08:00:00Z',
              scope: 'system/*.read',
              user: { id: 4, username: 'ehr-feed', display_name: 'EHR feed', role: 'coordinator', active: true },
            }),
    });
    const user = userEvent.setup();
    renderPage(<InterfacesPage />, {
      route: '/interfaces?view=fhir',
      path: '/interfaces',
      role: 'admin',
      permissions: ['interfaces.manage', 'user.admin'],
    });
    const form = await screen.findByRole('form', { name: 'Issue a token for a system' });
    await user.click(within(form).getByRole('button', { name: 'Issue the token' }));
    expect(await screen.findByText('Choose the user the system acts as.')).toBeInTheDocument();
    const who = within(form).getByLabelText(/Acts as/);
    await screen.findByRole('option', { name: /EHR feed/ });
    expect(screen.queryByRole('option', { name: /Gone/ })).not.toBeInTheDocument();
    await user.selectOptions(who, 'ehr-feed');
    const scope = within(form).getByLabelText(/Scopes/);
    await user.clear(scope);
    await user.type(scope, 'patient/*.read');
    await user.click(within(form).getByRole('button', { name: 'Issue the token' }));
    expect(await screen.findByText(/patient\/ scopes need a SMART launch/)).toBeInTheDocument();
    expect(scope).toHaveAttribute('aria-invalid', 'true');
    await user.clear(scope);
    await user.type(scope, 'system/*.read');
    await user.clear(within(form).getByLabelText(/Days/));
    await user.type(within(form).getByLabelText(/Days/), '30');
    await user.click(within(form).getByRole('button', { name: 'Issue the token' }));
    expect(await screen.findByLabelText('The new token')).toHaveTextContent('tok-123');
    expect(m.callsTo('POST /api/v1/system-tokens')[1].body).toEqual({ username: 'ehr-feed', scope: 'system/*.read', days: 30 });
    expect(m.callsTo('GET /api/v1/system-tokens').length).toBeGreaterThanOrEqual(2);  // the list is read again
  });

  it('lists the tokens in use without the tokens, and revokes one', async () => {
    let live = true;
    const m = mockFetch({
      'GET /fhir/R4/metadata': META,
      'GET /api/v1/users': { items: [] },
      'GET /api/v1/system-tokens': () => ({
        items: live
          ? [{
              id: 31,
              scope: 'system/Patient.read',
              user: { id: 4, username: 'ehr-feed', display_name: 'EHR feed', role: 'coordinator', active: true },
              issued_at: '2026-11-20T08:00:00Z',
              expires_at: '2027-02-18T08:00:00Z',
              last_used_at: '2026-11-24T07:00:00Z',
            }]
          : [],
      }),
      'DELETE /api/v1/system-tokens/31': () => {
        live = false;
        return json(204);
      },
    });
    const user = userEvent.setup();
    renderPage(<InterfacesPage />, {
      route: '/interfaces?view=fhir',
      path: '/interfaces',
      role: 'admin',
      permissions: ['interfaces.manage', 'user.admin'],
    });
    const table = await screen.findByRole('table', { name: 'Tokens in use' });
    expect(within(table).getByRole('row', { name: /ehr-feed/ })).toHaveTextContent('system/Patient.read');
    await user.click(within(table).getByRole('button', { name: 'Revoke the token of ehr-feed (system/Patient.read)' }));
    expect(await screen.findByText('No token for a system is in use.')).toBeInTheDocument();
    expect(m.callsTo('DELETE /api/v1/system-tokens/31')).toHaveLength(1);
  });

  it('shows no token form to a manager, who may not administer users', async () => {
    mockFetch({ 'GET /fhir/R4/metadata': META });
    render();
    await screen.findByRole('table', { name: 'Resources served' });
    expect(screen.queryByRole('form', { name: 'Issue a token for a system' })).not.toBeInTheDocument();
  });

  it('imports the chosen files: the ndjson ones together, each Bundle alone, following each to its report', async () => {
    const statusOf: Record<string, number> = {};
    const m = mockFetch({
      'GET /fhir/R4/metadata': META,
      'GET /api/v1/system-tokens': { items: [] },
      'GET /api/v1/users': { items: [] },
      'POST /fhir/R4/$import': (req) => {
        const job = typeof req.body === 'string' ? 'nd' : 'bundle';
        return new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), {
          status: 202,
          headers: { 'Content-Location': `http://h/fhir/R4/$import-status/${job}` },
        });
      },
      'GET /fhir/R4/$import-status/nd': () => {
        statusOf.nd = (statusOf.nd ?? 0) + 1;
        if (statusOf.nd === 1) {
          return new Response(JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }), {
            status: 202,
            headers: { 'X-Progress': 'patients: 100 of 615' },
          });
        }
        return {
          transactionTime: '2026-11-24T18:00:00Z', read: 617, patientsCreated: 614, patientsUpdated: 0, refused: 1,
          output: [{ type: 'Patient', count: 614 }, { type: 'Organization', count: 2 }],
          skipped: [{ type: 'Practitioner', count: 82 }],
          error: ['input.ndjson:2: Patient.birthDate: CareDesk needs the patient’s birth date'],
          warning: ['input.ndjson:1: registered as a new patient (332) without identifier x|1'],
        };
      },
      'GET /fhir/R4/$import-status/bundle': json(500, {
        resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'the import failed: disk full' }],
      }),
      'DELETE /fhir/R4/$import-status/nd': { status: 204 },
      'DELETE /fhir/R4/$import-status/bundle': { status: 204 },
    });
    const user = userEvent.setup();
    renderPage(<InterfacesPage />, {
      route: '/interfaces?view=fhir', path: '/interfaces', role: 'admin', permissions: ['interfaces.manage', 'patient.write'],
    });
    await user.click(await screen.findByRole('button', { name: 'Import' }));
    expect(await screen.findByText('Choose one or more .ndjson or .json files.')).toBeInTheDocument();
    expect(screen.getByLabelText(/Files/)).toHaveAttribute('aria-invalid', 'true');
    await user.upload(screen.getByLabelText(/Files/), [
      new File(['{"resourceType":"Patient"}'], 'Patient.ndjson'),
      new File(['{"resourceType":"Organization"}\n'], 'Organization.ndjson'),
      new File(['{"resourceType":"Bundle","type":"transaction"}'], 'bundle.json'),
    ]);
    await user.click(screen.getByRole('button', { name: 'Import' }));
    expect(await screen.findByText(/patients 100 of 615/)).toBeInTheDocument();
    expect(screen.getByRole('progressbar', { name: 'Import of 2 ndjson files' })).toHaveAttribute('value', '100');
    const report = await screen.findByRole('region', { name: 'Imported 2 ndjson files' }, { timeout: 3000 });
    expect(report).toHaveTextContent('Read 617 resources and wrote 616: 614 new patients, 0 updated. 1 refused.');
    expect(within(report).getByRole('row', { name: /Organization/ })).toHaveTextContent('2');
    expect(within(report).getByRole('alert')).toHaveTextContent('Organization.ndjson:1: Patient.birthDate');
    expect(within(report).getByRole('note')).toHaveTextContent('Patient.ndjson:1: registered as a new patient');
    expect(report).toHaveTextContent('Practitioner 82');
    expect(await screen.findByText('the import failed: disk full', {}, { timeout: 3000 })).toBeInTheDocument();
    const posts = m.callsTo('POST /fhir/R4/$import');
    expect(posts).toHaveLength(2);
    expect(posts[0].headers['content-type']).toBe('application/fhir+ndjson');
    expect(posts[0].body).toBe('{"resourceType":"Patient"}\n{"resourceType":"Organization"}\n');
    expect(posts[1].headers['content-type']).toBe('application/fhir+json');
    expect(m.callsTo('DELETE /fhir/R4/$import-status/nd')).toHaveLength(1);
    expect(m.callsTo('DELETE /fhir/R4/$import-status/bundle')).toHaveLength(1);
  });

  it('names where a refused resource was by the user’s own files', () => {
    expect(userWhere('input.ndjson:3: x', ['a.ndjson', 'b.ndjson'], [2, 5])).toBe('b.ndjson:1: x');
    expect(userWhere('input.ndjson:2: x', ['a.ndjson', 'b.ndjson'], [2, 5])).toBe('a.ndjson:2: x');
    expect(userWhere('input.json entry[4]: y', ['bundle.json'], [1])).toBe('bundle.json entry[4]: y');
    expect(userWhere('something else', ['a.ndjson'], [1])).toBe('something else');
  });
});
