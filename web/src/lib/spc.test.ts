import { describe, expect, it } from 'vitest';
import { makeMetric } from '../test/metrics';
import { latestValue, chartRows, chartScales, defaultMetricsRange, fmtValue, linePath, metricCsv, niceTicks, periodPhrase, pointTone, variationInfo } from './spc';

describe('variation labels and icons (Making Data Count)', () => {
  it('common cause is grey with no arrow', () => {
    expect(variationInfo('common_cause', 'increase')).toEqual({ tone: 'common', direction: null, label: 'Common cause — no significant change' });
  });
  it('improvement points the way that is better', () => {
    expect(variationInfo('special_cause_improvement', 'increase')).toMatchObject({ tone: 'improvement', direction: 'up' });
    expect(variationInfo('special_cause_improvement', 'decrease')).toMatchObject({ tone: 'improvement', direction: 'down', label: 'Special cause — improving (lower)' });
  });
  it('concern points the way that is worse', () => {
    expect(variationInfo('special_cause_concern', 'decrease')).toMatchObject({ tone: 'concern', direction: 'up', label: 'Special cause — concerning (higher)' });
    expect(variationInfo('special_cause_concern', 'increase')).toMatchObject({ tone: 'concern', direction: 'down' });
  });
  it('neutral high and low are purple up and down; unknown or null has no icon meaning', () => {
    expect(variationInfo('special_cause_neutral_high', 'neutral')).toMatchObject({ tone: 'neutral', direction: 'up' });
    expect(variationInfo('special_cause_neutral_low', 'neutral')).toMatchObject({ tone: 'neutral', direction: 'down' });
    expect(variationInfo(null, 'neutral')).toMatchObject({ tone: 'none', direction: null, label: 'Not enough data to judge variation' });
    expect(variationInfo('something_new', 'increase').tone).toBe('none');
  });
  it('flags chart points by point type, and sigma signals without a type', () => {
    expect(pointTone({ sigma_signal: false, point_type: 'common_cause' })).toBe('common');
    expect(pointTone({ sigma_signal: true, point_type: 'special_cause_concern' })).toBe('concern');
    expect(pointTone({ sigma_signal: false, point_type: 'special_cause_improvement' })).toBe('improvement');
    expect(pointTone({ sigma_signal: true, point_type: 'common_cause' })).toBe('neutral');
  });
});

describe('formatting', () => {
  it('writes values with their unit', () => {
    expect(fmtValue(12.345, '%')).toBe('12.3%');
    expect(fmtValue(4, 'days')).toBe('4 days');
    expect(fmtValue(134.6, 'minutes')).toBe('135 minutes');
    expect(fmtValue(null, '%')).toBe('—');
  });
  it('falls back to the last period with data when there is no chart', () => {
    expect(latestValue(makeMetric())).toBe(18);
    expect(latestValue(makeMetric({ latest: null, chart: null }))).toBe(18);
    expect(latestValue({ latest: null, series: [{ start: '2026-01-05', numerator: 0, denominator: 0, value: null }] })).toBeNull();
  });
  it('defaults to the 26 weeks up to today', () => {
    expect(defaultMetricsRange('2026-03-15')).toEqual({ from: '2025-09-15', to: '2026-03-15' });
  });
});

describe('chart geometry', () => {
  const box = { width: 110, height: 120, top: 10, right: 5, bottom: 10, left: 5 };
  it('picks readable ticks', () => {
    expect(niceTicks(0, 18)).toEqual([0, 5, 10, 15, 20]);
    expect(niceTicks(3.2, 3.9)).toEqual([3.2, 3.4, 3.6, 3.8, 4]);
    expect(niceTicks(5, 5).length).toBeGreaterThan(1);
  });
  it('spaces periods evenly and covers values and limits, ignoring gaps', () => {
    const s = chartScales(11, [[null, 2, 8], [16], [null]], box);
    expect(s.x(0)).toBe(5);
    expect(s.x(10)).toBe(105);
    expect(s.yMin).toBe(0);
    expect(s.yMax).toBeGreaterThanOrEqual(16);
    expect(s.y(s.yMin)).toBe(110);
    expect(s.y(s.yMax)).toBe(10);
  });
  it('keeps percentages within 0–100 ticks', () => {
    const s = chartScales(3, [[90, 99, 100]], box, { percent: true });
    expect(Math.max(...s.ticks)).toBeLessThanOrEqual(100);
  });
  it('breaks the line at a period without data (a gap, not a zero)', () => {
    const x = (i: number) => i * 10;
    const y = (v: number) => v;
    expect(linePath([1, 2, null, 4, 5], x, y)).toBe('M0,1L10,2M30,4L40,5');
    expect(linePath([null, 3, null], x, y)).toBe('M10,3');
    expect(linePath([null], x, y)).toBe('');
  });
  it('joins series periods with chart points one to one', () => {
    const m = makeMetric();
    const rows = chartRows(m);
    expect(rows).toHaveLength(6);
    expect(rows[5].point?.point_type).toBe('special_cause_concern');
    expect(chartRows({ ...m, chart: null }).every((r) => r.point === undefined)).toBe(true);
  });
});

describe('CSV export', () => {
  it('writes the series with the chart lines, gaps as empty cells', () => {
    const csv = metricCsv(makeMetric());
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('start,numerator,denominator,value,centre_line,lower_limit,upper_limit,special_cause,point_type');
    expect(lines[1]).toBe('2026-01-05,9,100,9,10,4,16,Common Cause,common_cause');
    expect(lines[3]).toBe('2026-01-19,0,0,,10,4,16,Common Cause,common_cause');
    expect(lines[6]).toBe('2026-02-09,18,100,18,10,4,16,Above UCL,special_cause_concern');
    expect(lines).toHaveLength(7);
  });
  it('without a chart has only the series, and quotes awkward text', () => {
    const m = makeMetric({ chart: null });
    expect(metricCsv(m).split('\r\n')[0]).toBe('start,numerator,denominator,value');
    const odd = makeMetric();
    odd.chart!.points[0].special_cause = 'Trend, "7 points"';
    expect(metricCsv(odd).split('\r\n')[1]).toContain('"Trend, ""7 points"""');
  });
});

describe('period phrases for the drill-down', () => {
  it('names a week, a month and a day', () => {
    expect(periodPhrase('2026-02-09', 'week')).toBe('week of 9 Feb 2026');
    expect(periodPhrase('2026-02-09', 'week', true)).toBe('the week of 9 Feb 2026');
    expect(periodPhrase('2026-02-01', 'month', true)).toBe('February 2026');
    expect(periodPhrase('2026-02-09', 'day', true)).toBe('Mon 9 Feb 2026');
    expect(periodPhrase('not a date', 'week')).toBe('not a date');
  });
});
