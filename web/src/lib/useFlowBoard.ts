// Live flow board: SSE over fetch (so the bearer header is sent), reconnect with backoff,
// and polling every 10 s whenever the stream is not up.
import { useCallback, useEffect, useRef, useState } from 'react';
import * as api from '../api';
import type { FlowBoard, Id } from '../api/types';
import { readSseStream } from './sse';

export type StreamMode = 'connecting' | 'live' | 'reconnecting' | 'polling';

export interface FlowBoardState {
  board: FlowBoard | null;
  /** Local clock (ms) when the board was received. */
  receivedAt: number;
  /** Server `now` minus local clock at receipt (ms). */
  skew: number;
  mode: StreamMode;
  error: unknown;
  /** Fetch the board now (after an action). */
  refresh: () => Promise<void>;
}

export const POLL_MS = 10_000;

/** Delay before reconnect attempt n (1-based): 1 s, 2 s, 4 s … capped at 30 s, with ±20 % jitter. */
export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export function useFlowBoard(location: Id | null | undefined, opts: { pollMs?: number } = {}): FlowBoardState {
  const pollMs = opts.pollMs ?? POLL_MS;
  const [board, setBoard] = useState<FlowBoard | null>(null);
  const [receivedAt, setReceivedAt] = useState(0);
  const [skew, setSkew] = useState(0);
  const [mode, setMode] = useState<StreamMode>('connecting');
  const [error, setError] = useState<unknown>(null);
  const locRef = useRef(location);
  locRef.current = location;

  const apply = useCallback((b: FlowBoard) => {
    if (!b || (locRef.current != null && b.location_id != null && String(b.location_id) !== String(locRef.current))) return;
    const t = Date.now();
    const serverNow = Date.parse(b.now);
    setBoard(b);
    setReceivedAt(t);
    setSkew(Number.isNaN(serverNow) ? 0 : serverNow - t);
    setError(null);
  }, []);

  const refresh = useCallback(async () => {
    if (location == null || location === '') return;
    try {
      apply(await api.getFlowBoard(location));
    } catch (e) {
      if (!api.isAbortError(e)) setError(e);
    }
  }, [location, apply]);

  useEffect(() => {
    if (location == null || location === '') return;
    setBoard(null);
    setMode('connecting');
    setError(null);
    const ctl = new AbortController();
    let stopped = false;
    let pollTimer: ReturnType<typeof setInterval> | null = null;
    let wakeTimer: ReturnType<typeof setTimeout> | null = null;

    const startPolling = () => {
      if (pollTimer) return;
      setMode('polling');
      pollTimer = setInterval(() => {
        api.getFlowBoard(location, { signal: ctl.signal }).then(apply, (e) => !api.isAbortError(e) && setError(e));
      }, pollMs);
    };
    const stopPolling = () => {
      if (pollTimer) clearInterval(pollTimer);
      pollTimer = null;
    };
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        wakeTimer = setTimeout(resolve, ms);
      });

    // First paint from a plain GET; the stream's first event follows.
    api.getFlowBoard(location, { signal: ctl.signal }).then(apply, (e) => !api.isAbortError(e) && setError(e));

    (async () => {
      let attempt = 0;
      while (!stopped) {
        try {
          const res = await fetch(api.flowBoardStreamUrl(location), {
            headers: { Accept: 'text/event-stream', ...api.authHeaders() },
            signal: ctl.signal,
            cache: 'no-store',
          });
          if (res.status === 401) {
            api.reportUnauthorized(await api.errorFromResponse(res));
            return;
          }
          if (!res.ok || !res.body) throw await api.errorFromResponse(res);
          attempt = 0;
          stopPolling();
          setMode('live');
          await readSseStream(
            res.body,
            (ev) => {
              if (ev.event !== 'board') return;
              try {
                apply(JSON.parse(ev.data) as FlowBoard);
              } catch {
                /* a malformed event is skipped; the next one replaces it */
              }
            },
            ctl.signal,
          );
        } catch (e) {
          if (stopped || api.isAbortError(e)) return;
        }
        if (stopped) return;
        attempt++;
        // The stream is down: poll until it is back, and retry the stream with backoff.
        if (attempt === 1) setMode('reconnecting');
        if (attempt >= 2) startPolling();
        await sleep(backoffMs(attempt));
      }
    })();

    return () => {
      stopped = true;
      ctl.abort();
      stopPolling();
      if (wakeTimer) clearTimeout(wakeTimer);
    };
  }, [location, apply, pollMs]);

  return { board, receivedAt, skew, mode, error, refresh };
}
