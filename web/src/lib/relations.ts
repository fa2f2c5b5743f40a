// Patient relations: words for the API's codes, due-date logic and small pure helpers shared by the case pages.
import { DateTime } from 'luxon';
import type {
  Case,
  CaseChannel,
  CaseEventType,
  CaseKind,
  CaseSeverity,
  CaseStatus,
  ContactPreference,
  DayCount,
  DeadlineState,
  InquiryType,
  Milestone,
  TriageFacts,
} from '../api/types';
import { fmtDateTime } from './time';

export const KIND_LABEL: Record<CaseKind, string> = { complaint: 'Complaint', grievance: 'Grievance', inquiry: 'Inquiry' };
export const KIND_PLURAL: Record<CaseKind, string> = { complaint: 'Complaints', grievance: 'Grievances', inquiry: 'Inquiries' };
export const INQUIRY_TYPE_LABEL: Record<InquiryType, string> = {
  billing: 'Billing',
  scheduling: 'Scheduling',
  records: 'Medical records',
  general: 'General',
};
export const CASE_STATUSES: CaseStatus[] = ['received', 'acknowledged', 'investigating', 'awaiting_response', 'resolved', 'closed', 'reopened'];
export const CASE_STATUS_LABEL: Record<CaseStatus, string> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  investigating: 'Investigating',
  awaiting_response: 'Awaiting response',
  resolved: 'Resolved',
  closed: 'Closed',
  reopened: 'Reopened',
};
/** Button text for moving a case to a status. */
export const STATUS_ACTION: Record<CaseStatus, string> = {
  received: 'Move back to received',
  acknowledged: 'Mark acknowledged',
  investigating: 'Start investigating',
  awaiting_response: 'Awaiting response',
  resolved: 'Mark resolved',
  closed: 'Close case',
  reopened: 'Reopen case',
};
export const CHANNELS: CaseChannel[] = ['phone', 'in_person', 'letter', 'email', 'web_form'];
export const CHANNEL_LABEL: Record<CaseChannel, string> = {
  phone: 'Phone call',
  in_person: 'In person',
  letter: 'Letter',
  email: 'Email',
  web_form: 'Web form',
};
/** Channels that produce a written concern (CMS: a written complaint is always a grievance). */
export const WRITTEN_CHANNELS: CaseChannel[] = ['letter', 'email', 'web_form'];
export const SEVERITIES: CaseSeverity[] = ['low', 'medium', 'high', 'critical'];
export const SEVERITY_LABEL: Record<CaseSeverity, string> = { low: 'Low', medium: 'Medium', high: 'High', critical: 'Critical' };
export const SEVERITY_HINT: Record<CaseSeverity, string> = {
  low: 'Service or comfort issue, no harm',
  medium: 'Care or communication fell short',
  high: 'Possible harm or rights issue',
  critical: 'Harm, abuse or immediate risk',
};
export const CONTACT_PREF_LABEL: Record<ContactPreference, string> = {
  phone: 'Phone',
  email: 'Email',
  letter: 'Letter (post)',
  none: 'No contact wanted',
};
export const MILESTONE_LABEL: Record<Milestone, string> = {
  acknowledge: 'Acknowledge receipt',
  resolve_or_interim_notice: 'Resolve or send interim notice',
  written_decision: 'Send written decision',
  resolve: 'Resolve',
};
export const MILESTONES: Milestone[] = ['acknowledge', 'resolve_or_interim_notice', 'written_decision', 'resolve'];
/** The milestones that make sense for each kind (others the server sends are kept). */
export const MILESTONES_FOR: Record<CaseKind, Milestone[]> = {
  complaint: ['acknowledge', 'resolve'],
  grievance: ['acknowledge', 'resolve_or_interim_notice', 'written_decision', 'resolve'],
  inquiry: ['acknowledge', 'resolve'],
};
export const DEADLINE_STATE_LABEL: Record<DeadlineState, string> = {
  pending: 'Pending',
  met: 'Met',
  met_late: 'Met late',
  overdue: 'Overdue',
};
export const DAY_COUNT_LABEL: Record<DayCount, string> = { business_days: 'Business days', calendar_days: 'Calendar days' };
export const EVENT_LABEL: Record<CaseEventType, string> = {
  intake: 'Received',
  note: 'Note',
  action: 'Action taken',
  status: 'Status changed',
  owner: 'Owner changed',
  triage: 'Triage',
  interim_notice: 'Interim notice',
  letter: 'Decision letter',
  attachment: 'Attachment',
};

export const label = <K extends string>(map: Record<K, string>, k: string | null | undefined): string =>
  k ? ((map as Record<string, string>)[k] ?? k.replace(/_/g, ' ')) : '';

// ---- triage facts ---------------------------------------------------------------------------
export const FACT_KEYS: (keyof TriageFacts)[] = [
  'written',
  'response_requested',
  'resolved_promptly_by_staff_present',
  'alleges_abuse_or_neglect',
  'alleges_conditions_of_participation_breach',
  'quality_of_care_concern',
  'premature_discharge_concern',
  'medicare_billing_rights_issue',
];
export const FACT_LABEL: Record<keyof TriageFacts, { label: string; hint?: string }> = {
  written: { label: 'Made in writing', hint: 'letter, email, web form or a note written by the patient' },
  response_requested: { label: 'The person asked for a written or formal response' },
  resolved_promptly_by_staff_present: { label: 'Resolved on the spot by staff who were there' },
  alleges_abuse_or_neglect: { label: 'Alleges abuse, neglect or exploitation' },
  alleges_conditions_of_participation_breach: {
    label: 'Alleges a breach of patient rights or hospital standards',
    hint: 'e.g. privacy, consent, restraint, safety',
  },
  quality_of_care_concern: { label: 'About the quality of care received' },
  premature_discharge_concern: { label: 'About being discharged too early' },
  medicare_billing_rights_issue: { label: 'About Medicare billing or a Medicare patient’s rights' },
};
export const noFacts = (): TriageFacts => ({
  written: false,
  resolved_promptly_by_staff_present: false,
  response_requested: false,
  alleges_abuse_or_neglect: false,
  alleges_conditions_of_participation_breach: false,
  medicare_billing_rights_issue: false,
  quality_of_care_concern: false,
  premature_discharge_concern: false,
});
export function factsToList(f: TriageFacts): string[] {
  return FACT_KEYS.filter((k) => f[k]);
}
export function factsFromList(list: string[]): TriageFacts {
  const f = noFacts();
  for (const k of FACT_KEYS) f[k] = list.includes(k);
  return f;
}

// ---- due dates --------------------------------------------------------------------------------
export type DueLevel = 'overdue' | 'soon' | 'ok' | 'none';
export interface DueInfo {
  level: DueLevel;
  /** Words that carry the level without colour: "Overdue", "Due soon". Empty when on track. */
  label: string;
  /** The due date and time, formatted. */
  when: string;
  /** "in 3 days", "2 days ago". */
  relative: string;
}

/** How the "next due" of a case is shown: overdue (red), due soon (amber), on track, or nothing due. */
export function dueInfo(c: Pick<Case, 'next_due' | 'overdue' | 'due_soon'>, now: number = Date.now()): DueInfo {
  if (!c.next_due) return { level: 'none', label: '', when: '', relative: '' };
  const due = Date.parse(c.next_due);
  const overdue = c.overdue || (!Number.isNaN(due) && due < now);
  const level: DueLevel = overdue ? 'overdue' : c.due_soon ? 'soon' : 'ok';
  return {
    level,
    label: level === 'overdue' ? 'Overdue' : level === 'soon' ? 'Due soon' : '',
    when: fmtDateTime(c.next_due),
    relative: Number.isNaN(due) ? '' : relativeTo(due, now),
  };
}

/** "in 5 hours", "3 days ago", "in 2 days" (rounded; minutes under an hour). */
export function relativeTo(t: number, now: number): string {
  const diff = t - now;
  const abs = Math.abs(diff);
  const mins = Math.round(abs / 60000);
  let text: string;
  if (mins < 60) text = `${Math.max(1, mins)} min`;
  else if (mins < 48 * 60) {
    const h = Math.round(mins / 60);
    text = `${h} hour${h === 1 ? '' : 's'}`;
  } else {
    const d = Math.round(mins / (24 * 60));
    text = `${d} day${d === 1 ? '' : 's'}`;
  }
  return diff >= 0 ? `in ${text}` : `${text} ago`;
}

export const isOpen = (c: Pick<Case, 'status'>) => c.status !== 'closed';

/** The triage decision still has to be made (complaints/grievances only). */
export const needsTriage = (c: Pick<Case, 'kind' | 'triage'>) => c.kind !== 'inquiry' && !!c.triage && !c.triage.decision;

// ---- letter template ----------------------------------------------------------------------------
export const PLACEHOLDERS: { key: string; text: string }[] = [
  { key: 'patient_name', text: 'Patient’s name' },
  { key: 'organization_name', text: 'Your organisation' },
  { key: 'contact_name', text: 'Contact person for the case' },
  { key: 'contact_title', text: 'Their job title' },
  { key: 'contact_phone', text: 'Their phone number' },
  { key: 'investigation_steps', text: 'Steps taken to investigate' },
  { key: 'results', text: 'Results of the investigation' },
  { key: 'received_date', text: 'Date the concern was received' },
  { key: 'completion_date', text: 'Date the investigation was completed' },
  { key: 'letter_date', text: 'Date of the letter' },
  { key: 'reference_number', text: 'Case reference number' },
  { key: 'further_recourse', text: 'Further recourse (e.g. state agency, QIO)' },
];

/** Placeholders used in a template that CareDesk does not know (typos such as {{patient}}). */
export function unknownPlaceholders(template: string): string[] {
  const known = new Set(PLACEHOLDERS.map((p) => p.key));
  const out: string[] = [];
  for (const m of template.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)) {
    if (!known.has(m[1]) && !out.includes(m[1])) out.push(m[1]);
  }
  return out;
}
/** Unbalanced braces ("{{patient_name}" or "{patient_name}}"). */
export function hasUnbalancedBraces(template: string): boolean {
  const stripped = template.replace(/\{\{[^{}]*\}\}/g, '');
  return /\{\{|\}\}/.test(stripped);
}

// ---- misc formatting ----------------------------------------------------------------------------
export function fmtBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** "2026-03" → "Mar 2026". */
export function fmtMonth(month: string): string {
  const dt = DateTime.fromISO(`${month}-01`);
  return dt.isValid ? dt.toFormat('LLL yyyy') : month;
}

/** A count of seconds as "about 2 minutes" / "30 seconds". */
export function fmtWait(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return 'a few minutes';
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} seconds`;
  const m = Math.ceil(seconds / 60);
  if (m < 60) return `${m} minute${m === 1 ? '' : 's'}`;
  const h = Math.ceil(m / 60);
  return `${h} hour${h === 1 ? '' : 's'}`;
}
