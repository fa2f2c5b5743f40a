import { describe, expect, it } from 'vitest';
import { dateOf, dayRange, fmtTime, minuteOfDay, weekStart } from './time';
import { hourRange, layoutColumn } from './calendar';
import type { Appointment } from '../api/types';

describe('time helpers', () => {
  it('day ranges are DST-correct in the location zone', () => {
    // US spring-forward 2025-03-09: the day is 23 hours long.
    expect(dayRange('2025-03-09', 'America/New_York')).toEqual({ from: '2025-03-09T00:00:00-05:00', to: '2025-03-10T00:00:00-04:00' });
    expect(dayRange('2025-11-02', 'America/New_York', 2)).toEqual({ from: '2025-11-02T00:00:00-04:00', to: '2025-11-04T00:00:00-05:00' });
  });

  it('reads wall-clock time in the location zone', () => {
    expect(minuteOfDay('2025-03-10T09:30:00-04:00')).toBe(570);
    expect(minuteOfDay('2025-03-10T13:30:00Z', 'America/New_York')).toBe(570);
    expect(dateOf('2025-03-11T02:00:00Z', 'America/Los_Angeles')).toBe('2025-03-10');
    expect(fmtTime('2025-03-10T09:30:00-04:00')).toMatch(/9:30/);
  });

  it('weeks start on Monday', () => {
    expect(weekStart('2025-03-09')).toBe('2025-03-03'); // Sunday → previous Monday
    expect(weekStart('2025-03-10')).toBe('2025-03-10');
  });
});

describe('calendar layout', () => {
  const a = (id: number, start: string, end: string) => ({ id, start, end }) as unknown as Appointment;
  it('puts overlapping appointments side by side and others full width', () => {
    const placed = layoutColumn([
      a(1, '2025-03-10T09:00:00-04:00', '2025-03-10T09:40:00-04:00'),
      a(2, '2025-03-10T09:20:00-04:00', '2025-03-10T09:40:00-04:00'),
      a(3, '2025-03-10T10:00:00-04:00', '2025-03-10T10:20:00-04:00'),
    ]);
    const by = Object.fromEntries(placed.map((p) => [p.appt.id, p]));
    expect([by[1].lane, by[1].lanes]).toEqual([0, 2]);
    expect([by[2].lane, by[2].lanes]).toEqual([1, 2]);
    expect([by[3].lane, by[3].lanes]).toEqual([0, 1]);
  });
  it('widens the visible hours to fit early and late appointments', () => {
    expect(hourRange([])).toEqual([7, 19]);
    expect(hourRange([a(1, '2025-03-10T06:30:00-04:00', '2025-03-10T07:00:00-04:00'), a(2, '2025-03-10T19:30:00-04:00', '2025-03-10T20:10:00-04:00')])).toEqual([6, 21]);
  });
});
