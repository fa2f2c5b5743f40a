import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CasesPage } from './CasesPage';
import { mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { SETTINGS, makeCase } from '../test/cases';

const inHours = (h: number) => new Date(Date.now() + h * 3600_000).toISOString();
const LIST = [
  makeCase({ id: 1, reference_number: 'CD-2026-000001-3', kind: 'grievance', next_due: inHours(-30), overdue: true, severity: 'high', owner_name: 'Ana Diaz' }),
  makeCase({ id: 2, reference_number: 'CD-2026-000002-1', next_due: inHours(20), due_soon: true, status: 'acknowledged' }),
  makeCase({ id: 3, reference_number: 'CD-2026-000003-9', kind: 'inquiry', inquiry_type: 'billing', triage: null, next_due: inHours(24 * 6) }),
];

describe('Case list', () => {
  it('shows overdue and due-soon in words as well as colour, and opens a case', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/relations/settings': SETTINGS, 'GET /api/v1/cases': { items: LIST, total: 3 } });
    const user = userEvent.setup();
    renderPage(<CasesPage />, { route: '/cases', path: '/cases' });

    const rows = await screen.findAllByRole('row');
    const [, r1, r2, r3] = rows;
    expect(within(r1).getByText('Overdue')).toBeInTheDocument();
    expect(within(r1).getByText(/ago$/)).toBeInTheDocument();
    expect(within(r1).getByText('Grievance')).toBeInTheDocument();
    expect(within(r1).getByText('Ana Diaz')).toBeInTheDocument();
    expect(within(r2).getByText('Due soon')).toBeInTheDocument();
    expect(within(r2).getByText('Acknowledged')).toBeInTheDocument();
    expect(within(r3).queryByText('Overdue')).toBeNull();
    expect(within(r3).queryByText('Due soon')).toBeNull();
    expect(within(r3).getByText('Inquiry · Billing')).toBeInTheDocument();
    expect(screen.getByText('Showing 1–3 of 3')).toBeInTheDocument();

    // default view: open cases
    const q = m.callsTo('GET /api/v1/cases')[0].url.searchParams;
    expect(q.get('open')).toBe('true');
    expect(q.has('overdue')).toBe(false);
    expect(q.get('limit')).toBe('50');

    await user.click(within(r1).getByRole('link', { name: 'CD-2026-000001-3' }));
    expect(screen.getByTestId('location')).toHaveTextContent('/cases/1');
  });

  it('filters by view, kind and search text', async () => {
    const m = mockFetch({ ...referenceRoutes, 'GET /api/v1/relations/settings': SETTINGS, 'GET /api/v1/cases': { items: [], total: 0 } });
    const user = userEvent.setup();
    renderPage(<CasesPage />, { route: '/cases', path: '/cases' });
    await screen.findByText('No cases yet.');

    await user.click(screen.getByRole('button', { name: 'Overdue' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/cases').at(-1)!.url.searchParams.get('overdue')).toBe('true'));
    expect(screen.getByRole('button', { name: 'Overdue' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(screen.getByRole('button', { name: 'Mine' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/cases').at(-1)!.url.searchParams.get('owner')).toBe('me'));

    await user.selectOptions(screen.getByLabelText('Kind'), 'grievance');
    await user.selectOptions(await screen.findByLabelText('Category'), 'Billing');
    await user.type(screen.getByLabelText('Search'), 'CD-2026-000012');
    await waitFor(() => {
      const q = m.callsTo('GET /api/v1/cases').at(-1)!.url.searchParams;
      expect(q.get('kind')).toBe('grievance');
      expect(q.get('category')).toBe('Billing');
      expect(q.get('q')).toBe('CD-2026-000012');
    });
    expect(await screen.findByText('No case matches these filters.')).toBeInTheDocument();
  });

  it('offers "New case" only to roles that may write', async () => {
    mockFetch({ ...referenceRoutes, 'GET /api/v1/relations/settings': SETTINGS, 'GET /api/v1/cases': { items: [], total: 0 } });
    renderPage(<CasesPage />, { route: '/cases', path: '/cases', role: 'auditor' });
    await screen.findByText('No cases yet.');
    expect(screen.queryByRole('link', { name: /new case/i })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Settings' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Report' })).toBeInTheDocument();
  });
});
