// Flow-board rules that live in the UI: state order, labels, local level and timers.
import type { EncounterState, FlowBoardItem, FlowLevel, TransitionTarget } from '../api/types';
import { minutesSince } from './time';

export const FLOW_ORDER: EncounterState[] = ['arrived', 'roomed', 'with_provider', 'checkout', 'completed'];

export const STATE_LABEL: Record<string, string> = {
  scheduled: 'Scheduled',
  arrived: 'Arrived',
  roomed: 'Roomed',
  with_provider: 'With provider',
  checkout: 'Checkout',
  completed: 'Completed',
  left_without_being_seen: 'Left without being seen',
};

export function stateLabel(s: string): string {
  return STATE_LABEL[s] ?? s.replace(/_/g, ' ');
}

/** The next state in the normal path, or null at the end / off the path. */
export function nextState(s: EncounterState): TransitionTarget | null {
  const i = FLOW_ORDER.indexOf(s);
  if (i < 0 || i >= FLOW_ORDER.length - 1) return null;
  return FLOW_ORDER[i + 1] as TransitionTarget;
}

/** Verb shown on the advance button for a row in state `s`. */
export function advanceLabel(s: EncounterState): string | null {
  switch (s) {
    case 'arrived':
      return 'Room';
    case 'roomed':
      return 'Provider in';
    case 'with_provider':
      return 'To checkout';
    case 'checkout':
      return 'Complete';
    default:
      return null;
  }
}

/** Waiting states: the patient has not been seen yet, so "left without being seen" applies. */
export function isWaitingState(s: EncounterState): boolean {
  return s === 'arrived' || s === 'roomed';
}

export function isActiveState(s: EncounterState): boolean {
  return s !== 'completed' && s !== 'left_without_being_seen';
}

const RANK: Record<FlowLevel, number> = { ok: 0, warn: 1, alert: 2 };

export function levelFor(minutes: number, t: { warn_minutes: number; alert_minutes: number }): FlowLevel {
  if (t.alert_minutes > 0 && minutes >= t.alert_minutes) return 'alert';
  if (t.warn_minutes > 0 && minutes >= t.warn_minutes) return 'warn';
  return 'ok';
}

export function worstLevel(a: FlowLevel, b: FlowLevel): FlowLevel {
  return RANK[a] >= RANK[b] ? a : b;
}

export const LEVEL_TEXT: Record<FlowLevel, string> = {
  ok: 'On time',
  warn: 'Warning',
  alert: 'Alert',
};

export interface LiveTimes {
  stateMinutes: number;
  waitingMinutes: number;
  level: FlowLevel;
}

/**
 * Times for a board row at `nowMs` (local clock). `receivedAtMs` is the local time the board arrived and
 * `skewMs` is (server `now` − local time at receipt). Time in state is recomputed from `state_since`;
 * the total wait is the server's figure plus the minutes since the board arrived (active rows only).
 * Neither ever goes below what the server said, and the level is never lowered below the server's.
 */
export function liveTimes(
  item: FlowBoardItem,
  nowMs: number,
  receivedAtMs: number,
  skewMs: number,
  thresholds: { warn_minutes: number; alert_minutes: number },
): LiveTimes {
  const active = isActiveState(item.state);
  const serverNow = nowMs + skewMs;
  const stateMinutes = active
    ? Math.max(item.state_minutes ?? 0, minutesSince(item.state_since, serverNow))
    : (item.state_minutes ?? 0);
  const elapsed = Math.max(0, Math.floor((nowMs - receivedAtMs) / 60000));
  const waitingMinutes = (item.waiting_minutes ?? 0) + (active ? elapsed : 0);
  const local = active ? levelFor(stateMinutes, thresholds) : 'ok';
  return { stateMinutes, waitingMinutes, level: worstLevel(item.level ?? 'ok', local) };
}
