// Service-metric helpers: Making Data Count variation labels, value formatting, SPC chart geometry, CSV export.
import { DateTime } from 'luxon';
import type { Improvement, MetricInterval, MetricResult, SpcPoint } from '../api/types';
import { addDays, todayIn } from './time';

// ---- Variation (NHS "Making Data Count") ------------------------------------------------------------
export type VariationTone = 'common' | 'improvement' | 'concern' | 'neutral' | 'none';
export interface VariationInfo {
  tone: VariationTone;
  /** Which way the latest special cause points (higher or lower values); null for common cause / no data. */
  direction: 'up' | 'down' | null;
  /** Words for the icon — the meaning never rests on colour alone. */
  label: string;
}

/**
 * The icon and words for a metric's latest variation. Improvement and concern point the way the values moved:
 * an improvement on a "decrease is better" metric is a lower value (down arrow), a concern is a higher one.
 */
export function variationInfo(variation: string | null | undefined, improvement: Improvement | string = 'neutral'): VariationInfo {
  const lowerIsBetter = improvement === 'decrease';
  switch (variation) {
    case 'common_cause':
      return { tone: 'common', direction: null, label: 'Common cause — no significant change' };
    case 'special_cause_improvement': {
      const direction = lowerIsBetter ? 'down' : 'up';
      return { tone: 'improvement', direction, label: `Special cause — improving (${direction === 'up' ? 'higher' : 'lower'})` };
    }
    case 'special_cause_concern': {
      const direction = lowerIsBetter ? 'up' : 'down';
      return { tone: 'concern', direction, label: `Special cause — concerning (${direction === 'up' ? 'higher' : 'lower'})` };
    }
    case 'special_cause_neutral_high':
      return { tone: 'neutral', direction: 'up', label: 'Special cause — neither better nor worse (higher)' };
    case 'special_cause_neutral_low':
      return { tone: 'neutral', direction: 'down', label: 'Special cause — neither better nor worse (lower)' };
    default:
      return { tone: 'none', direction: null, label: 'Not enough data to judge variation' };
  }
}

/** Tone for one chart point: flagged when outside the limits (sigma_signal) or part of a special-cause rule. */
export function pointTone(p: Pick<SpcPoint, 'sigma_signal' | 'point_type'>): VariationTone {
  const t = p.point_type;
  if (t === 'special_cause_improvement') return 'improvement';
  if (t === 'special_cause_concern') return 'concern';
  if (t === 'special_cause_neutral_high' || t === 'special_cause_neutral_low') return 'neutral';
  if (p.sigma_signal) return 'neutral';
  return 'common';
}

export const IMPROVEMENT_TEXT: Record<string, string> = {
  increase: 'Higher is better',
  decrease: 'Lower is better',
  neutral: 'Neither direction is better',
};

export const ASSURANCE_TEXT: Record<string, string> = {
  consistent_pass: 'Consistently meets the target',
  consistent_fail: 'Consistently misses the target',
  inconsistent: 'Hits and misses the target',
};

// ---- Formatting ----------------------------------------------------------------------------------------
export function fmtNumber(v: number | null | undefined, digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const d = digits ?? (Math.abs(v) >= 100 ? 0 : 1);
  return v.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: 0 });
}

/** "12.3%", "4.2 days", "18 minutes", "5.1 per 1,000 visits". */
export function fmtValue(v: number | null | undefined, unit: string): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const n = fmtNumber(v);
  if (unit === '%') return `${n}%`;
  return unit ? `${n} ${unit}` : n;
}

/** Period label: "Mar 2026" for months, "5 Jan 2026" for weeks and days. */
export function fmtPeriod(start: string, interval: MetricInterval | string, short = false): string {
  const d = DateTime.fromISO(start);
  if (!d.isValid) return start;
  if (interval === 'month') return d.toFormat(short ? 'LLL yy' : 'LLL yyyy');
  return d.toFormat(short ? 'd LLL' : 'd LLL yyyy');
}

/**
 * A period in words, for headings and accessible names: "week of 9 Feb 2026" ("the week of …" with `article`),
 * "February 2026", "Mon 9 Feb 2026".
 */
export function periodPhrase(start: string, interval: MetricInterval | string, article = false): string {
  const d = DateTime.fromISO(start);
  if (!d.isValid) return start;
  if (interval === 'month') return d.toFormat('LLLL yyyy');
  if (interval === 'day') return d.toFormat('ccc d LLL yyyy');
  return `${article ? 'the ' : ''}week of ${d.toFormat('d LLL yyyy')}`;
}

export const INTERVAL_LABEL: Record<MetricInterval, string> = { day: 'Daily', week: 'Weekly', month: 'Monthly' };

/** The dashboard's default: the 26 weeks up to today (as the API's own default). */
export function defaultMetricsRange(today = todayIn()): { from: string; to: string } {
  return { from: addDays(today, -26 * 7 + 1), to: today };
}

/** The latest value: the API's `latest` (from the chart), else the last period with data (no chart yet). */
export function latestValue(m: Pick<MetricResult, 'latest' | 'series'>): number | null {
  if (m.latest !== null && m.latest !== undefined) return m.latest;
  for (let i = m.series.length - 1; i >= 0; i--) if (m.series[i].value !== null) return m.series[i].value;
  return null;
}

// ---- Chart geometry --------------------------------------------------------------------------------------
/** Readable tick values covering [min, max]: steps of 1, 2, 2.5 or 5 × 10^n. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max === min) {
    const pad = Math.abs(max) > 0 ? Math.abs(max) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count - 1);
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const lo = Math.floor(min / step + 1e-9) * step;
  const hi = Math.ceil(max / step - 1e-9) * step;
  const out: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) out.push(Number(v.toFixed(10)));
  return out;
}

export interface Box {
  width: number;
  height: number;
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface Scales {
  x: (i: number) => number;
  y: (v: number) => number;
  ticks: number[];
  yMin: number;
  yMax: number;
}

/**
 * Scales for a series of n periods: evenly spaced x, and a y range covering every value and line given
 * (nulls ignored). Non-negative data keeps 0 in view when it is close; percentages stop at 100.
 * `inset` keeps the first and last points off the axes.
 */
export function chartScales(n: number, columns: (number | null | undefined)[][], box: Box, opts: { percent?: boolean; inset?: number } = {}): Scales {
  const vals = columns.flat().filter((v): v is number => v !== null && v !== undefined && Number.isFinite(v));
  let lo = vals.length ? Math.min(...vals) : 0;
  let hi = vals.length ? Math.max(...vals) : 1;
  if (lo >= 0 && lo < (hi - lo) * 0.5) lo = 0;
  let ticks = niceTicks(lo, hi);
  if (opts.percent) ticks = ticks.filter((t) => t >= 0 && t <= 100);
  if (ticks.length < 2) ticks = niceTicks(lo, hi);
  const yMin = Math.min(ticks[0], lo);
  const yMax = Math.max(ticks[ticks.length - 1], hi);
  const inset = opts.inset ?? 0;
  const plotW = box.width - box.left - box.right - 2 * inset;
  const plotH = box.height - box.top - box.bottom;
  const x = (i: number) => box.left + inset + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const y = (v: number) => box.top + plotH - ((v - yMin) / (yMax - yMin || 1)) * plotH;
  return { x, y, ticks, yMin, yMax };
}

/** An SVG path through the values; a null (a period without data) breaks the line — a gap, not a zero. */
export function linePath(values: (number | null | undefined)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let pen = false;
  values.forEach((v, i) => {
    if (v === null || v === undefined || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${round(x(i))},${round(y(v))}`;
    pen = true;
  });
  return d;
}

const round = (v: number) => Math.round(v * 100) / 100;

export interface ChartRow {
  start: string;
  numerator: number;
  denominator: number;
  value: number | null;
  point?: SpcPoint;
}

/** Series periods joined with chart points (one point per period, in order, when the chart has them). */
export function chartRows(m: Pick<MetricResult, 'series' | 'chart'>): ChartRow[] {
  const pts = m.chart?.points ?? [];
  return m.series.map((s, i) => ({ ...s, point: pts.length === m.series.length ? pts[i] : undefined }));
}

// ---- CSV --------------------------------------------------------------------------------------------------
function csvCell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v !== 'string') return String(v);
  const s = v;
  return /[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The metric's series as CSV (with the chart's lines and signals when it has them). */
export function metricCsv(m: MetricResult): string {
  const withChart = !!m.chart && m.chart.points.length === m.series.length;
  const head = ['start', 'numerator', 'denominator', 'value'];
  if (withChart) head.push('centre_line', 'lower_limit', 'upper_limit', 'special_cause', 'point_type');
  const lines = [head.join(',')];
  for (const r of chartRows(m)) {
    const cells: (string | number | null)[] = [r.start, r.numerator, r.denominator, r.value];
    if (withChart) {
      const p = r.point!;
      cells.push(p.cl, p.lcl, p.ucl, p.special_cause, p.point_type);
    }
    lines.push(cells.map(csvCell).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function csvFileName(m: Pick<MetricResult, 'key'>, from: string, to: string): string {
  return `${m.key}_${from}_${to}.csv`;
}
