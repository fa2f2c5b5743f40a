// "What patients say": filters in the URL, the themes-over-time grid and the worst-rated units.
import type { CommentQuery } from '../api/endpoints';
import type { CommentSource, CommentTrends, Sentiment } from '../api/types';
import { DateTime } from 'luxon';
import { todayIn } from './time';

export const SENTIMENT_LABEL: Record<Sentiment | 'none', string> = {
  positive: 'Positive',
  neutral: 'Neutral',
  negative: 'Negative',
  none: 'Not classified',
};
export const SOURCE_LABEL: Record<CommentSource, string> = { case: 'Complaint or grievance', survey: 'Survey' };

export const PAGE_SIZE = 25;

export interface CommentFilters {
  from: string;
  to: string;
  location: string;
  source: CommentSource | '';
  sentiment: Sentiment | '';
  theme: string;
  q: string;
  offset: number;
}

export function defaultCommentRange(today = todayIn()): { from: string; to: string } {
  const t = DateTime.fromISO(today);
  return { from: t.minus({ months: 11 }).startOf('month').toISODate()!, to: today };
}

const SOURCES = ['case', 'survey'];
const SENTIMENTS = ['positive', 'neutral', 'negative'];

export function commentFiltersFromParams(p: URLSearchParams, today?: string): CommentFilters {
  const def = defaultCommentRange(today);
  const src = p.get('source') ?? '';
  const sen = p.get('sentiment') ?? '';
  const off = Number(p.get('offset') ?? 0);
  return {
    from: p.get('from') || def.from,
    to: p.get('to') || def.to,
    location: p.get('location') ?? '',
    source: (SOURCES.includes(src) ? src : '') as CommentSource | '',
    sentiment: (SENTIMENTS.includes(sen) ? sen : '') as Sentiment | '',
    theme: p.get('theme') ?? '',
    q: p.get('q') ?? '',
    offset: Number.isInteger(off) && off > 0 ? off : 0,
  };
}

/** URL parameters for the filters: empty values and a zero offset left out. */
export function commentFiltersToParams(f: CommentFilters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(f)) {
    if (k === 'offset') {
      if (v) out.offset = String(v);
    } else if (v !== '' && v !== undefined && v !== null) out[k] = String(v).trim();
  }
  if (out.q === '') delete out.q;
  return out;
}

/** The list call's query. */
export function commentListQuery(f: CommentFilters, limit = PAGE_SIZE): CommentQuery {
  return {
    from: f.from,
    to: f.to,
    location_id: f.location || undefined,
    source: f.source || undefined,
    sentiment: f.sentiment || undefined,
    theme: f.theme || undefined,
    q: f.q.trim() || undefined,
    limit,
    offset: f.offset,
  };
}

export interface ThemeGrid {
  periods: string[];
  /** Themes, most mentioned first. */
  rows: { theme: string; counts: number[]; total: number }[];
  max: number;
}

/** Themes × periods counts (a period without a theme's mention is 0 — comments were counted, none mentioned it). */
export function themeGrid(t: Pick<CommentTrends, 'periods' | 'themes'>): ThemeGrid {
  const periods = [...new Set([...(t.periods ?? []), ...t.themes.map((x) => x.period)])].sort();
  const idx = new Map(periods.map((p, i) => [p, i]));
  const by = new Map<string, number[]>();
  for (const c of t.themes) {
    if (!c.key) continue;
    if (!by.has(c.key)) by.set(c.key, periods.map(() => 0));
    by.get(c.key)![idx.get(c.period)!] += c.count;
  }
  const rows = [...by.entries()]
    .map(([theme, counts]) => ({ theme, counts, total: counts.reduce((a, b) => a + b, 0) }))
    .sort((a, b) => b.total - a.total || a.theme.localeCompare(b.theme));
  const max = Math.max(0, ...rows.flatMap((r) => r.counts));
  return { periods, rows, max };
}

export interface UnitRating {
  unit: string;
  total: number;
  classified: number;
  negative: number;
  /** Negative share of the classified comments; null when none was classified. */
  share: number | null;
}

/** Units by share of negative comments (of those with a sentiment), worst first; ties by more negatives. */
export function worstUnits(units: CommentTrends['units'], minComments = 1): UnitRating[] {
  const by = new Map<string, UnitRating>();
  for (const u of units) {
    const r = by.get(u.unit) ?? { unit: u.unit, total: 0, classified: 0, negative: 0, share: null };
    r.total += u.count;
    if (u.key) r.classified += u.count;
    if (u.key === 'negative') r.negative += u.count;
    by.set(u.unit, r);
  }
  return [...by.values()]
    .map((r) => ({ ...r, share: r.classified ? r.negative / r.classified : null }))
    .filter((r) => r.total >= minComments)
    .sort((a, b) => (b.share ?? -1) - (a.share ?? -1) || b.negative - a.negative || a.unit.localeCompare(b.unit));
}

/** Background for a heat-map cell: 0 is white, the busiest cell the strongest tint (text stays dark enough). */
export function heatColor(count: number, max: number): string {
  if (!count || !max) return '#ffffff';
  const f = Math.min(1, count / max);
  const l = Math.round(97 - f * 40); // 97% → 57% lightness
  return `hsl(200 65% ${l}%)`;
}

export function fmtMonthLabel(period: string): string {
  const d = DateTime.fromISO(period.length === 7 ? `${period}-01` : period);
  if (!d.isValid) return period;
  return period.length === 7 ? d.toFormat('LLL yyyy') : d.toFormat('d LLL yyyy');
}
