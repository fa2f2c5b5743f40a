import { describe, expect, it } from 'vitest';
import type { FlowBoardItem } from '../api/types';
import { advanceLabel, isWaitingState, levelFor, liveTimes, nextState, worstLevel } from './flow';
import { formatMinutes } from './time';

const T = { warn_minutes: 15, alert_minutes: 30 };

describe('flow rules', () => {
  it('follows arrived → roomed → with_provider → checkout → completed', () => {
    expect(nextState('arrived')).toBe('roomed');
    expect(nextState('roomed')).toBe('with_provider');
    expect(nextState('with_provider')).toBe('checkout');
    expect(nextState('checkout')).toBe('completed');
    expect(nextState('completed')).toBeNull();
    expect(nextState('left_without_being_seen')).toBeNull();
    expect(advanceLabel('arrived')).toBe('Room');
  });

  it('only waiting states can be "left without being seen"', () => {
    expect(isWaitingState('arrived')).toBe(true);
    expect(isWaitingState('roomed')).toBe(true);
    expect(isWaitingState('with_provider')).toBe(false);
    expect(isWaitingState('checkout')).toBe(false);
  });

  it('levels against thresholds (inclusive)', () => {
    expect(levelFor(0, T)).toBe('ok');
    expect(levelFor(14, T)).toBe('ok');
    expect(levelFor(15, T)).toBe('warn');
    expect(levelFor(29, T)).toBe('warn');
    expect(levelFor(30, T)).toBe('alert');
    expect(worstLevel('warn', 'ok')).toBe('warn');
    expect(worstLevel('ok', 'alert')).toBe('alert');
  });

  it('formats minutes for people', () => {
    expect(formatMinutes(0)).toBe('<1 min');
    expect(formatMinutes(1)).toBe('1 min');
    expect(formatMinutes(59)).toBe('59 min');
    expect(formatMinutes(60)).toBe('1 h 00 min');
    expect(formatMinutes(125)).toBe('2 h 05 min');
    expect(formatMinutes(60 * 26 + 5)).toBe('1 d 2 h');
    expect(formatMinutes(undefined)).toBe('—');
    expect(formatMinutes(-3)).toBe('<1 min');
  });

  describe('live timers', () => {
    const serverNow = Date.parse('2025-03-10T10:00:00-04:00');
    const item: FlowBoardItem = {
      encounter_id: 1,
      patient_id: 1,
      patient_name: 'A',
      state: 'arrived',
      state_since: '2025-03-10T09:50:00-04:00',
      arrived_at: '2025-03-10T09:50:00-04:00',
      state_minutes: 10,
      waiting_minutes: 10,
      level: 'ok',
    };

    it('ticks time in state and total wait locally, and raises the level as thresholds pass', () => {
      const receivedAt = 1_000_000;
      const skew = serverNow - receivedAt; // server clock ahead of local by `skew`
      expect(liveTimes(item, receivedAt, receivedAt, skew, T)).toEqual({ stateMinutes: 10, waitingMinutes: 10, level: 'ok' });
      const later = receivedAt + 6 * 60_000;
      expect(liveTimes(item, later, receivedAt, skew, T)).toEqual({ stateMinutes: 16, waitingMinutes: 16, level: 'warn' });
      const much = receivedAt + 25 * 60_000;
      expect(liveTimes(item, much, receivedAt, skew, T).level).toBe('alert');
    });

    it('never lowers the level the server sent', () => {
      const r = liveTimes({ ...item, level: 'alert' }, 0, 0, serverNow, T);
      expect(r.level).toBe('alert');
    });

    it('freezes finished encounters', () => {
      const done = { ...item, state: 'completed' as const, state_minutes: 3, waiting_minutes: 40 };
      const r = liveTimes(done, 60 * 60_000, 0, serverNow, T);
      expect(r).toEqual({ stateMinutes: 3, waitingMinutes: 40, level: 'ok' });
    });
  });
});
