import { describe, expect, it } from 'vitest';
import type { MetricProject } from '../api/types';
import {
  cycleInput,
  cycleMarkers,
  defaultCycleStart,
  labelRows,
  periodEnd,
  periodIndexOf,
  projectBands,
  projectChartRange,
  projectDraft,
  projectInput,
  validateCycle,
  validateProject,
} from './improvement';

const WEEKS = ['2026-01-05', '2026-01-12', '2026-01-19', '2026-01-26', '2026-02-02', '2026-02-09'];

const project = (over: Partial<MetricProject> = {}): MetricProject => ({
  id: 5,
  title: 'Fewer no-shows',
  aim: '',
  start_date: '2026-01-12',
  end_date: null,
  target: null,
  status: 'active',
  cycles: [],
  ...over,
});

describe('placing PDSA cycles on the chart', () => {
  it('finds the period holding a date, by interval', () => {
    expect(periodEnd('2026-01-05', 'week')).toBe('2026-01-12');
    expect(periodEnd('2026-01-01', 'month')).toBe('2026-02-01');
    expect(periodEnd('2026-01-31', 'day')).toBe('2026-02-01');
    expect(periodIndexOf('2026-01-05', WEEKS, 'week')).toBe(0);
    expect(periodIndexOf('2026-01-14', WEEKS, 'week')).toBe(1); // a Wednesday → the week starting Monday 12th
    expect(periodIndexOf('2026-02-15', WEEKS, 'week')).toBe(5); // Sunday of the last week
    expect(periodIndexOf('2026-02-16', WEEKS, 'week')).toBe(-1); // after the last week
    expect(periodIndexOf('2026-01-04', WEEKS, 'week')).toBe(-1); // before the first
    expect(periodIndexOf('2026-02-20', ['2026-01-01', '2026-02-01'], 'month')).toBe(1);
    expect(periodIndexOf('not a date', WEEKS, 'week')).toBe(-1);
    expect(periodIndexOf('2026-01-14', [], 'week')).toBe(-1);
  });

  it('makes one marker per cycle inside the charted periods and none for cycles outside', () => {
    const p = project({
      cycles: [
        { id: 1, title: 'Before the chart', start_date: '2025-12-01', end_date: '2025-12-20' },
        { id: 2, title: 'Reminder calls', start_date: '2026-01-14', end_date: '2026-01-25' },
        { id: 3, title: 'Texts', start_date: '2026-02-09', end_date: null },
        { id: 4, title: 'After the chart', start_date: '2026-03-02', end_date: null },
      ],
    });
    const other = project({ id: 6, title: 'Second project', cycles: [{ id: 9, title: 'Same week', start_date: '2026-01-12', end_date: null }] });
    const m = cycleMarkers([p, other], WEEKS, 'week');
    expect(m.map((x) => [x.cycleId, x.index, x.label])).toEqual([
      [2, 1, 'PDSA 2'],
      [9, 1, 'PDSA 1'],
      [3, 5, 'PDSA 3'],
    ]);
    expect(m[0].title).toBe('PDSA 2: Reminder calls (Fewer no-shows), Wed 14 Jan 2026 to Sun 25 Jan 2026');
    expect(m[2].title).toMatch(/from Mon 9 Feb 2026, running$/);
    expect(cycleMarkers(undefined, WEEKS, 'week')).toEqual([]);
    expect(cycleMarkers([p], [], 'week')).toEqual([]);
  });

  it('clips project spans to the charted periods and skips projects outside them', () => {
    const bands = projectBands(
      [
        project({ id: 1, start_date: '2025-11-01', end_date: '2026-01-20' }), // starts before the chart
        project({ id: 2, start_date: '2026-01-28', end_date: null }), // open-ended
        project({ id: 3, start_date: '2025-06-01', end_date: '2025-12-31' }), // wholly before
        project({ id: 4, start_date: '2026-02-16', end_date: null }), // wholly after
      ],
      WEEKS,
      'week',
    );
    expect(bands.map((b) => [b.projectId, b.i0, b.i1])).toEqual([
      [1, 0, 2],
      [2, 3, 5],
    ]);
  });

  it('staggers labels that would overlap', () => {
    expect(labelRows([100, 120, 200, 210, 215, 216], 50)).toEqual([0, 1, 0, 1, 2, 0]);
    expect(labelRows([], 50)).toEqual([]);
  });
});

describe('project and cycle forms', () => {
  it('charts 12 weeks before the start, up to today, within 3 years', () => {
    expect(projectChartRange('2026-01-12', '2026-03-10')).toEqual({ from: '2025-10-20', to: '2026-03-10' });
    expect(projectChartRange('2026-05-01', '2026-03-10')).toEqual({ from: '2025-12-16', to: '2026-03-10' });
    expect(projectChartRange('2020-01-01', '2026-03-10')).toEqual({ from: '2023-03-11', to: '2026-03-10' });
  });

  it('validates a project and builds the body', () => {
    const d = projectDraft();
    expect(Object.keys(validateProject(d))).toEqual(['title', 'aim', 'metric_key', 'start_date']);
    const ok = { ...d, title: ' T ', aim: 'A', metric_key: 'no_show_rate', start_date: '2026-03-01', end_date: '2026-02-01', target: 'x' };
    expect(validateProject(ok)).toEqual({ end_date: 'The end date is before the start date.', target: 'Enter a number, or leave the target empty.' });
    expect(projectInput({ ...ok, end_date: '', target: '7.5', location_id: '2' })).toEqual({
      title: 'T',
      aim: 'A',
      metric_key: 'no_show_rate',
      location_id: 2,
      owner: '',
      start_date: '2026-03-01',
      end_date: null,
      target: 7.5,
      status: 'active',
    });
    expect(projectInput({ ...ok, target: '' }).location_id).toBeNull();
  });

  it('keeps cycles inside the project', () => {
    const p = { start_date: '2026-01-12', end_date: '2026-03-31' };
    const d = { title: 'X', plan: '', do_notes: '', study: '', act: '', start_date: '2026-01-01', end_date: '' };
    expect(validateCycle(d, p).start_date).toMatch(/project starts on/);
    expect(validateCycle({ ...d, start_date: '2026-02-01', end_date: '2026-04-02' }, p).end_date).toMatch(/project ends on/);
    expect(validateCycle({ ...d, start_date: '2026-02-01', end_date: '2026-01-20' }, p).end_date).toMatch(/before the start/);
    expect(validateCycle({ ...d, title: '', start_date: '' }, p)).toHaveProperty('title');
    expect(validateCycle({ ...d, start_date: '2026-02-01' }, { start_date: '2026-01-12', end_date: null })).toEqual({});
    expect(cycleInput({ ...d, title: ' X ', plan: ' p ' })).toEqual({ title: 'X', plan: 'p', do_notes: '', study: '', act: '', start_date: '2026-01-01', end_date: null });
    expect(defaultCycleStart(p, '2026-02-10')).toBe('2026-02-10');
    expect(defaultCycleStart(p, '2026-05-10')).toBe('2026-01-12');
    expect(defaultCycleStart(p, '2025-05-10')).toBe('2026-01-12');
  });
});
