// Patient surveys: words for the API's codes, the vendor-CSV header reader, column auto-matching,
// score formatting and the mapping of API error fields onto the survey forms.
import type {
  InvitationChannel,
  InvitationState,
  SurveyBoxes,
  SurveyDateFormat,
  SurveyGroupBy,
  SurveyKind,
  SurveyMetadataKey,
  SurveyNpsScore,
  SurveyOption,
} from '../api/types';
import { normaliseField } from '../components/Field';

export const SURVEY_KINDS: SurveyKind[] = ['frequency', 'yes_no', 'rating_0_10', 'recommend', 'agreement', 'nps', 'free_text'];
export const SURVEY_KIND_LABEL: Record<SurveyKind, string> = {
  frequency: 'Frequency (Never … Always)',
  yes_no: 'Yes or no',
  rating_0_10: 'Rating 0–10',
  recommend: 'Would recommend (Definitely no … Definitely yes)',
  agreement: 'Agreement (Strongly disagree … Strongly agree)',
  nps: 'Net Promoter (0–10)',
  free_text: 'Free text',
};
export const kindLabel = (k: string) => (SURVEY_KIND_LABEL as Record<string, string>)[k] ?? k.replace(/_/g, ' ');

/** Kinds answered on an 11-point scale (a row of radios 0…10). */
export const isZeroToTen = (k: string) => k === 'rating_0_10' || k === 'nps';
/** End labels for 0–10 scales when the options carry only the numbers. */
export const SCALE_ENDS: Record<string, [string, string]> = {
  rating_0_10: ['Worst possible', 'Best possible'],
  nps: ['Not at all likely', 'Extremely likely'],
};

export const INVITATION_STATES: InvitationState[] = ['valid', 'used', 'expired', 'opted_out'];
export const INVITATION_STATE_LABEL: Record<InvitationState, string> = {
  valid: 'Waiting for an answer',
  used: 'Answered',
  expired: 'Expired',
  opted_out: 'Opted out',
};
export const CHANNEL_LABEL: Record<InvitationChannel, string> = { email: 'Email', print: 'Printed slip' };

export const GROUP_BYS: SurveyGroupBy[] = ['department', 'provider', 'location', 'week', 'month', 'quarter'];
export const GROUP_BY_LABEL: Record<SurveyGroupBy, string> = {
  department: 'Department',
  provider: 'Provider',
  location: 'Location',
  week: 'Week',
  month: 'Month',
  quarter: 'Quarter',
};
export const METADATA_KEYS: SurveyMetadataKey[] = ['department', 'provider', 'location'];
export const METADATA_LABEL: Record<SurveyMetadataKey, string> = { department: 'Department', provider: 'Provider', location: 'Location' };
export const DATE_FORMAT_LABEL: Record<SurveyDateFormat, string> = {
  iso: 'Year-month-day (2026-03-31)',
  mdy: 'Month/day/year (03/31/2026)',
};

/** Survey and item ids go into URLs and CSV mappings: letters, digits, "_" and "-". */
export const SURVEY_ID_RE = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;
/** Path segments of the survey pages that a survey id would hide. */
export const RESERVED_SURVEY_IDS = ['new', 'settings', 'invitations', 'kinds', 'dispatch'];

// ---- numbers -------------------------------------------------------------------------------------
const ok = (v: number | null | undefined): v is number => v !== null && v !== undefined && Number.isFinite(v);

/** A box share (already a percentage, 0–100). */
export function fmtShare(v: number | null | undefined): string {
  return ok(v) ? `${Math.round(v)}%` : '—';
}
/** A rate given as 0–1. */
export function fmtRate(v: number | null | undefined): string {
  if (!ok(v)) return '—';
  const p = v * 100;
  if (p > 0 && p < 1) return '<1%';
  return `${Math.round(p)}%`;
}
export function fmtMean(v: number | null | undefined): string {
  return ok(v) ? v.toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) : '—';
}
/** NPS runs from −100 to +100; the sign is always shown. */
export function fmtNps(v: number | null | undefined): string {
  if (!ok(v)) return '—';
  const r = Math.round(v);
  return r > 0 ? `+${r}` : r < 0 ? `−${Math.abs(r)}` : '0';
}
export function fmtCount(v: number | null | undefined): string {
  return ok(v) ? v.toLocaleString() : '—';
}
/** `rejected_rows` is a count; accept a list of row numbers too. */
export function rejectedCount(v: number | number[] | null | undefined): number {
  if (Array.isArray(v)) return v.length;
  return ok(v) ? v : 0;
}

/**
 * Shares (0–100) of promoters, passives and detractors. The API's figures may be percentages or counts;
 * dividing by their sum gives the shares either way.
 */
export function npsShares(n: SurveyNpsScore): { promoters: number | null; passives: number | null; detractors: number | null } {
  const p = n.promoters ?? 0;
  const pa = n.passives ?? 0;
  const d = n.detractors ?? 0;
  const sum = p + pa + d;
  if (!(sum > 0)) return { promoters: null, passives: null, detractors: null };
  return { promoters: (p / sum) * 100, passives: (pa / sum) * 100, detractors: (d / sum) * 100 };
}

/** "Always (4)" / "Sometimes, Never (2, 1)": the answers that fall in one box. */
export function boxAnswers(values: number[], options: SurveyOption[]): string {
  if (!values.length) return 'none';
  return values
    .map((v) => {
      const o = options.find((x) => x.value === v);
      return o && o.label !== String(v) ? `${o.label} (${v})` : String(v);
    })
    .join(', ');
}
export function sameBoxes(a: SurveyBoxes | null | undefined, b: SurveyBoxes | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  const eq = (x: number[], y: number[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return eq(a.top, b.top) && eq(a.middle, b.middle) && eq(a.bottom, b.bottom);
}

// ---- CSV (RFC 4180) ----------------------------------------------------------------------------
export class CsvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvError';
  }
}

/**
 * Read up to `maxRows` records of RFC 4180 CSV: comma-separated fields, each optionally in double quotes;
 * inside quotes a doubled quote is one quote and commas and line breaks are data. Records end at CRLF, LF
 * or CR. A byte-order mark is skipped. Throws CsvError for an unclosed quote or text after a closing quote.
 */
export function parseCsvRows(text: string, maxRows = Number.POSITIVE_INFINITY): string[][] {
  const rows: string[][] = [];
  const n = text.length;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (i < n && rows.length < maxRows) {
    const row: string[] = [];
    const rowNo = rows.length + 1;
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) throw new CsvError(`A quoted field in row ${rowNo} is not closed: a closing " is missing.`);
          const c = text[i];
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          field += c;
          i++;
        }
        if (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n')
          throw new CsvError(`Row ${rowNo}, column ${row.length + 1}: there is text after a closing quote.`);
      } else {
        const start = i;
        while (i < n && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') i++;
        field = text.slice(start, i);
      }
      row.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      // end of record
      if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
      else if (i < n) i++;
      break;
    }
    rows.push(row);
  }
  return rows;
}

/** The header row's column names (empty for an empty file or a blank first line). */
export function parseCsvHeader(text: string): string[] {
  const first = parseCsvRows(text, 1)[0] ?? [];
  if (first.length === 1 && first[0].trim() === '') return [];
  return first;
}

/** Column names that occur more than once (a mapping could not tell them apart). */
export function duplicateHeaders(headers: string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const h of headers) {
    if (seen.has(h)) dup.add(h);
    seen.add(h);
  }
  return [...dup];
}

const norm = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * Match survey items to CSV columns: a column whose header equals the item's id or question text
 * (ignoring case and surrounding spaces). Each column is used at most once; ids win over texts.
 */
export function autoMatchColumns(headers: string[], items: { id: string; text: string }[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  const find = (want: string) => headers.find((h) => !used.has(h) && want !== '' && norm(h) === norm(want));
  for (const it of items) {
    const h = find(it.id);
    if (h !== undefined) {
      out[it.id] = h;
      used.add(h);
    }
  }
  for (const it of items) {
    if (out[it.id] !== undefined) continue;
    const h = find(it.text);
    if (h !== undefined) {
      out[it.id] = h;
      used.add(h);
    }
  }
  return out;
}

/** The first header equal (ignoring case, spaces, "_" and "-") to one of the candidates, else "". */
export function guessColumn(headers: string[], candidates: string[]): string {
  const squash = (s: string) => s.toLowerCase().replace(/[\s_-]+/g, '');
  const want = candidates.map(squash);
  return headers.find((h) => want.includes(squash(h))) ?? '';
}

export function splitTokens(s: string): string[] {
  return s
    .split(',')
    .map((t) => t.trim())
    .filter((t, i, all) => t !== '' && all.indexOf(t) === i);
}

// ---- API error fields ----------------------------------------------------------------------------
/**
 * Builder error key for an API field: `id`, `title`, `items`, `items.N.(id|text|kind|measure_id|boxes)`,
 * `measures`, `measures.N` (any deeper part of a measure, e.g. its item_ids, lands on the measure).
 */
export function builderErrorKey(field: string | null | undefined): string | null {
  const f = normaliseField(field);
  if (!f) return null;
  if (f === 'id' || f === 'title' || f === 'items' || f === 'measures') return f;
  const item = /^items\.(\d+)(?:\.([a-z_]+))?/.exec(f);
  if (item) {
    const part = item[2];
    if (!part) return `items.${item[1]}.id`;
    return `items.${item[1]}.${['id', 'text', 'kind', 'measure_id'].includes(part) ? part : part === 'boxes' || part === 'options' ? 'boxes' : 'id'}`;
  }
  const m = /^measures\.(\d+)(?:\.name)?/.exec(f);
  if (m) return /\.name$/.test(f) ? `measures.${m[1]}.name` : `measures.${m[1]}`;
  return null;
}

/**
 * Import-form error key for an API field. `sentItems` and `sentMeta` are the item ids and metadata keys in
 * the order they were sent (the API names `mapping.items[2].column` by position).
 */
export function importErrorKey(field: string | null | undefined, sentItems: string[], sentMeta: string[]): string | null {
  const f = normaliseField(field);
  if (!f) return null;
  if (f === 'csv' || f === 'filename') return 'csv';
  const g = f.replace(/^mapping\./, '');
  if (['respondent_id_column', 'encounter_id_column', 'date_column', 'date_format', 'missing_values'].includes(g)) return g;
  if (/^missing_values\./.test(g)) return 'missing_values';
  const it = /^items\.(\d+)/.exec(g);
  if (it) return sentItems[Number(it[1])] !== undefined ? `item.${sentItems[Number(it[1])]}` : 'items';
  if (g === 'items') return 'items';
  const md = /^metadata\.(\d+)/.exec(g);
  if (md) return sentMeta[Number(md[1])] !== undefined ? `meta.${sentMeta[Number(md[1])]}` : 'metadata';
  if (g === 'metadata') return 'metadata';
  return null;
}

/**
 * The item a public-answer error is about: `answers.<item>.value` (or `.text`), or `answers[N]…` by position
 * in the answers sent. null for `answers` as a whole.
 */
export function answerErrorItem(field: string | null | undefined, sent: { item_id: string }[]): string | null {
  if (!field) return null;
  const byPos = /^answers\[(\d+)\]/.exec(field);
  if (byPos) return sent[Number(byPos[1])]?.item_id ?? null;
  const m = /^answers\.(.+?)(?:\.(value|text))?$/.exec(field);
  return m ? m[1] : null;
}
