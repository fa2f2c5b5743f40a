// Types from docs/API.md (CareDesk HTTP API v1). Keep in step with the contract.

export type Role = 'admin' | 'manager' | 'coordinator' | 'clinician' | 'billing' | 'auditor';
export const ROLES: Role[] = ['admin', 'manager', 'coordinator', 'clinician', 'billing', 'auditor'];

export interface ApiErrorBody {
  error: { code: string; message: string; field?: string | null };
  [extra: string]: unknown;
}

export interface ListResponse<T> {
  items: T[];
  limit?: number;
  offset?: number;
  total?: number;
}

// ---- Session -------------------------------------------------------------
export interface SessionUser {
  id: string | number;
  username: string;
  role: Role;
  display_name: string;
  /** The user's unit (see User). */
  location_id?: Id | null;
  department?: string;
}
export interface LoginResponse {
  token: string;
  expires_at: string;
  user: SessionUser;
}
export interface SessionInfo {
  user: SessionUser;
  permissions: string[];
}

// ---- Patients ------------------------------------------------------------
export type Id = string | number;
export type Sex = 'female' | 'male' | 'other' | 'unknown';
export type ContactMethod = 'phone' | 'sms' | 'email' | 'mail' | 'portal';
export type CoverageRelationship = 'self' | 'spouse' | 'child' | 'other';
export type ConsentKind = 'treatment' | 'privacy_notice' | 'sms' | 'email' | 'research';

export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state: string;
  postal_code: string;
  country: string;
}
export interface EmergencyContact {
  name: string;
  relationship: string;
  phone: string;
}
export interface Coverage {
  id?: Id;
  payer: string;
  member_id: string;
  group_number?: string;
  relationship: CoverageRelationship;
  start_date?: string | null;
  end_date?: string | null;
}
export interface Consent {
  kind: ConsentKind;
  granted: boolean;
  date?: string | null;
}
export interface Patient {
  id: Id;
  mrn: string;
  given_name: string;
  middle_name?: string | null;
  family_name: string;
  birth_date: string;
  sex: Sex;
  phone?: string | null;
  email?: string | null;
  address?: Partial<Address> | null;
  preferred_language?: string | null;
  preferred_contact_method?: ContactMethod | null;
  emergency_contact?: Partial<EmergencyContact> | null;
  coverages?: Coverage[];
  consents?: Consent[];
  version?: number;
  /** The record this one was merged into (a duplicate cleaned up), if it was. */
  merged_into?: Id | null;
  created_at?: string;
  updated_at?: string;
}
/** Body of POST/PUT /patients: patient fields without server-issued ones. */
export type PatientInput = Omit<Patient, 'id' | 'mrn' | 'created_at' | 'updated_at' | 'merged_into' | 'version'> & {
  confirm_new?: boolean;
};

/** What a merge moved, by kind; kinds with nothing moved are absent. */
export type MergeMoved = Partial<
  Record<
    | 'appointments'
    | 'encounters'
    | 'coverages'
    | 'consents'
    | 'cases'
    | 'survey_invitations'
    | 'survey_responses'
    | 'survey_opt_outs'
    | 'identifiers'
    | 'fhir_resources',
    number
  >
>;
export interface PatientMergeParty {
  id: Id;
  mrn: string;
  name: string;
}
/** A duplicate record merged into the record that stays (POST /patient-merges), and its undoing. */
export interface PatientMerge {
  id: Id;
  survivor: PatientMergeParty;
  merged: PatientMergeParty;
  at: string;
  by: string;
  reason: string;
  undone_at: string | null;
  undone_by: string | null;
  undo_reason: string | null;
  moved: MergeMoved;
}

export type PatientSummary = Pick<Patient, 'id' | 'mrn' | 'given_name' | 'family_name' | 'birth_date'> &
  Partial<Patient> & { score?: number };

export interface DuplicateCandidate extends Patient {
  match: { probability: number; reasons: string[] };
}

// ---- Scheduling set-up ---------------------------------------------------
export interface Location {
  id: Id;
  name: string;
  time_zone: string;
  address?: string | null;
  phone?: string | null;
  flow_warn_minutes: number;
  flow_alert_minutes: number;
}
export interface Room {
  id: Id;
  location_id: Id;
  name: string;
  active: boolean;
}
export interface Provider {
  id: Id;
  name: string;
  specialty?: string | null;
  location_ids: Id[];
  max_overbook: number;
  active: boolean;
}
export type Modality = 'in_person' | 'telehealth';
export interface AppointmentType {
  id: Id;
  name: string;
  duration_minutes: number;
  modality: Modality;
  provider_ids: Id[];
  color?: string | null;
  active: boolean;
}
export interface Template {
  id: Id;
  provider_id: Id;
  location_id: Id;
  room_id?: Id | null;
  weekday: number; // 0 = Sunday
  start: string; // HH:MM
  end: string;
  valid_from?: string | null;
  valid_to?: string | null;
}
export type ExceptionKind = 'holiday' | 'leave' | 'other';
export interface ScheduleException {
  id: Id;
  provider_id: Id | null;
  location_id: Id;
  kind: ExceptionKind;
  start_date: string;
  end_date: string;
  start?: string | null;
  end?: string | null;
  reason?: string | null;
}

// ---- Slots and appointments ----------------------------------------------
export interface Slot {
  start: string;
  end: string;
  provider_id: Id;
  location_id: Id;
  room_id?: Id | null;
}
export type AppointmentStatus = 'booked' | 'cancelled' | 'no_show' | 'checked_in' | 'completed';
export interface AppointmentHistoryEntry {
  status: AppointmentStatus | string;
  at: string;
  by?: string | null;
  note?: string | null;
}
export interface Appointment {
  id: Id;
  patient_id: Id;
  patient_name: string;
  appointment_type_id: Id;
  appointment_type_name: string;
  provider_id: Id;
  provider_name: string;
  location_id: Id;
  location_name: string;
  room_id?: Id | null;
  start: string;
  end: string;
  status: AppointmentStatus;
  modality: Modality;
  join_url?: string | null;
  cancel_reason?: string | null;
  notes?: string | null;
  overbooked?: boolean;
  encounter_id?: Id | null;
  history?: AppointmentHistoryEntry[];
}
export interface BookAppointmentInput {
  patient_id: Id;
  appointment_type_id: Id;
  provider_id: Id;
  location_id: Id;
  start: string;
  room_id?: Id | null;
  notes?: string;
  overbook?: boolean;
}

// ---- Patient flow ----------------------------------------------------------
export type EncounterState =
  | 'scheduled'
  | 'arrived'
  | 'roomed'
  | 'with_provider'
  | 'checkout'
  | 'completed'
  | 'left_without_being_seen';
export type TransitionTarget = 'roomed' | 'with_provider' | 'checkout' | 'completed' | 'left_without_being_seen';
export interface Encounter {
  id: Id;
  patient_id: Id;
  patient_name: string;
  appointment_id?: Id | null;
  location_id: Id;
  provider_id?: Id | null;
  provider_name?: string | null;
  room_id?: Id | null;
  state: EncounterState;
  state_since: string;
  arrived_at: string;
  /** When the visit ended; null while it is open. */
  ended_at?: string | null;
  walk_in: boolean;
  /** Not in a patient's list of visits. */
  transitions?: { from: string; to: string; at: string; by?: string }[];
}
/** A patient's visits, the latest first; `more` when there were more than the list holds. */
export interface EncounterList {
  items: Encounter[];
  more: boolean;
}
export type FlowLevel = 'ok' | 'warn' | 'alert';
export interface FlowBoardItem {
  encounter_id: Id;
  patient_id: Id;
  patient_name: string;
  provider_name?: string | null;
  room_name?: string | null;
  state: EncounterState;
  state_since: string;
  arrived_at: string;
  state_minutes: number;
  waiting_minutes: number;
  level: FlowLevel;
}
export interface FlowBoard {
  location_id: Id;
  now: string;
  thresholds: { warn_minutes: number; alert_minutes: number };
  items: FlowBoardItem[];
}

// ---- Administration and audit ----------------------------------------------
export interface User {
  id: Id;
  username: string;
  display_name: string;
  role: Role;
  active: boolean;
  /** The user's unit: staff without analytics.read read the comments of this location (and department) only. */
  location_id?: Id | null;
  department?: string;
}
export type UserInput = Omit<User, 'id'> & { password?: string };
/** A bearer token for another system: a user's role narrowed by SMART scopes, on /fhir/R4 only. */
export interface SystemTokenInput {
  username: string;
  scope: string;
  days?: number;
}
/** A system's token as listed: never the token itself. */
export interface SystemTokenInfo {
  id: Id;
  scope: string;
  user: User;
  issued_at: string;
  expires_at: string;
  last_used_at: string;
}
export interface SystemToken {
  id: Id;
  token: string;
  expires_at: string;
  scope: string;
  user: User;
}

export interface AuditEvent {
  id: Id;
  at: string;
  user: string;
  role?: string | null;
  action: string;
  patient_id?: Id | null;
  category?: string | null;
  client_address?: string | null;
  outcome: string;
  detail?: unknown;
}

// ---- Patient relations (complaints, grievances, inquiries) -------------------
export type CaseKind = 'complaint' | 'grievance' | 'inquiry';
/** What staff choose at intake: a concern to be triaged (complaint vs grievance) or an inquiry. */
export type IntakeKind = 'complaint' | 'inquiry';
export type InquiryType = 'billing' | 'scheduling' | 'records' | 'general';
export type CaseStatus = 'received' | 'acknowledged' | 'investigating' | 'awaiting_response' | 'resolved' | 'closed' | 'reopened';
export type CaseChannel = 'phone' | 'in_person' | 'letter' | 'email' | 'web_form';
export type CaseSeverity = 'low' | 'medium' | 'high' | 'critical';
export type ContactPreference = 'phone' | 'email' | 'letter' | 'none';
export type Milestone = 'acknowledge' | 'resolve_or_interim_notice' | 'written_decision' | 'resolve';
export type DeadlineState = 'pending' | 'met' | 'met_late' | 'overdue';
export type CaseEventType = 'intake' | 'note' | 'action' | 'status' | 'owner' | 'triage' | 'interim_notice' | 'letter' | 'attachment';

export interface TriageFacts {
  written: boolean;
  resolved_promptly_by_staff_present: boolean;
  response_requested: boolean;
  alleges_abuse_or_neglect: boolean;
  alleges_conditions_of_participation_breach: boolean;
  medicare_billing_rights_issue: boolean;
  quality_of_care_concern: boolean;
  premature_discharge_concern: boolean;
}
export interface CodeText {
  code: string;
  text: string;
}
export interface TriageDecision {
  chosen: 'complaint' | 'grievance';
  overridden: boolean;
  override_reason?: string | null;
  by: string;
  at: string;
  offer_qio_referral: boolean;
}
export interface Triage {
  facts: TriageFacts;
  proposed: 'complaint' | 'grievance';
  reasons: CodeText[];
  qio_concerns: CodeText[];
  offer_qio_referral: boolean;
  decision: TriageDecision | null;
}
export interface CaseDeadline {
  milestone: Milestone;
  due: string;
  state: DeadlineState;
  met_at: string | null;
  due_soon: boolean;
}
export interface CaseEvent {
  id: Id;
  at: string;
  by: string;
  type: CaseEventType;
  text: string;
}
export interface CaseAttachment {
  id: Id;
  filename: string;
  content_type: string;
  size: number;
  uploaded_at: string;
  uploaded_by: string;
}
export interface DecisionLetterInput {
  contact_name: string;
  contact_title: string;
  contact_phone: string;
  investigation_steps: string;
  results: string;
  completion_date: string;
  letter_date?: string | null;
  further_recourse: string;
}
export interface DecisionLetter extends DecisionLetterInput {
  rendered_text: string;
  sent_at: string | null;
}

export interface Case {
  id: Id;
  reference_number: string;
  kind: CaseKind;
  inquiry_type: InquiryType | null;
  status: CaseStatus;
  allowed_next_statuses: CaseStatus[];
  channel: CaseChannel;
  category: string;
  severity: CaseSeverity;
  description: string;
  desired_outcome: string;
  patient_id: Id | null;
  patient_name: string;
  encounter_id: Id | null;
  location_id: Id;
  location_name: string;
  department: string;
  staff_member: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  contact_preference: ContactPreference;
  owner_user_id: Id | null;
  owner_name: string;
  received_at: string;
  acknowledged_at: string | null;
  interim_notice_at: string | null;
  resolved_at: string | null;
  decision_letter_at: string | null;
  closed_at: string | null;
  created_by: string;
  triage: Triage | null;
  deadlines: CaseDeadline[];
  next_due: string | null;
  overdue: boolean;
  due_soon: boolean;
  /** Only in GET /cases/{id} and the answers of case actions. */
  events?: CaseEvent[];
  attachments?: CaseAttachment[];
  letter?: DecisionLetter | null;
}

export interface CaseInput {
  kind: IntakeKind;
  inquiry_type?: InquiryType;
  channel: CaseChannel;
  category: string;
  severity: CaseSeverity;
  description: string;
  desired_outcome: string;
  patient_id: Id | null;
  encounter_id: Id | null;
  location_id: Id;
  department: string;
  staff_member: string;
  contact_name: string;
  contact_email: string;
  contact_phone: string;
  contact_preference: ContactPreference;
  facts: TriageFacts;
  received_at?: string;
}

export interface CaseOwner {
  id: Id;
  name: string;
  role: string;
}

export type DayCount = 'business_days' | 'calendar_days';
export interface DeadlineRule {
  milestone: Milestone;
  days: number;
  count: DayCount;
  remind_before_hours: number;
}
export interface RelationsSettings {
  organization_name: string;
  categories: string[];
  deadline_policy: Record<CaseKind, DeadlineRule[]>;
  letter_template: string;
}
export interface BusinessCalendar {
  /** 0 = Sunday … 6 = Saturday. */
  working_weekdays: number[];
  holidays: string[];
}

export interface ReportRow {
  key: string;
  count: number;
  per_1000: number | null;
}
export interface ReportMonth {
  month: string;
  count: number;
  visits: number;
  per_1000: number | null;
}
export interface Spread {
  median: number | null;
  p90: number | null;
}
export interface RelationsReport {
  visits: number;
  cases: number;
  per_1000_visits: number | null;
  by_category: ReportRow[];
  by_department: ReportRow[];
  by_month: ReportMonth[];
  acknowledge_hours: Spread;
  resolve_days: Spread;
  within_deadline_share: number | null;
  open_now: number;
  overdue_now: number;
}

export interface PublicComplaintForm {
  organization_name: string;
  locations: { id: Id; name: string }[];
  categories: string[];
}
export interface PublicComplaintInput {
  name: string;
  email: string;
  phone: string;
  contact_preference: ContactPreference;
  location_id: Id | null;
  category: string | null;
  visit_date: string | null;
  description: string;
  desired_outcome: string;
  /** Honeypot: must stay empty. */
  website: string;
  elapsed_ms: number;
}
export interface PublicComplaintReceipt {
  reference_number: string;
  message: string;
}

// ---- Service metrics and SPC (analytics.read) ----------------------------------------------
export type MetricInterval = 'day' | 'week' | 'month';
export type Improvement = 'increase' | 'decrease' | 'neutral';
export type PointType =
  | 'common_cause'
  | 'special_cause_improvement'
  | 'special_cause_concern'
  | 'special_cause_neutral_high'
  | 'special_cause_neutral_low';
export type Assurance = 'consistent_pass' | 'consistent_fail' | 'inconsistent';

export interface SpcPoint {
  subgroup: string | number;
  part: number;
  baseline: boolean;
  included: boolean;
  y: number | null;
  cl: number | null;
  lcl: number | null;
  ucl: number | null;
  sigma_signal: boolean;
  special_cause: string;
  point_type: PointType | string;
}
export interface SpcChart {
  chart: string;
  points: SpcPoint[];
  parts?: unknown[];
  runs_signal?: boolean;
  longest_run?: number | null;
  longest_run_max?: number | null;
  n_crossings?: number | null;
  n_crossings_min?: number | null;
  n_obs?: number;
  n_useful?: number;
  assurance?: Assurance | null;
}
export interface MetricPeriod {
  /** Local date the period starts (Monday for weeks, the 1st for months). */
  start: string;
  numerator: number;
  denominator: number;
  /** null = no data in the period (a gap, never a zero). */
  value: number | null;
}
export interface MetricResult {
  key: string;
  name: string;
  unit: string;
  group: string;
  definition: string;
  improvement: Improvement;
  series: MetricPeriod[];
  /** null when there is too little data for limits. */
  chart: SpcChart | null;
  latest: number | null;
  variation: PointType | string | null;
  assurance: Assurance | null;
  /** Improvement projects on this metric at the location asked for (or all locations), overlapping the charted period. */
  projects?: MetricProject[];
}
/** One entry of GET /api/v1/metrics (the definitions, without data). */
export interface MetricDefinition {
  key: string;
  name: string;
  unit: string;
  group: string;
  definition: string;
  chart: string;
  improvement: Improvement;
}
/** One type and provider's third next available on the latest day read. */
export interface AccessReading {
  provider_id: Id;
  provider_name: string;
  specialty: string;
  appointment_type_id: Id;
  appointment_type_name: string;
  /** Days from the day's local date to the third open slot's; horizon_days when fewer than three were open. */
  days: number;
  /** The third open slot's start (UTC), or null when fewer than three were open within the horizon. */
  third_at: string | null;
  open_slots: number;
  censored: boolean;
}
/** GET /api/v1/access/third-next-available: the latest day's readings at a location, worst first. */
export interface AccessReadings {
  location_id: Id;
  time_zone: string;
  /** null before the first reading. */
  snapshot_date: string | null;
  taken_at: string | null;
  horizon_days: number;
  mean_days: number | null;
  items: AccessReading[];
}
export interface AccessReadingReport {
  locations: number;
  days: number;
  readings: number;
}
export interface MetricsDashboard {
  interval: MetricInterval;
  from: string;
  to: string;
  location_id: Id | null;
  provider_id: Id | null;
  metrics: MetricResult[];
}

// ---- Patient comments (analytics.read) -----------------------------------------------------
export type CommentSource = 'case' | 'survey';
export type Sentiment = 'positive' | 'neutral' | 'negative';
export interface PatientComment {
  id: Id;
  source: CommentSource;
  source_id: Id;
  location_id: Id | null;
  location_name: string;
  department: string;
  date: string;
  text: string;
  themes: string[];
  /** null when stored while no model was loaded. */
  sentiment: Sentiment | null;
}
export interface CommentModelInfo {
  loaded: boolean;
  path?: string;
  id?: string;
  themes?: string[];
  error?: string;
}
export interface CommentTrends {
  interval: 'day' | 'month';
  periods: string[];
  /** period × theme counts. */
  themes: { period: string; key: string; count: number }[];
  /** period × sentiment counts (key "" = not classified). */
  sentiment: { period: string; key: string; count: number }[];
  /** unit (location, or "location / department") × sentiment counts. */
  units: { unit: string; key: string; count: number }[];
  model: CommentModelInfo;
}

// ---- Surveys (docs/API.md "Surveys") ---------------------------------------------------------
export type SurveyKind = 'frequency' | 'yes_no' | 'rating_0_10' | 'recommend' | 'agreement' | 'nps' | 'free_text';
export interface SurveyOption {
  value: number;
  label: string;
}
/** Which answer values count as top, middle and bottom box (HCAHPS; for NPS promoters / passives / detractors). */
export interface SurveyBoxes {
  top: number[];
  middle: number[];
  bottom: number[];
  top_label: string;
  middle_label: string;
  bottom_label: string;
}
/** GET /surveys/kinds. */
export interface SurveyKindInfo {
  kind: SurveyKind;
  scored: boolean;
  options: SurveyOption[];
  default_boxes: SurveyBoxes | null;
}
export interface SurveyItem {
  id: string;
  text: string;
  kind: SurveyKind;
  measure_id: string | null;
  boxes: SurveyBoxes | null;
  options: SurveyOption[];
}
export interface SurveyMeasure {
  id: string;
  name: string;
  item_ids: string[];
}
/** One version of a survey; a version never changes once made. */
export interface SurveyVersion {
  id: string;
  version: number;
  title: string;
  created_at: string;
  created_by: string;
  active: boolean;
  responses: number;
  items: SurveyItem[];
  measures: SurveyMeasure[];
  versions: number[];
}
/** An entry of GET /surveys. */
export interface SurveySummary {
  id: string;
  title: string;
  latest_version: number;
  active: boolean;
  responses: number;
  created_at: string;
}
/** Body of POST /surveys and POST /surveys/{id}/versions. Omitted boxes take the kind's defaults. */
export interface SurveyDraftItem {
  id: string;
  text: string;
  kind: SurveyKind;
  measure_id: string | null;
  boxes?: SurveyBoxes;
}
export interface SurveyDraft {
  id: string;
  title: string;
  items: SurveyDraftItem[];
  /** Omitted: made from the items' measure_ids. */
  measures?: SurveyMeasure[];
}

export interface SurveySettings {
  /** "" = no active survey (no invitations). */
  active_survey_id: string;
  send_after_hours: number;
  expires_days: number;
  reminder_after_days: number;
  max_reminders: number;
  public_base_url: string;
  from_name: string;
  from_email: string;
  email_subject: string;
  email_intro: string;
  /** Read-only: whether the server has an SMTP server configured. */
  mail_enabled?: boolean;
}
export interface SurveyDispatchResult {
  invited: number;
  emailed: number;
  to_print: number;
  reminded: number;
  failed: number;
  opted_out_skipped: number;
}

export type InvitationState = 'valid' | 'used' | 'expired' | 'opted_out';
export type InvitationChannel = 'email' | 'print';
export interface SurveyInvitation {
  id: Id;
  encounter_id: Id;
  patient_id: Id;
  patient_name: string;
  location_id: Id | null;
  location_name: string;
  department: string;
  provider_id: Id | null;
  provider_name: string;
  visit_date: string;
  survey_id: string;
  survey_version: number;
  channel: InvitationChannel;
  email: string | null;
  issued_at: string;
  expires_at: string;
  sent_at: string | null;
  printed_at: string | null;
  reminders: number;
  last_reminder_at: string | null;
  used_at: string | null;
  state: InvitationState;
  send_error: string | null;
}
/** POST /surveys/invitations/{id}/print: a fresh link for a paper slip. */
export interface InvitationSlip {
  url: string;
  /** Server-generated SVG markup of the QR code. */
  qr_svg: string;
  expires_at: string;
  patient_name: string;
  survey_title: string;
  location_name: string;
  visit_date: string;
}

export type SurveyDateFormat = 'iso' | 'mdy';
export type SurveyMetadataKey = 'department' | 'provider' | 'location';
export interface SurveyImportMapping {
  respondent_id_column: string;
  encounter_id_column: string;
  date_column: string;
  date_format: SurveyDateFormat;
  items: { column: string; item_id: string; values?: Record<string, number> }[];
  metadata: { column: string; key: SurveyMetadataKey }[];
  missing_values: string[];
}
export interface SurveyImportInput {
  filename: string;
  csv: string;
  dry_run: boolean;
  mapping: SurveyImportMapping;
}
export interface SurveyImportIssue {
  /** Spreadsheet row (header = row 1). */
  row: number;
  line: number;
  column: string;
  reason: string;
  message: string;
}
export interface SurveyImportResult {
  /** null (or absent) for a dry run. */
  id?: Id | null;
  rows_read: number;
  accepted: number;
  /** A count; some servers may list the rejected row numbers instead. */
  rejected_rows: number | number[];
  issues: SurveyImportIssue[];
}
export interface SurveyImportRecord {
  id: Id;
  version: number;
  filename: string;
  at: string;
  by: string;
  rows_read: number;
  accepted: number;
  rejected_rows: number | number[];
}

export type SurveyGroupBy = 'department' | 'provider' | 'location' | 'week' | 'month' | 'quarter';
/** Box shares are percentages 0–100, null when nothing was answered. */
export interface SurveyItemScore {
  item_id: string;
  text: string;
  measure_id: string | null;
  kind: SurveyKind;
  answered: number;
  top: number | null;
  middle: number | null;
  bottom: number | null;
  linear_mean: number | null;
}
export interface SurveyMeasureScore {
  measure_id: string;
  name: string;
  top: number | null;
  middle: number | null;
  bottom: number | null;
  linear_mean: number | null;
}
export interface SurveyNpsScore {
  item_id: string;
  promoters: number | null;
  passives: number | null;
  detractors: number | null;
  nps: number | null;
}
export interface SurveyScoreSet {
  responses: number;
  items: SurveyItemScore[];
  measures: SurveyMeasureScore[];
  nps: SurveyNpsScore[];
}
export interface SurveyScoreGroup {
  key: string;
  label: string;
  responses: number;
  invitations: number;
  response_rate: number | null;
  scores: SurveyScoreSet;
}
export interface SurveyScores {
  survey_id: string;
  version: number;
  from: string;
  to: string;
  group_by: SurveyGroupBy | null | '';
  responses: number;
  invitations: number;
  /** responses ÷ invitations, 0–1; null without invitations. */
  response_rate: number | null;
  overall: SurveyScoreSet;
  groups: SurveyScoreGroup[];
}

// Public survey page (no sign-in)
export interface PublicSurveyItem {
  id: string;
  text: string;
  kind: SurveyKind;
  options: SurveyOption[];
}
export interface PublicSurvey {
  state: InvitationState;
  organization_name: string;
  visit: { date: string; location_name: string } | null;
  /** null unless the state is valid. */
  survey: { title: string; items: PublicSurveyItem[] } | null;
}
export type PublicSurveyAnswer = { item_id: string; value: number } | { item_id: string; text: string };

// ---- Improvement projects and PDSA cycles (docs/API.md "Improvement projects") ----------------
export type ProjectStatus = 'active' | 'completed' | 'abandoned';
export interface PdsaCycle {
  id: Id;
  title: string;
  plan: string;
  do_notes: string;
  study: string;
  act: string;
  start_date: string;
  /** null while the cycle is running. */
  end_date: string | null;
}
export interface ImprovementProject {
  id: Id;
  title: string;
  aim: string;
  metric_key: string;
  metric_name: string;
  /** null = all locations. */
  location_id: Id | null;
  location_name: string;
  owner: string;
  start_date: string;
  end_date: string | null;
  target: number | null;
  status: ProjectStatus;
  created_at: string;
  created_by: string;
  updated_at: string;
  /** Ordered by start date. */
  cycles: PdsaCycle[];
}
export interface ImprovementProjectInput {
  title: string;
  aim: string;
  metric_key: string;
  location_id: Id | null;
  owner: string;
  start_date: string;
  end_date: string | null;
  target: number | null;
  status: ProjectStatus;
}
export interface PdsaCycleInput {
  title: string;
  plan: string;
  do_notes: string;
  study: string;
  act: string;
  start_date: string;
  end_date: string | null;
}
/** A project as carried in a metric answer (`projects`), with its cycles' dates. */
export interface MetricProject {
  id: Id;
  title: string;
  aim: string;
  start_date: string;
  end_date: string | null;
  target: number | null;
  status: ProjectStatus | string;
  cycles: { id: Id; title: string; start_date: string; end_date: string | null }[];
}

// ---- Records behind one point of a metric chart (analytics.read) ---------------------------------
export type MetricRecordKind = 'appointment' | 'encounter' | 'case' | 'invitation' | 'response';
/** One record behind a chart point: an appointment, visit, case, survey invitation or response. */
export interface MetricRecord {
  id: Id;
  /** When the record happened (an instant with the location's offset, or a date). */
  at: string;
  patient_id: Id | null;
  patient_name: string | null;
  provider_name: string | null;
  status: string;
  /** Whether the record counts in the metric's numerator (a no-show, a complaint, an answered invitation…). */
  in_numerator: boolean;
  /** The record's measure where the metric is a mean (lead days, minutes, hours); else null. */
  value: number | null;
  /** The UI page of the record (`/patients/12`, `/cases/5`), or null. */
  link: string | null;
}
/** GET /api/v1/metrics/{key}/records: the records behind one point, oldest first. */
export interface MetricRecordList {
  metric: string;
  kind: MetricRecordKind | string;
  period_start: string;
  period_end: string;
  /** What counting in the numerator means for this metric ("No-show"); may be null or empty. */
  numerator_label: string | null;
  items: MetricRecord[];
  total: number;
}

// ---- Metric alerts: new special causes on the weekly and monthly charts (analytics.read) ---------
export type MetricAlertStatus = 'open' | 'acknowledged' | 'all';
export interface MetricAlert {
  id: Id;
  metric_key: string;
  metric_name: string;
  unit: string;
  improvement: Improvement;
  location_id: Id;
  location_name: string;
  interval: 'week' | 'month';
  first_period_start: string;
  last_period_start: string;
  /** Consecutive periods with the same kind of signal. */
  periods: number;
  /** NHSRplotthedots' label: "Above UCL", "7 Points Below CL", ... */
  special_cause: string;
  point_type: string;
  value: number | null;
  centre: number | null;
  lower_limit: number | null;
  upper_limit: number | null;
  detected_at: string;
  updated_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  note: string;
}
export interface AlertScanReport {
  locations: number;
  charts: number;
  new_alerts: number;
  continued: number;
  emails_queued: number;
  emailed: number;
  failed: number;
}
export interface AlertSubscription {
  id: Id;
  location_id: Id | null;
  location_name: string | null;
  /** "*" for every metric. */
  metric_key: string;
  metric_name: string;
  email: string;
  created_at: string;
}
export interface AlertSubscriptionInput {
  location_id: Id | null;
  metric_key: string;
  email: string;
}

// ---- Inbound HL7 v2 messages (interfaces.manage) -------------------------------------------------
/**
 * What became of an inbound message: applied (AA, records changed), ignored (AA, nothing to change),
 * duplicate (AA, a retransmission not applied again), failed (AE, reprocessable after a fix),
 * rejected (AR, unreadable header or a type CareDesk does not take), received (processing was cut short).
 */
export type Hl7Status = 'received' | 'applied' | 'ignored' | 'duplicate' | 'failed' | 'rejected';
export interface Hl7Message {
  id: Id;
  received_at: string;
  /** The sender's address ("127.0.0.1:53122"), or "api" for a message sent through the API. */
  peer: string;
  control_id: string;
  sending_application: string;
  sending_facility: string;
  message_type: string;
  trigger_event: string;
  version: string;
  status: Hl7Status;
  ack_code: string;
  error_code: string;
  error_text: string;
  /** Where in the message the error is, in HL7 terms ("PID-7", "MSH-9"). */
  error_location: string;
  /** What was done, and what CareDesk does not keep. */
  note: string;
  patient_id: Id | null;
  attempts: number;
  processed_at: string | null;
  /** The message exactly as received (only on GET /hl7/messages/{id} and reprocess). */
  raw?: string;
}
export interface Hl7MessageList extends ListResponse<Hl7Message> {
  total: number;
  /** How many of all messages wait for someone, whatever the filter. */
  needing_attention: Record<'failed' | 'rejected' | 'received', number>;
}
export interface Hl7SubmitResult {
  id: Id;
  /** The acknowledgement CareDesk answered, as HL7 text. */
  ack: string;
  message: Hl7Message;
}

// Outbound HL7 v2 (api/hl7_outbound_handlers.cc)
export type Hl7Feed = 'SIU' | 'ADT';
export interface Hl7Peer {
  id: Id;
  name: string;
  host: string;
  port: number;
  enabled: boolean;
  feeds: Hl7Feed[];
  updated_at?: string;
}
export interface Hl7PeerInput {
  name: string;
  host: string;
  port: number;
  enabled: boolean;
  feeds: Hl7Feed[];
}
export type Hl7OutboundStatus = 'pending' | 'sent' | 'dead' | 'discarded';
export interface Hl7Outbound {
  id: Id;
  peer_id: Id;
  peer_name: string;
  patient_id: Id;
  event: string;
  control_id: string;
  created_at: string;
  status: Hl7OutboundStatus;
  attempts: number;
  next_attempt_at: string;
  last_error: string;
  ack_code: string;
  sent_at: string | null;
  message?: string;
}
export interface Hl7OutboundList extends ListResponse<Hl7Outbound> {
  counts: { pending: number; dead: number };
}

// ---- FHIR R4 (the parts the Interfaces page reads) ------------------------------
export interface FhirSearchParam {
  name: string;
  type: string;
  documentation?: string;
}
export interface FhirCapability {
  resourceType: 'CapabilityStatement';
  fhirVersion: string;
  rest?: {
    resource?: { type: string; interaction?: { code: string }[]; searchParam?: FhirSearchParam[]; documentation?: string }[];
  }[];
}
/** The report of a finished FHIR $import. */
export interface FhirImportReport {
  transactionTime: string;
  read: number;
  patientsCreated: number;
  patientsUpdated: number;
  output: { type: string; count: number }[];
  skipped: { type: string; count: number }[];
  refused: number;
  error: string[];
  warning: string[];
}
export interface FhirOperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: string; code: string; diagnostics?: string; expression?: string[] }[];
}
export interface FhirPatient {
  resourceType: 'Patient';
  id: string;
  meta?: { versionId?: string; lastUpdated?: string };
  name?: { use?: string; family?: string; given?: string[]; text?: string }[];
  birthDate?: string;
  gender?: string;
  identifier?: { system?: string; value?: string }[];
}
export interface FhirBundle<T> {
  resourceType: 'Bundle';
  type: string;
  total?: number;
  link?: { relation: string; url: string }[];
  entry?: { fullUrl?: string; resource: T | FhirOperationOutcome; search?: { mode?: string } }[];
}

/** A FHIR $export or $import job of the user's, as the Interfaces page lists them (kept across restarts). */
export interface FhirJob {
  id: string;
  kind: 'export' | 'import';
  state: 'running' | 'done' | 'failed';
  phase?: string;
  done: number;
  total?: number;
  started_at: string;
  request?: string;
  error?: string;
  expires_at?: string | null;
  status_url: string;
}

/** A finished FHIR $export: what was written, one ndjson file each. */
export interface FhirExportManifest {
  transactionTime: string;
  request: string;
  requiresAccessToken: boolean;
  output: { type: string; url: string; count: number }[];
  error: unknown[];
}
