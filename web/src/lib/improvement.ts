// Improvement projects and PDSA cycles: labels, validation, and where cycles fall on an SPC chart's x axis.
import { DateTime } from 'luxon';
import type { Id, ImprovementProject, MetricInterval, MetricProject, PdsaCycle, ProjectStatus } from '../api/types';
import { addDays, fmtDate, todayIn } from './time';

export const PROJECT_STATUSES: ProjectStatus[] = ['active', 'completed', 'abandoned'];
export const PROJECT_STATUS_LABEL: Record<string, string> = { active: 'Active', completed: 'Completed', abandoned: 'Abandoned' };
export const statusLabel = (s: string) => PROJECT_STATUS_LABEL[s] ?? s;

/** Field limits of the API (400 names the field beyond them). */
export const TITLE_MAX = 200;
export const AIM_MAX = 2000;

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export const isDate = (s: string | null | undefined): s is string => !!s && DATE_RE.test(s) && DateTime.fromISO(s).isValid;
const day = (s: string) => s.slice(0, 10);

/** "Mon 2 Mar 2026 – Fri 8 May 2026", "from Mon 2 Mar 2026" while open-ended. */
export function fmtSpan(start: string | null | undefined, end: string | null | undefined, open = 'ongoing'): string {
  if (!start) return '';
  return end ? `${fmtDate(start)} – ${fmtDate(end)}` : `${fmtDate(start)} – ${open}`;
}

// ---- Chart placement ------------------------------------------------------------------------------------
/** First day after the period that starts on `start` (weeks are 7 days, months calendar months). */
export function periodEnd(start: string, interval: MetricInterval | string): string {
  const d = DateTime.fromISO(day(start));
  const next = interval === 'month' ? d.plus({ months: 1 }) : interval === 'day' ? d.plus({ days: 1 }) : d.plus({ days: 7 });
  return next.toISODate() ?? start;
}

/**
 * Index of the charted period holding `date` (periods given by their start dates, ascending), or -1 when the
 * date lies before the first period or after the last one ends.
 */
export function periodIndexOf(date: string, starts: readonly string[], interval: MetricInterval | string): number {
  if (!isDate(day(date))) return -1;
  const d = day(date);
  for (let i = starts.length - 1; i >= 0; i--) {
    if (day(starts[i]) <= d) return d < periodEnd(starts[i], interval) ? i : -1;
  }
  return -1;
}

export interface CycleMarker {
  key: string;
  projectId: Id;
  cycleId: Id;
  /** Period index on the chart's x axis. */
  index: number;
  /** 1-based position of the cycle in its project (by start date). */
  number: number;
  /** Short label drawn on the chart: "PDSA 2". */
  label: string;
  /** Full description for the tooltip and screen readers. */
  title: string;
  start_date: string;
  end_date: string | null;
}

/** One marker per cycle whose start date falls inside a charted period; cycles outside the periods are skipped. */
export function cycleMarkers(projects: readonly MetricProject[] | undefined, starts: readonly string[], interval: MetricInterval | string): CycleMarker[] {
  const out: CycleMarker[] = [];
  for (const p of projects ?? []) {
    const cycles = [...(p.cycles ?? [])].sort((a, b) => (a.start_date < b.start_date ? -1 : a.start_date > b.start_date ? 1 : 0));
    cycles.forEach((c, k) => {
      const index = periodIndexOf(c.start_date, starts, interval);
      if (index < 0) return;
      const number = k + 1;
      const label = `PDSA ${number}`;
      const name = c.title?.trim() ? `: ${c.title.trim()}` : '';
      out.push({
        key: `${p.id}-${c.id}`,
        projectId: p.id,
        cycleId: c.id,
        index,
        number,
        label,
        title: `${label}${name} (${p.title}), ${c.end_date ? `${fmtDate(c.start_date)} to ${fmtDate(c.end_date)}` : `from ${fmtDate(c.start_date)}, running`}`,
        start_date: c.start_date,
        end_date: c.end_date,
      });
    });
  }
  return out.sort((a, b) => a.index - b.index);
}

export interface ProjectBand {
  projectId: Id;
  /** First and last charted period the project overlaps (inclusive). */
  i0: number;
  i1: number;
  title: string;
}

/** The span of each project over the charted periods (clipped to them); projects wholly outside are skipped. */
export function projectBands(projects: readonly MetricProject[] | undefined, starts: readonly string[], interval: MetricInterval | string): ProjectBand[] {
  const out: ProjectBand[] = [];
  if (!starts.length) return out;
  for (const p of projects ?? []) {
    if (!isDate(day(p.start_date ?? ''))) continue;
    const s = day(p.start_date);
    const e = p.end_date ? day(p.end_date) : null;
    const i0 = starts.findIndex((st) => periodEnd(st, interval) > s);
    let i1 = -1;
    for (let i = starts.length - 1; i >= 0; i--)
      if (e === null || day(starts[i]) <= e) {
        i1 = i;
        break;
      }
    if (i0 < 0 || i1 < 0 || i0 > i1) continue;
    out.push({ projectId: p.id, i0, i1, title: `Improvement project “${p.title}”, ${fmtSpan(p.start_date, p.end_date)}` });
  }
  return out;
}

/**
 * Rows for marker labels so that neighbours closer than `minGap` (in x) do not overlap: each label takes the
 * first row whose last label is far enough to the left; with every row taken, the one free the longest.
 */
export function labelRows(xs: readonly number[], minGap: number, maxRows = 3): number[] {
  const last: number[] = [];
  return xs.map((x) => {
    let row = last.findIndex((lx) => x - lx >= minGap);
    if (row < 0) {
      if (last.length < maxRows) row = last.length;
      else row = last.indexOf(Math.min(...last));
    }
    last[row] = x;
    return row;
  });
}

/** A project as the metric answers carry it (for drawing a project being edited on its chart). */
export function asMetricProject(p: ImprovementProject): MetricProject {
  return {
    id: p.id,
    title: p.title,
    aim: p.aim,
    start_date: p.start_date,
    end_date: p.end_date,
    target: p.target,
    status: p.status,
    cycles: (p.cycles ?? []).map((c) => ({ id: c.id, title: c.title, start_date: c.start_date, end_date: c.end_date })),
  };
}

/**
 * The weekly chart on a project's page: from 12 weeks before the project starts (a baseline) to today, kept
 * within the API's 3-year limit and never starting after today.
 */
export function projectChartRange(start: string, today = todayIn()): { from: string; to: string } {
  let from = isDate(start) ? addDays(start, -84) : addDays(today, -26 * 7 + 1);
  if (from > addDays(today, -84)) from = addDays(today, -84);
  const earliest = DateTime.fromISO(today).minus({ years: 3 }).plus({ days: 1 }).toISODate()!;
  if (from < earliest) from = earliest;
  return { from, to: today };
}

// ---- Forms ---------------------------------------------------------------------------------------------------
export interface ProjectDraft {
  title: string;
  aim: string;
  metric_key: string;
  /** '' = all locations. */
  location_id: string;
  owner: string;
  start_date: string;
  end_date: string;
  target: string;
  status: ProjectStatus;
}
export const PROJECT_FIELDS = ['title', 'aim', 'metric_key', 'location_id', 'owner', 'start_date', 'end_date', 'target', 'status'] as const;
export type ProjectField = (typeof PROJECT_FIELDS)[number];

export function projectDraft(p?: Partial<ImprovementProject>): ProjectDraft {
  return {
    title: p?.title ?? '',
    aim: p?.aim ?? '',
    metric_key: p?.metric_key ?? '',
    location_id: p?.location_id === null || p?.location_id === undefined ? '' : String(p.location_id),
    owner: p?.owner ?? '',
    start_date: p?.start_date ?? '',
    end_date: p?.end_date ?? '',
    target: p?.target === null || p?.target === undefined ? '' : String(p.target),
    status: (p?.status as ProjectStatus) ?? 'active',
  };
}

export function validateProject(d: ProjectDraft): Partial<Record<ProjectField, string>> {
  const e: Partial<Record<ProjectField, string>> = {};
  if (!d.title.trim()) e.title = 'Enter a title for the project.';
  else if (d.title.trim().length > TITLE_MAX) e.title = `Keep the title to ${TITLE_MAX} characters or fewer.`;
  if (!d.aim.trim()) e.aim = 'Describe the aim: what will improve, by how much, by when.';
  else if (d.aim.trim().length > AIM_MAX) e.aim = `Keep the aim to ${AIM_MAX.toLocaleString('en-US')} characters or fewer.`;
  if (!d.metric_key) e.metric_key = 'Choose the metric that shows whether the change is an improvement.';
  if (!d.start_date) e.start_date = 'Choose the day the project starts.';
  else if (!isDate(d.start_date)) e.start_date = 'Enter a valid date.';
  if (d.end_date && !isDate(d.end_date)) e.end_date = 'Enter a valid date.';
  else if (d.end_date && isDate(d.start_date) && d.end_date < d.start_date) e.end_date = 'The end date is before the start date.';
  if (d.target.trim() && !Number.isFinite(Number(d.target.trim()))) e.target = 'Enter a number, or leave the target empty.';
  return e;
}

export function projectInput(d: ProjectDraft) {
  return {
    title: d.title.trim(),
    aim: d.aim.trim(),
    metric_key: d.metric_key,
    location_id: d.location_id === '' ? null : /^\d+$/.test(d.location_id) ? Number(d.location_id) : d.location_id,
    owner: d.owner.trim(),
    start_date: d.start_date,
    end_date: d.end_date || null,
    target: d.target.trim() === '' ? null : Number(d.target.trim()),
    status: d.status,
  };
}

export interface CycleDraft {
  title: string;
  plan: string;
  do_notes: string;
  study: string;
  act: string;
  start_date: string;
  end_date: string;
}
export const CYCLE_FIELDS = ['title', 'start_date', 'end_date', 'plan', 'do_notes', 'study', 'act'] as const;
export type CycleField = (typeof CYCLE_FIELDS)[number];

export function cycleDraft(c?: Partial<PdsaCycle>): CycleDraft {
  return {
    title: c?.title ?? '',
    plan: c?.plan ?? '',
    do_notes: c?.do_notes ?? '',
    study: c?.study ?? '',
    act: c?.act ?? '',
    start_date: c?.start_date ?? '',
    end_date: c?.end_date ?? '',
  };
}

/** Checks the API makes too: title and start required, dates in order and within the project's. */
export function validateCycle(d: CycleDraft, project: Pick<ImprovementProject, 'start_date' | 'end_date'>): Partial<Record<CycleField, string>> {
  const e: Partial<Record<CycleField, string>> = {};
  if (!d.title.trim()) e.title = 'Enter a title for the cycle, like “Reminder calls two days ahead”.';
  else if (d.title.trim().length > TITLE_MAX) e.title = `Keep the title to ${TITLE_MAX} characters or fewer.`;
  const pEnd = project.end_date;
  if (!d.start_date) e.start_date = 'Choose the day the cycle starts.';
  else if (!isDate(d.start_date)) e.start_date = 'Enter a valid date.';
  else if (project.start_date && d.start_date < project.start_date) e.start_date = `The project starts on ${fmtDate(project.start_date)}; start the cycle then or later.`;
  else if (pEnd && d.start_date > pEnd) e.start_date = `The project ends on ${fmtDate(pEnd)}; start the cycle by then.`;
  if (d.end_date) {
    if (!isDate(d.end_date)) e.end_date = 'Enter a valid date.';
    else if (isDate(d.start_date) && d.end_date < d.start_date) e.end_date = 'The end date is before the start date.';
    else if (pEnd && d.end_date > pEnd) e.end_date = `The project ends on ${fmtDate(pEnd)}; end the cycle by then.`;
  }
  return e;
}

export function cycleInput(d: CycleDraft) {
  return {
    title: d.title.trim(),
    plan: d.plan.trim(),
    do_notes: d.do_notes.trim(),
    study: d.study.trim(),
    act: d.act.trim(),
    start_date: d.start_date,
    end_date: d.end_date || null,
  };
}

/** A sensible first day for a new cycle: today when inside the project, else the project's start. */
export function defaultCycleStart(project: Pick<ImprovementProject, 'start_date' | 'end_date'>, today = todayIn()): string {
  if (project.start_date && today < project.start_date) return project.start_date;
  if (project.end_date && today > project.end_date) return project.start_date;
  return today;
}
