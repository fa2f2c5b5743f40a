import { act, renderHook, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { FlowBoard } from '../api/types';
import { FlowBoardPage } from './FlowBoardPage';
import { useFlowBoard } from '../lib/useFlowBoard';
import { json, mockFetch, referenceRoutes } from '../test/mockFetch';
import { renderPage } from '../test/render';

const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
function boardWith(state: FlowBoard['items'][number]['state'], minutes = 5): FlowBoard {
  return {
    location_id: 1,
    now: new Date().toISOString(),
    thresholds: { warn_minutes: 15, alert_minutes: 30 },
    items: [
      {
        encounter_id: 500,
        patient_id: 41,
        patient_name: 'Jonathan Smith',
        provider_name: 'Dr. Maria Lopez',
        room_name: state === 'arrived' ? null : 'Exam 1',
        state,
        state_since: iso(minutes * 60_000),
        arrived_at: iso(minutes * 60_000),
        state_minutes: minutes,
        waiting_minutes: minutes,
        level: 'ok',
      },
    ],
  };
}

/** A controllable text/event-stream body. */
function sseStream() {
  let ctl!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => void (ctl = c) });
  const enc = new TextEncoder();
  return {
    response: () => new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (b: FlowBoard) => ctl.enqueue(enc.encode(`event: board\ndata: ${JSON.stringify(b)}\n\n`)),
    comment: () => ctl.enqueue(enc.encode(': keep-alive\n\n')),
  };
}

describe('Flow board', () => {
  it('shows the board, updates live from the stream, and sends the bearer token', async () => {
    sessionStorage.setItem('caredesk.token', 'tok-1');
    const s = sseStream();
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/appointments': { items: [] },
      'GET /api/v1/flow-board': boardWith('arrived'),
      'GET /api/v1/flow-board/stream': () => s.response(),
    });
    renderPage(<FlowBoardPage />, { route: '/flow?location=1', path: '/flow' });
    expect(await screen.findByRole('row', { name: 'Jonathan Smith, Arrived' })).toBeInTheDocument();
    await screen.findByText('Live');
    const streamCall = m.callsTo('GET /api/v1/flow-board/stream')[0];
    expect(streamCall.headers.authorization).toBe('Bearer tok-1');
    expect(streamCall.url.searchParams.get('location')).toBe('1');

    act(() => {
      s.comment();
      s.send(boardWith('roomed', 2));
    });
    expect(await screen.findByRole('row', { name: 'Jonathan Smith, Roomed' })).toBeInTheDocument();
  });

  it('conveys the level in text, not colour only', async () => {
    const b = boardWith('arrived', 20);
    b.items[0].level = 'warn';
    mockFetch({ ...referenceRoutes, 'GET /api/v1/appointments': { items: [] }, 'GET /api/v1/flow-board': b, 'GET /api/v1/flow-board/stream': () => new Response(null, { status: 503 }) });
    renderPage(<FlowBoardPage />, { route: '/flow?location=1', path: '/flow' });
    const row = await screen.findByRole('row', { name: /Jonathan Smith/ });
    expect(within(row).getByText('Warning')).toBeInTheDocument();
    expect(within(row).getAllByText('20 min', { selector: 'td' })).toHaveLength(2); // in state, total wait
  });

  it('advances and undoes a step', async () => {
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/appointments': { items: [] },
      'GET /api/v1/flow-board': boardWith('roomed'),
      'GET /api/v1/flow-board/stream': () => new Response(null, { status: 503 }),
      'POST /api/v1/encounters/500/transition': (r) => json(200, { id: 500, state: r.body.to }),
      'POST /api/v1/encounters/500/undo': json(200, { id: 500, state: 'arrived' }),
    });
    const user = userEvent.setup();
    renderPage(<FlowBoardPage />, { route: '/flow?location=1', path: '/flow' });
    const row = await screen.findByRole('row', { name: /Jonathan Smith/ });
    await user.click(within(row).getByRole('button', { name: /provider in/i }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/encounters/500/transition')).toHaveLength(1));
    expect(m.callsTo('POST /api/v1/encounters/500/transition')[0].body).toEqual({ to: 'with_provider' });
    await user.click(within(row).getByRole('button', { name: /undo/i }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/encounters/500/undo')).toHaveLength(1));
  });

  it('checks in today’s appointment, offering "Check in anyway" on not_today', async () => {
    const appt = {
      id: 77, patient_id: 41, patient_name: 'Jonathan Smith', appointment_type_id: 7, appointment_type_name: 'Follow-up',
      provider_id: 1, provider_name: 'Dr. Maria Lopez', location_id: 1, location_name: 'Riverside Clinic',
      start: new Date().toISOString(), end: new Date().toISOString(), status: 'booked', modality: 'in_person',
    };
    const m = mockFetch({
      ...referenceRoutes,
      'GET /api/v1/appointments': { items: [appt] },
      'GET /api/v1/flow-board': { ...boardWith('arrived'), items: [] },
      'GET /api/v1/flow-board/stream': () => new Response(null, { status: 503 }),
      'POST /api/v1/appointments/77/check-in': (r) =>
        r.body.override ? json(201, { id: 501, state: 'arrived' }) : json(409, { error: { code: 'not_today', message: 'Not today' } }),
    });
    const user = userEvent.setup();
    renderPage(<FlowBoardPage />, { route: '/flow?location=1', path: '/flow' });
    await user.click(await screen.findByRole('button', { name: /check in\s*jonathan smith/i }));
    const q = m.callsTo('GET /api/v1/appointments')[0].url.searchParams;
    expect(q.get('status')).toBe('booked');
    expect(q.get('location')).toBe('1');
    const dlg = await screen.findByRole('alertdialog', { name: /not today/i });
    await user.click(within(dlg).getByRole('button', { name: 'Check in anyway' }));
    await waitFor(() => expect(m.callsTo('POST /api/v1/appointments/77/check-in')).toHaveLength(2));
    expect(m.callsTo('POST /api/v1/appointments/77/check-in').map((c) => c.body)).toEqual([{ override: false }, { override: true }]);
  });
});

describe('useFlowBoard', () => {
  it('falls back to polling when the stream fails', async () => {
    let gets = 0;
    mockFetch({
      'GET /api/v1/flow-board': () => json(200, boardWith(gets++ < 1 ? 'arrived' : 'roomed')),
      'GET /api/v1/flow-board/stream': () => new Response('no', { status: 503 }),
    });
    const { result } = renderHook(() => useFlowBoard(1, { pollMs: 40 }));
    await waitFor(() => expect(result.current.board?.items[0].state).toBe('arrived'));
    await waitFor(() => expect(result.current.mode).toBe('polling'), { timeout: 4000 });
    await waitFor(() => expect(result.current.board?.items[0].state).toBe('roomed'), { timeout: 2000 });
  });

  it('reconnects after the stream ends', async () => {
    let streams = 0;
    const enc = new TextEncoder();
    mockFetch({
      'GET /api/v1/flow-board': boardWith('arrived'),
      'GET /api/v1/flow-board/stream': () => {
        streams++;
        const b = boardWith(streams === 1 ? 'arrived' : 'checkout');
        const body = new ReadableStream<Uint8Array>({
          start(c) {
            c.enqueue(enc.encode(`event: board\ndata: ${JSON.stringify(b)}\n\n`));
            if (streams === 1) c.close(); // server drops the first connection
          },
        });
        return new Response(body, { status: 200 });
      },
    });
    const { result } = renderHook(() => useFlowBoard(1, { pollMs: 60_000 }));
    await waitFor(() => expect(result.current.board?.items[0].state).toBe('checkout'), { timeout: 4000 });
    expect(result.current.mode).toBe('live');
    expect(streams).toBe(2);
  });
});
