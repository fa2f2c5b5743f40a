import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Hl7Outbound, Hl7Peer } from '../api/types';
import { apiError, mockFetch, type MockRequest } from '../test/mockFetch';
import { renderPage } from '../test/render';
import { InterfacesPage } from './InterfacesPage';

const DEAD: Hl7Outbound = {
  id: 9,
  peer_id: 1,
  peer_name: 'Epic',
  patient_id: 7,
  event: 'SIU^S12',
  control_id: 'CD00000000000000AB',
  created_at: '2026-11-22T13:30:00Z',
  status: 'dead',
  attempts: 1,
  next_attempt_at: '2026-11-22T13:30:00Z',
  last_error: 'AR: unknown provider',
  ack_code: 'AR',
  sent_at: null,
};
const SENT: Hl7Outbound = { ...DEAD, id: 8, status: 'sent', ack_code: 'AA', last_error: '', sent_at: '2026-11-22T13:29:00Z' };
const PEER: Hl7Peer = { id: 1, name: 'Epic', host: 'epic.example.org', port: 2575, enabled: true, feeds: ['SIU', 'ADT'] };

const render = (route: string) =>
  renderPage(<InterfacesPage />, { route, path: '/interfaces', role: 'admin', permissions: ['interfaces.manage'] });

function outboundList(req: MockRequest) {
  const status = req.url.searchParams.get('status');
  const items = [DEAD, SENT].filter((m) => !status || m.status === status);
  return { items, total: items.length, counts: { pending: 0, dead: 1 } };
}

describe('Outbound interface messages', () => {
  it('opens on the dead letters with their count, and retries one from its detail', async () => {
    const m = mockFetch({
      'GET /api/v1/hl7/outbound': outboundList,
      'GET /api/v1/hl7/outbound/9': { ...DEAD, message: 'MSH|^~\\&|CareDesk\rSCH||42' },
      'POST /api/v1/hl7/outbound/9/retry': { ...DEAD, status: 'pending', attempts: 0, ack_code: '' },
    });
    const user = userEvent.setup();
    render('/interfaces?view=outbound');
    const table = await screen.findByRole('table', { name: 'Outbound: dead letters, newest first' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toHaveTextContent(/SIU\^S12\s*Epic\s*Patient 7\s*Dead\s*AR: unknown provider\s*1/);
    expect(m.callsTo('GET /api/v1/hl7/outbound')[0].url.searchParams.get('status')).toBe('dead');
    expect(await screen.findByRole('button', { name: 'Dead letters 1' })).toHaveAttribute('aria-pressed', 'true');
    expect(screen.getByRole('button', { name: 'Outbound' })).toHaveAttribute('aria-pressed', 'true');

    await user.click(within(rows[1]).getAllByRole('link')[0]);
    const panel = await screen.findByRole('complementary', { name: 'Outbound message details' });
    expect(await within(panel).findByText(/MSH\|\^~\\&\|CareDesk\s*SCH\|\|42/)).toBeInTheDocument();
    expect(within(panel).getByRole('alert')).toHaveTextContent('Last error: AR: unknown provider');
    await user.click(within(panel).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/hl7/outbound/9/retry')).toHaveLength(1));
    expect(await within(panel).findByText('Pending')).toBeInTheDocument();
    expect(within(panel).queryByRole('button', { name: 'Discard' })).not.toBeInTheDocument();
  });

  it('discards a dead letter', async () => {
    const m = mockFetch({
      'GET /api/v1/hl7/outbound': outboundList,
      'GET /api/v1/hl7/outbound/9': { ...DEAD, message: 'MSH|x' },
      'POST /api/v1/hl7/outbound/9/discard': { ...DEAD, status: 'discarded' },
    });
    const user = userEvent.setup();
    render('/interfaces?view=outbound&id=9');
    const panel = await screen.findByRole('complementary', { name: 'Outbound message details' });
    await user.click(await within(panel).findByRole('button', { name: 'Discard' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/hl7/outbound/9/discard')).toHaveLength(1));
    expect(await within(panel).findByText('Discarded')).toBeInTheDocument();
  });

  it('adds a peer, showing the server’s field error at its field', async () => {
    let attempts = 0;
    const m = mockFetch({
      'GET /api/v1/hl7/peers': { items: [PEER] },
      'POST /api/v1/hl7/peers': (req: MockRequest) => {
        attempts += 1;
        if (attempts === 1) return apiError(409, 'name_taken', 'there is already a peer named Epic', 'name');
        return { status: 201, body: { id: 2, ...req.body } };
      },
    });
    const user = userEvent.setup();
    render('/interfaces?view=peers');
    const table = await screen.findByRole('table', { name: 'Peers' });
    expect(within(table).getAllByRole('row')[1]).toHaveTextContent(/Epic\s*epic\.example\.org:2575\s*SIU, ADT\s*Enabled/);
    await user.click(screen.getByRole('button', { name: 'Add a peer' }));
    const form = screen.getByRole('form', { name: 'Add a peer' });
    // Checked in the browser first: the port.
    await user.type(within(form).getByLabelText(/Name/), 'Epic');
    await user.type(within(form).getByLabelText(/Host/), 'lab.example.org');
    await user.clear(within(form).getByLabelText(/Port/));
    await user.type(within(form).getByLabelText(/Port/), '70000');
    await user.click(within(form).getByRole('button', { name: 'Save peer' }));
    expect(within(form).getByLabelText(/Port/)).toHaveAttribute('aria-invalid', 'true');
    expect(m.callsTo('POST /api/v1/hl7/peers')).toHaveLength(0);
    await user.clear(within(form).getByLabelText(/Port/));
    await user.type(within(form).getByLabelText(/Port/), '2576');
    await user.click(within(form).getByRole('button', { name: 'Save peer' }));
    await waitFor(() => expect(within(form).getByLabelText(/Name/)).toHaveAttribute('aria-invalid', 'true'));
    expect(form).toHaveTextContent('there is already a peer named Epic');
    await user.clear(within(form).getByLabelText(/Name/));
    await user.type(within(form).getByLabelText(/Name/), 'Lab');
    await user.click(within(form).getByRole('button', { name: 'Save peer' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/hl7/peers')).toHaveLength(2));
    expect(m.callsTo('POST /api/v1/hl7/peers')[1].body).toEqual({
      name: 'Lab',
      host: 'lab.example.org',
      port: 2576,
      enabled: true,
      feeds: ['SIU', 'ADT'],
    });
  });

  it('disables a peer', async () => {
    const m = mockFetch({
      'GET /api/v1/hl7/peers': { items: [PEER] },
      'PUT /api/v1/hl7/peers/1': (req: MockRequest) => ({ ...PEER, ...req.body }),
    });
    const user = userEvent.setup();
    render('/interfaces?view=peers');
    await user.click(await screen.findByRole('button', { name: 'Disable Epic' }));
    await waitFor(() => expect(m.callsTo('PUT /api/v1/hl7/peers/1')).toHaveLength(1));
    expect(m.callsTo('PUT /api/v1/hl7/peers/1')[0].body.enabled).toBe(false);
  });

  it('removes a peer only once the user confirms, saying its queue goes with it', async () => {
    let peers = [PEER];
    const m = mockFetch({
      'GET /api/v1/hl7/peers': () => ({ items: peers }),
      'DELETE /api/v1/hl7/peers/1': () => {
        peers = [];
        return new Response(null, { status: 204 });
      },
    });
    const user = userEvent.setup();
    render('/interfaces?view=peers');
    await user.click(await screen.findByRole('button', { name: 'Remove Epic' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Remove Epic?' });
    expect(dialog).toHaveAccessibleDescription(/its queue goes with it/);
    expect(within(dialog).getByRole('button', { name: 'Keep it' })).toHaveFocus();
    await user.click(within(dialog).getByRole('button', { name: 'Keep it' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(m.callsTo('DELETE /api/v1/hl7/peers/1')).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Remove Epic' }));
    dialog = screen.getByRole('alertdialog', { name: 'Remove Epic?' });
    await user.click(within(dialog).getByRole('button', { name: 'Remove Epic' }));
    await waitFor(() => expect(m.callsTo('DELETE /api/v1/hl7/peers/1')).toHaveLength(1));
    expect(await screen.findByText('No peers yet: CareDesk sends nothing.')).toBeInTheDocument();
  });
});
