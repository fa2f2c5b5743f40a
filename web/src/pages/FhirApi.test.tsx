import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import type { FhirBundle, FhirCapability, FhirPatient } from '../api/types';
import { json, mockFetch } from '../test/mockFetch';
import { renderPage } from '../test/render';
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
    expect(screen.getByRole('button', { name: 'FHIR' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByText(`${window.location.origin}/fhir/R4`)).toBeInTheDocument();
    const table = await screen.findByRole('table', { name: 'Resources served' });
    const row = within(table).getByRole('row', { name: /Patient/ });
    expect(row).toHaveTextContent('read, search-type');
    expect(within(row).getByText('family')).toHaveAttribute('title', 'The family name');
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
});
