import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { CommentsPage } from './CommentsPage';
import { COMMENTS, TRENDS } from '../test/metrics';
import { mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const routes = { ...referenceRoutes, 'GET /api/v1/comments/trends': TRENDS, 'GET /api/v1/comments': COMMENTS };
const render = (route = '/comments') => renderPage(<CommentsPage />, { route, path: '/comments', role: 'manager' });

describe('What patients say', () => {
  it("shows staff without the metrics their own unit's comments, without a location filter or unit ranking", async () => {
    mockFetch(routes);
    renderPage(<CommentsPage />, {
      route: '/comments',
      path: '/comments',
      role: 'clinician',
      permissions: ['patient.read', 'comments.read'],
      user: { location_id: 1, department: 'Radiology' },
    });
    expect(await screen.findByText('Comments about your unit: Riverside Clinic, Radiology.')).toBeInTheDocument();
    expect(await screen.findByText('Waited two hours, nobody told us why.')).toBeInTheDocument();
    const filters = screen.getByRole('search', { name: 'Comment filters' });
    expect(within(filters).queryByLabelText('Location')).toBeNull();
    expect(screen.queryByRole('list', { name: /share of negative comments/ })).toBeNull();
  });

  it('shows themes by month, the most negative units and the comments', async () => {
    const m = mockFetch(routes);
    render();
    const heat = await screen.findByRole('table', { name: /comments mentioning each theme, by month/i });
    const rows = within(heat).getAllByRole('row');
    expect(rows[0]).toHaveTextContent(/Theme\s*Jan 2026\s*Feb 2026\s*Total/);
    expect(rows[1]).toHaveTextContent(/Waiting\s*5\s*7\s*12/);
    expect(rows[2]).toHaveTextContent(/Staff attitude\s*0\s*3\s*3/);
    const units = screen.getByRole('list', { name: /share of negative comments/ });
    const items = within(units).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent(/Hillside.*4 negative of 5 classified \(2 not classified\).*80%/);
    expect(items[1]).toHaveTextContent(/Riverside Clinic.*30%/);
    expect(await screen.findByText('Waited two hours, nobody told us why.')).toBeInTheDocument();
    expect(screen.getByText('Not classified')).toBeInTheDocument();
    expect(screen.getByText(/Showing 1–2 of 40/)).toBeInTheDocument();
    expect(screen.queryByText(/not being classified/)).toBeNull();

    const tq = m.callsTo('GET /api/v1/comments/trends')[0].url.searchParams;
    expect(tq.get('interval')).toBe('month');
    expect(tq.get('units')).toBe('location');
    const lq = m.callsTo('GET /api/v1/comments')[0].url.searchParams;
    expect(lq.get('limit')).toBe('25');
    expect(lq.get('offset')).toBe('0');
  });

  it('filters by a theme chip, by the form, and switches units to departments', async () => {
    const m = mockFetch(routes);
    const user = userEvent.setup();
    render();
    const list = await screen.findByRole('list', { name: 'Themes' });
    await user.click(within(list).getByRole('button', { name: 'Waiting' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/comments')).toHaveLength(2));
    expect(m.callsTo('GET /api/v1/comments')[1].url.searchParams.get('theme')).toBe('Waiting');
    expect(await screen.findByRole('button', { name: /Theme Waiting — remove this filter/ })).toBeInTheDocument();

    await user.selectOptions(screen.getByLabelText('Sentiment'), 'negative');
    await user.selectOptions(screen.getByLabelText('Source'), 'survey');
    await user.type(screen.getByLabelText('Words in the comment'), 'rude');
    await user.click(screen.getByRole('button', { name: 'Show comments' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/comments')).toHaveLength(3));
    const q = m.callsTo('GET /api/v1/comments')[2].url.searchParams;
    expect([q.get('theme'), q.get('sentiment'), q.get('source'), q.get('q')]).toEqual(['Waiting', 'negative', 'survey', 'rude']);
    await waitFor(() => expect(m.callsTo('GET /api/v1/comments/trends').at(-1)!.url.searchParams.get('source')).toBe('survey'));

    await user.click(screen.getByRole('button', { name: 'Departments' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/comments/trends').at(-1)!.url.searchParams.get('units')).toBe('department'));
    expect(await screen.findByRole('heading', { name: 'Most negative departments' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Next page' }));
    await waitFor(() => expect(m.callsTo('GET /api/v1/comments').at(-1)!.url.searchParams.get('offset')).toBe('25'));
  });

  it('warns when no model is classifying comments', async () => {
    mockFetch({ ...routes, 'GET /api/v1/comments/trends': { ...TRENDS, model: { loaded: false, error: 'model file not found' } } });
    render();
    expect(await screen.findByText(/Comments are not being classified/)).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('model file not found');
  });
});
