import { describe, expect, it } from 'vitest';
import { TRENDS } from '../test/metrics';
import { commentFiltersFromParams, commentFiltersToParams, commentListQuery, heatColor, themeGrid, worstUnits } from './comments';

describe('comment filters', () => {
  it('reads the URL with defaults and drops unknown values', () => {
    const f = commentFiltersFromParams(new URLSearchParams('source=email&sentiment=negative&theme=Waiting&offset=-5'), '2026-03-15');
    expect(f).toEqual({ from: '2025-04-01', to: '2026-03-15', location: '', source: '', sentiment: 'negative', theme: 'Waiting', q: '', offset: 0 });
  });
  it('round-trips through URL parameters, leaving out empties', () => {
    const f = commentFiltersFromParams(new URLSearchParams('from=2026-01-01&to=2026-02-01&location=1&source=survey&q=%20rude%20&offset=25'));
    const p = commentFiltersToParams(f);
    expect(p).toEqual({ from: '2026-01-01', to: '2026-02-01', location: '1', source: 'survey', q: 'rude', offset: '25' });
    expect(commentFiltersFromParams(new URLSearchParams(p))).toEqual({ ...f, q: 'rude' });
  });
  it('builds the list query', () => {
    const f = commentFiltersFromParams(new URLSearchParams('from=2026-01-01&to=2026-02-01&theme=Parking&q=%20car'));
    expect(commentListQuery(f)).toEqual({
      from: '2026-01-01',
      to: '2026-02-01',
      location_id: undefined,
      source: undefined,
      sentiment: undefined,
      theme: 'Parking',
      q: 'car',
      limit: 25,
      offset: 0,
    });
  });
});

describe('themes over time and worst units', () => {
  it('pivots theme counts into a theme × month grid, busiest theme first', () => {
    const g = themeGrid(TRENDS);
    expect(g.periods).toEqual(['2026-01', '2026-02']);
    expect(g.rows.map((r) => [r.theme, ...r.counts, r.total])).toEqual([
      ['Waiting', 5, 7, 12],
      ['Staff attitude', 0, 3, 3],
      ['Parking', 1, 0, 1],
    ]);
    expect(g.max).toBe(7);
  });
  it('ranks units by the negative share of classified comments', () => {
    const u = worstUnits(TRENDS.units);
    expect(u.map((r) => r.unit)).toEqual(['Hillside', 'Riverside Clinic']);
    expect(u[0]).toMatchObject({ total: 7, classified: 5, negative: 4, share: 0.8 });
    expect(u[1].share).toBeCloseTo(0.3);
    expect(worstUnits([{ unit: 'X', key: '', count: 3 }])[0].share).toBeNull();
  });
  it('shades heat-map cells by count', () => {
    expect(heatColor(0, 7)).toBe('#ffffff');
    expect(heatColor(7, 7)).toBe('hsl(200 65% 57%)');
  });
});
