// One function per endpoint of docs/API.md.
import { ApiError, authHeaders, buildQuery, errorFromResponse, isAbortError, reportUnauthorized, request, setToken, type QueryValue } from './client';
import type {
  EncounterList,
  FhirExportManifest,
  FhirJob,
  FhirImportReport,
  Appointment,
  FhirBundle,
  FhirCapability,
  FhirPatient,
  AppointmentStatus,
  AppointmentType,
  AuditEvent,
  BookAppointmentInput,
  BusinessCalendar,
  Case,
  CaseAttachment,
  CaseInput,
  CaseKind,
  CaseOwner,
  CaseStatus,
  CommentSource,
  CommentTrends,
  DecisionLetterInput,
  Encounter,
  Hl7Message,
  Hl7MessageList,
  Hl7Status,
  Hl7SubmitResult,
  Hl7Outbound,
  Hl7OutboundList,
  Hl7OutboundStatus,
  Hl7Peer,
  Hl7PeerInput,
  FlowBoard,
  Id,
  InvitationChannel,
  InvitationSlip,
  InvitationState,
  ImprovementProject,
  ImprovementProjectInput,
  ListResponse,
  AccessReadingReport,
  AccessReadings,
  AlertScanReport,
  AlertSubscription,
  AlertSubscriptionInput,
  MetricAlert,
  MetricAlertStatus,
  Location,
  LoginResponse,
  MetricDefinition,
  MetricInterval,
  MetricRecordList,
  MetricResult,
  MetricsDashboard,
  Patient,
  PatientInput,
  PatientMerge,
  PatientComment,
  PatientSummary,
  PdsaCycleInput,
  ProjectStatus,
  Provider,
  PublicComplaintForm,
  PublicComplaintInput,
  PublicComplaintReceipt,
  PublicSurvey,
  PublicSurveyAnswer,
  RelationsReport,
  RelationsSettings,
  Room,
  ScheduleException,
  Sentiment,
  SessionInfo,
  Slot,
  SurveyDispatchResult,
  SurveyDraft,
  SurveyGroupBy,
  SurveyImportInput,
  SurveyImportRecord,
  SurveyImportResult,
  SurveyInvitation,
  SurveyKindInfo,
  SurveyScores,
  SurveySettings,
  SurveySummary,
  SurveyVersion,
  Template,
  TransitionTarget,
  User,
  UserInput,
  SystemToken,
  SystemTokenInfo,
  SystemTokenInput,
} from './types';

const V1 = '/api/v1';
const enc = (id: Id) => encodeURIComponent(String(id));
type Sig = { signal?: AbortSignal };

// ---- Session ----------------------------------------------------------------
export async function login(username: string, password: string): Promise<LoginResponse> {
  const res = await request<LoginResponse>('POST', `${V1}/session`, {
    body: { username, password },
    noAuthRedirect: true,
  });
  setToken(res.token);
  return res;
}
export const getSession = (o: Sig = {}) => request<SessionInfo>('GET', `${V1}/session`, o);
export async function logout(): Promise<void> {
  try {
    await request<void>('DELETE', `${V1}/session`, { noAuthRedirect: true });
  } finally {
    setToken(null);
  }
}

// ---- Patients ----------------------------------------------------------------
export const searchPatients = (q: string, limit = 25, offset = 0, o: Sig = {}) =>
  request<ListResponse<PatientSummary>>('GET', `${V1}/patients`, { query: { q, limit, offset }, ...o });
export const createPatient = (p: PatientInput) => request<Patient>('POST', `${V1}/patients`, { body: p });
export const getPatient = (id: Id, o: Sig = {}) => request<Patient>('GET', `${V1}/patients/${enc(id)}`, o);
export const updatePatient = (id: Id, p: PatientInput) =>
  request<Patient>('PUT', `${V1}/patients/${enc(id)}`, { body: p });
export const getPatientAppointments = (id: Id, o: Sig = {}) =>
  request<ListResponse<Appointment>>('GET', `${V1}/patients/${enc(id)}/appointments`, o);
export const getPatientEncounters = (id: Id, o: Sig = {}) =>
  request<EncounterList>('GET', `${V1}/patients/${enc(id)}/encounters`, o);
export const getPatientAccessLog = (id: Id, o: Sig = {}) =>
  request<ListResponse<AuditEvent>>('GET', `${V1}/patients/${enc(id)}/access-log`, o);
// Merging duplicates (patient.merge to merge and undo; patient.read to list).
export const mergePatients = (survivor_id: Id, merged_id: Id, reason: string) =>
  request<PatientMerge>('POST', `${V1}/patient-merges`, { body: { survivor_id, merged_id, reason } });
export const undoPatientMerge = (id: Id, reason: string) =>
  request<PatientMerge>('POST', `${V1}/patient-merges/${enc(id)}/undo`, { body: { reason } });
export const getPatientMerges = (id: Id, o: Sig = {}) =>
  request<ListResponse<PatientMerge>>('GET', `${V1}/patients/${enc(id)}/merges`, o);

// ---- Scheduling set-up ---------------------------------------------------------
export const listLocations = (o: Sig = {}) => request<ListResponse<Location>>('GET', `${V1}/locations`, o);
export const getLocation = (id: Id, o: Sig = {}) => request<Location>('GET', `${V1}/locations/${enc(id)}`, o);
export const createLocation = (l: Omit<Location, 'id'>) => request<Location>('POST', `${V1}/locations`, { body: l });
export const updateLocation = (id: Id, l: Omit<Location, 'id'>) =>
  request<Location>('PUT', `${V1}/locations/${enc(id)}`, { body: l });

export const listRooms = (location?: Id, o: Sig = {}) =>
  request<ListResponse<Room>>('GET', `${V1}/rooms`, { query: { location: location ?? undefined }, ...o });
export const createRoom = (r: Omit<Room, 'id'>) => request<Room>('POST', `${V1}/rooms`, { body: r });
export const updateRoom = (id: Id, r: Omit<Room, 'id'>) => request<Room>('PUT', `${V1}/rooms/${enc(id)}`, { body: r });

export const listProviders = (o: Sig = {}) => request<ListResponse<Provider>>('GET', `${V1}/providers`, o);
export const getProvider = (id: Id, o: Sig = {}) => request<Provider>('GET', `${V1}/providers/${enc(id)}`, o);
export const createProvider = (p: Omit<Provider, 'id'>) => request<Provider>('POST', `${V1}/providers`, { body: p });
export const updateProvider = (id: Id, p: Omit<Provider, 'id'>) =>
  request<Provider>('PUT', `${V1}/providers/${enc(id)}`, { body: p });

export const listAppointmentTypes = (o: Sig = {}) =>
  request<ListResponse<AppointmentType>>('GET', `${V1}/appointment-types`, o);
export const getAppointmentType = (id: Id, o: Sig = {}) =>
  request<AppointmentType>('GET', `${V1}/appointment-types/${enc(id)}`, o);
export const createAppointmentType = (t: Omit<AppointmentType, 'id'>) =>
  request<AppointmentType>('POST', `${V1}/appointment-types`, { body: t });
export const updateAppointmentType = (id: Id, t: Omit<AppointmentType, 'id'>) =>
  request<AppointmentType>('PUT', `${V1}/appointment-types/${enc(id)}`, { body: t });

export const listTemplates = (provider: Id, o: Sig = {}) =>
  request<ListResponse<Template>>('GET', `${V1}/templates`, { query: { provider }, ...o });
export const createTemplate = (t: Omit<Template, 'id'>) => request<Template>('POST', `${V1}/templates`, { body: t });
export const deleteTemplate = (id: Id) => request<void>('DELETE', `${V1}/templates/${enc(id)}`);

export const listExceptions = (q: { provider?: Id; location?: Id }, o: Sig = {}) =>
  request<ListResponse<ScheduleException>>('GET', `${V1}/exceptions`, { query: q, ...o });
export const createException = (x: Omit<ScheduleException, 'id'>) =>
  request<ScheduleException>('POST', `${V1}/exceptions`, { body: x });
export const deleteException = (id: Id) => request<void>('DELETE', `${V1}/exceptions/${enc(id)}`);

// ---- Slots and appointments --------------------------------------------------------
export interface SlotQuery {
  appointment_type: Id;
  from: string;
  to: string;
  provider?: Id;
  location?: Id;
  limit?: number;
}
export const findSlots = (q: SlotQuery, o: Sig = {}) =>
  request<ListResponse<Slot>>('GET', `${V1}/slots`, { query: { ...q }, ...o });

export const bookAppointment = (b: BookAppointmentInput) =>
  request<Appointment>('POST', `${V1}/appointments`, { body: b });

export interface AppointmentQuery {
  from: string;
  to: string;
  provider?: Id;
  location?: Id;
  room?: Id;
  patient?: Id;
  status?: AppointmentStatus;
}
export const listAppointments = (q: AppointmentQuery, o: Sig = {}) =>
  request<ListResponse<Appointment>>('GET', `${V1}/appointments`, { query: { ...q }, ...o });
export const getAppointment = (id: Id, o: Sig = {}) =>
  request<Appointment>('GET', `${V1}/appointments/${enc(id)}`, o);
export const cancelAppointment = (id: Id, reason: string) =>
  request<Appointment>('POST', `${V1}/appointments/${enc(id)}/cancel`, { body: { reason } });
export const rescheduleAppointment = (id: Id, start: string, provider_id?: Id) =>
  request<Appointment>('POST', `${V1}/appointments/${enc(id)}/reschedule`, {
    body: provider_id !== undefined ? { start, provider_id } : { start },
  });
export const markNoShow = (id: Id) => request<Appointment>('POST', `${V1}/appointments/${enc(id)}/no-show`, { body: {} });

// ---- Patient flow ----------------------------------------------------------------------
export const checkIn = (id: Id, override = false) =>
  request<Encounter>('POST', `${V1}/appointments/${enc(id)}/check-in`, { body: { override } });
export const createWalkIn = (b: { patient_id: Id; location_id: Id; provider_id?: Id }) =>
  request<Encounter>('POST', `${V1}/encounters`, { body: b });
export const getEncounter = (id: Id, o: Sig = {}) => request<Encounter>('GET', `${V1}/encounters/${enc(id)}`, o);
export const transitionEncounter = (id: Id, to: TransitionTarget, room_id?: Id) =>
  request<Encounter>('POST', `${V1}/encounters/${enc(id)}/transition`, {
    body: room_id !== undefined && room_id !== '' ? { to, room_id } : { to },
  });
export const undoEncounter = (id: Id) => request<Encounter>('POST', `${V1}/encounters/${enc(id)}/undo`, { body: {} });
export const getFlowBoard = (location: Id, o: Sig = {}) =>
  request<FlowBoard>('GET', `${V1}/flow-board`, { query: { location }, ...o });
export const flowBoardStreamUrl = (location: Id) => `${V1}/flow-board/stream?location=${enc(location)}`;

// ---- Administration and audit ------------------------------------------------------------
export const listUsers = (o: Sig = {}) => request<ListResponse<User>>('GET', `${V1}/users`, o);
export const createUser = (u: UserInput) => request<User>('POST', `${V1}/users`, { body: u });
export const updateUser = (id: Id, u: Partial<UserInput>) => request<User>('PUT', `${V1}/users/${enc(id)}`, { body: u });
export const issueSystemToken = (t: SystemTokenInput) => request<SystemToken>('POST', `${V1}/system-tokens`, { body: t });
export const listSystemTokens = (o: Sig = {}) => request<ListResponse<SystemTokenInfo>>('GET', `${V1}/system-tokens`, o);
export const revokeSystemToken = (id: Id) => request<void>('DELETE', `${V1}/system-tokens/${enc(id)}`);

export interface AuditQuery {
  patient?: Id;
  user?: string;
  from?: string;
  to?: string;
  limit?: number;
  offset?: number;
}
export const listAuditEvents = (q: AuditQuery, o: Sig = {}) =>
  request<ListResponse<AuditEvent>>('GET', `${V1}/audit-events`, { query: { ...q }, ...o });

// ---- Patient relations ---------------------------------------------------------------------
export interface CaseQuery {
  kind?: CaseKind | '';
  status?: CaseStatus | '';
  category?: string;
  open?: boolean;
  overdue?: boolean;
  /** "me" or a user id. */
  owner?: string;
  q?: string;
  limit?: number;
  offset?: number;
}
export const listCases = (q: CaseQuery, o: Sig = {}) =>
  request<ListResponse<Case>>('GET', `${V1}/cases`, {
    query: { ...q, open: q.open || undefined, overdue: q.overdue || undefined } as Record<string, QueryValue>,
    ...o,
  });
export const createCase = (b: CaseInput) => request<Case>('POST', `${V1}/cases`, { body: b });
export const getCase = (id: Id, o: Sig = {}) => request<Case>('GET', `${V1}/cases/${enc(id)}`, o);
export const triageCase = (id: Id, chosen: 'complaint' | 'grievance', override_reason = '') =>
  request<Case>('POST', `${V1}/cases/${enc(id)}/triage`, { body: { chosen, override_reason } });
export const setCaseStatus = (id: Id, status: CaseStatus, note = '') =>
  request<Case>('POST', `${V1}/cases/${enc(id)}/status`, { body: { status, note } });
export const setCaseOwner = (id: Id, owner_user_id: Id | null) =>
  request<Case>('POST', `${V1}/cases/${enc(id)}/owner`, { body: { owner_user_id } });
export const listCaseOwners = (o: Sig = {}) => request<ListResponse<CaseOwner>>('GET', `${V1}/cases/owners`, o);
export const addCaseNote = (id: Id, type: 'note' | 'action', text: string) =>
  request<Case>('POST', `${V1}/cases/${enc(id)}/notes`, { body: { type, text } });
export const sendInterimNotice = (id: Id, text: string) =>
  request<Case>('POST', `${V1}/cases/${enc(id)}/interim-notice`, { body: { text } });
export const saveCaseLetter = (id: Id, l: DecisionLetterInput) =>
  request<Case>('PUT', `${V1}/cases/${enc(id)}/letter`, { body: l });
export const sendCaseLetter = (id: Id) => request<Case>('POST', `${V1}/cases/${enc(id)}/letter/send`, { body: {} });
export const caseAttachmentUrl = (id: Id, aid: Id) => `${V1}/cases/${enc(id)}/attachments/${enc(aid)}`;
export const downloadCaseAttachment = (id: Id, aid: Id, o: Sig = {}) => fetchBlob(caseAttachmentUrl(id, aid), o);
export const getCaseLetterPdf = (id: Id, o: Sig = {}) => fetchBlob(`${V1}/cases/${enc(id)}/letter.pdf`, o);

/**
 * Upload one file as the raw request body. Reports progress (0…1) through XMLHttpRequest when asked to;
 * otherwise (or where XHR is unavailable) uses fetch. Errors are ApiErrors as for every other call.
 */
export function uploadCaseAttachment(
  id: Id,
  file: File,
  opts: { onProgress?: (fraction: number) => void; signal?: AbortSignal } = {},
): Promise<CaseAttachment> {
  const url = `${V1}/cases/${enc(id)}/attachments${buildQuery({ filename: file.name })}`;
  const type = file.type || 'application/octet-stream';
  if (!opts.onProgress || typeof XMLHttpRequest === 'undefined') {
    return (async () => {
      let res: Response;
      try {
        res = await fetch(url, {
          method: 'POST',
          headers: { Accept: 'application/json', 'Content-Type': type, ...authHeaders() },
          body: file,
          signal: opts.signal,
        });
      } catch (e) {
        if (isAbortError(e)) throw e;
        throw networkError();
      }
      if (!res.ok) throw await failed(res);
      return (await res.json()) as CaseAttachment;
    })();
  }
  return new Promise<CaseAttachment>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Content-Type', type);
    for (const [k, v] of Object.entries(authHeaders())) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        opts.onProgress?.(1);
        try {
          resolve(JSON.parse(xhr.responseText) as CaseAttachment);
        } catch {
          reject(new ApiError(xhr.status, 'bad_response', 'The server sent a response that could not be read.'));
        }
      } else {
        failed(new Response(xhr.responseText || null, { status: xhr.status })).then(reject, reject);
      }
    };
    xhr.onerror = () => reject(networkError());
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(file);
  });
}

export const getRelationsSettings = (o: Sig = {}) => request<RelationsSettings>('GET', `${V1}/relations/settings`, o);
export const saveRelationsSettings = (s: RelationsSettings) =>
  request<RelationsSettings>('PUT', `${V1}/relations/settings`, { body: s });
export const getLocationCalendar = (location: Id, o: Sig = {}) =>
  request<BusinessCalendar>('GET', `${V1}/locations/${enc(location)}/calendar`, o);
export const saveLocationCalendar = (location: Id, c: BusinessCalendar) =>
  request<BusinessCalendar>('PUT', `${V1}/locations/${enc(location)}/calendar`, { body: c });
export interface ReportQuery {
  from: string;
  to: string;
  location_id?: Id | '';
}
export const getRelationsReport = (q: ReportQuery, o: Sig = {}) =>
  request<RelationsReport>('GET', `${V1}/relations/report`, { query: { ...q }, ...o });

// ---- Service metrics and patient comments (analytics.read) ----------------------------------------
export interface MetricsQuery {
  interval?: MetricInterval;
  from?: string;
  to?: string;
  location_id?: Id | '';
  provider_id?: Id | '';
  /** A provider specialty, or the department recorded on cases and survey visits. */
  department?: string;
  /** One appointment type: narrows third next available only. */
  appointment_type_id?: Id | '';
}
export const listMetrics = (o: Sig = {}) => request<ListResponse<MetricDefinition>>('GET', `${V1}/metrics`, o);
/** The dashboard as an .xlsx workbook (a summary sheet and one sheet per metric). */
export function getMetricsWorkbook(q: MetricsQuery, o: Sig = {}): Promise<Blob> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  return fetchBlob(`${V1}/metrics/dashboard.xlsx?${params.toString()}`, o);
}
export const getMetricsDashboard = (q: MetricsQuery, o: Sig = {}) =>
  request<MetricsDashboard>('GET', `${V1}/metrics/dashboard`, { query: { ...q }, ...o });
export const getMetric = (key: string, q: MetricsQuery, o: Sig = {}) =>
  request<{ metric: MetricResult }>('GET', `${V1}/metrics/${encodeURIComponent(key)}`, { query: { ...q }, ...o });

export interface CommentQuery {
  from?: string;
  to?: string;
  location_id?: Id | '';
  source?: CommentSource | '';
  sentiment?: Sentiment | '';
  theme?: string;
  department?: string;
  q?: string;
  limit?: number;
  offset?: number;
}
export const listComments = (q: CommentQuery, o: Sig = {}) =>
  request<ListResponse<PatientComment>>('GET', `${V1}/comments`, { query: { ...q }, ...o });
export interface TrendsQuery {
  from?: string;
  to?: string;
  location_id?: Id | '';
  source?: CommentSource | '';
  interval?: 'day' | 'month';
  units?: 'location' | 'department';
}
export const getCommentTrends = (q: TrendsQuery, o: Sig = {}) =>
  request<CommentTrends>('GET', `${V1}/comments/trends`, { query: { ...q }, ...o });

// ---- Public complaint form (no sign-in, no bearer) --------------------------------------------
/** A 429 from a public endpoint, with the server's Retry-After in seconds when it sent one. */
export class RateLimitedError extends ApiError {
  readonly retryAfterSeconds?: number;
  constructor(base: ApiError, retryAfterSeconds?: number) {
    super(base.status, base.code, base.message, base.field, base.body);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Retry-After is either delay-seconds or an HTTP date. */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (!v) return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim());
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, Math.round((t - now) / 1000));
}

async function publicRequest<T>(method: string, path: string, body?: unknown, o: Sig = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: o.signal, credentials: 'omit' });
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw networkError();
  }
  if (!res.ok) {
    const err = await errorFromResponse(res);
    if (res.status === 429) throw new RateLimitedError(err, parseRetryAfter(res.headers.get('Retry-After')));
    throw err;
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
export const getPublicComplaintForm = (o: Sig = {}) =>
  publicRequest<PublicComplaintForm>('GET', `${V1}/public/complaint-form`, undefined, o);
export const submitPublicComplaint = (b: PublicComplaintInput) =>
  publicRequest<PublicComplaintReceipt>('POST', `${V1}/public/complaints`, b);

// ---- helpers for non-JSON answers ---------------------------------------------------------------
function networkError() {
  return new ApiError(0, 'network', 'Cannot reach the CareDesk server. Check the connection and try again.');
}
async function failed(res: Response): Promise<ApiError> {
  const err = await errorFromResponse(res);
  if (res.status === 401) reportUnauthorized(err);
  return err;
}
/** GET bytes with the bearer header (attachments, PDFs). */
export async function fetchBlob(path: string, o: Sig = {}): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { ...authHeaders() }, signal: o.signal });
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw networkError();
  }
  if (!res.ok) throw await failed(res);
  return res.blob();
}
/** fetch, with a network failure or a non-2xx answer as an ApiError (401 ends the session). */
async function fetchOrFail(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if (isAbortError(e)) throw e;
    throw networkError();
  }
  if (!res.ok) throw await failed(res);
  return res;
}

// ---- Surveys ------------------------------------------------------------------------------------
export const listSurveyKinds = (o: Sig = {}) => request<ListResponse<SurveyKindInfo>>('GET', `${V1}/surveys/kinds`, o);
export const listSurveys = (o: Sig = {}) => request<ListResponse<SurveySummary>>('GET', `${V1}/surveys`, o);
export const createSurvey = (d: SurveyDraft) => request<SurveyVersion>('POST', `${V1}/surveys`, { body: d });
export const createHcahpsSurvey = () => request<SurveyVersion>('POST', `${V1}/surveys/hcahps`, { body: {} });
export const getSurvey = (id: Id, o: Sig = {}) => request<SurveyVersion>('GET', `${V1}/surveys/${enc(id)}`, o);
export const getSurveyVersion = (id: Id, version: number, o: Sig = {}) =>
  request<SurveyVersion>('GET', `${V1}/surveys/${enc(id)}/versions/${enc(version)}`, o);
export const createSurveyVersion = (id: Id, d: SurveyDraft) =>
  request<SurveyVersion>('POST', `${V1}/surveys/${enc(id)}/versions`, { body: d });

export const getSurveySettings = (o: Sig = {}) => request<SurveySettings>('GET', `${V1}/surveys/settings`, o);
export const saveSurveySettings = (s: SurveySettings) => request<SurveySettings>('PUT', `${V1}/surveys/settings`, { body: s });
export const dispatchSurveys = () => request<SurveyDispatchResult>('POST', `${V1}/surveys/dispatch`, { body: {} });

export interface InvitationQuery {
  state?: InvitationState | '';
  channel?: InvitationChannel | '';
  printed?: boolean;
  location_id?: Id | '';
  limit?: number;
  offset?: number;
}
export const listSurveyInvitations = (q: InvitationQuery, o: Sig = {}) =>
  request<ListResponse<SurveyInvitation>>('GET', `${V1}/surveys/invitations`, { query: { ...q } as Record<string, QueryValue>, ...o });
export const printSurveyInvitation = (id: Id) =>
  request<InvitationSlip>('POST', `${V1}/surveys/invitations/${enc(id)}/print`, { body: {} });

export const importSurveyResults = (id: Id, version: number, b: SurveyImportInput) =>
  request<SurveyImportResult>('POST', `${V1}/surveys/${enc(id)}/versions/${enc(version)}/imports`, { body: b });
export const listSurveyImports = (id: Id, o: Sig = {}) =>
  request<ListResponse<SurveyImportRecord>>('GET', `${V1}/surveys/${enc(id)}/imports`, o);

export interface SurveyScoresQuery {
  version?: number | '';
  from?: string;
  to?: string;
  location_id?: Id | '';
  group_by?: SurveyGroupBy | '';
}
export const getSurveyScores = (id: Id, q: SurveyScoresQuery, o: Sig = {}) =>
  request<SurveyScores>('GET', `${V1}/surveys/${enc(id)}/scores`, { query: { ...q }, ...o });

// Public answer page (no sign-in, no bearer)
export const getPublicSurvey = (token: string, o: Sig = {}) =>
  publicRequest<PublicSurvey>('GET', `${V1}/public/surveys/${enc(token)}`, undefined, o);
export const submitPublicSurvey = (token: string, answers: PublicSurveyAnswer[]) =>
  publicRequest<{ message: string }>('POST', `${V1}/public/surveys/${enc(token)}`, { answers });
export const optOutOfSurveys = (token: string) =>
  publicRequest<{ message: string }>('POST', `${V1}/public/surveys/${enc(token)}/opt-out`, {});

// ---- Improvement projects and PDSA cycles (read: analytics.read; write: improvement.write) -------
export interface ProjectQuery {
  metric_key?: string;
  location_id?: Id | '';
  status?: ProjectStatus | '';
}
export const listImprovementProjects = (q: ProjectQuery = {}, o: Sig = {}) =>
  request<ListResponse<ImprovementProject>>('GET', `${V1}/improvement-projects`, { query: { ...q }, ...o });
export const getImprovementProject = (id: Id, o: Sig = {}) =>
  request<ImprovementProject>('GET', `${V1}/improvement-projects/${enc(id)}`, o);
export const createImprovementProject = (b: ImprovementProjectInput) =>
  request<ImprovementProject>('POST', `${V1}/improvement-projects`, { body: b });
export const updateImprovementProject = (id: Id, b: ImprovementProjectInput) =>
  request<ImprovementProject>('PUT', `${V1}/improvement-projects/${enc(id)}`, { body: b });
export const addPdsaCycle = (id: Id, b: PdsaCycleInput) =>
  request<ImprovementProject>('POST', `${V1}/improvement-projects/${enc(id)}/cycles`, { body: b });
export const updatePdsaCycle = (id: Id, cid: Id, b: PdsaCycleInput) =>
  request<ImprovementProject>('PUT', `${V1}/improvement-projects/${enc(id)}/cycles/${enc(cid)}`, { body: b });
export const deletePdsaCycle = (id: Id, cid: Id) =>
  request<ImprovementProject>('DELETE', `${V1}/improvement-projects/${enc(id)}/cycles/${enc(cid)}`);

// ---- Third next available appointment (analytics.read) ---------------------------------------------
export interface AccessQuery {
  location_id: Id;
  provider_id?: Id | '';
  appointment_type_id?: Id | '';
  department?: string;
}
export const getThirdNextAvailable = (q: AccessQuery, o: Sig = {}) =>
  request<AccessReadings>('GET', `${V1}/access/third-next-available`, { query: { ...q }, ...o });
/** Takes today's reading again now, at one location (or every location without one). */
export const takeAccessReading = (locationId?: Id) =>
  request<AccessReadingReport>('POST', `${V1}/access/third-next-available/readings`, {
    body: locationId ? { location_id: Number(locationId) } : {},
  });

// ---- Metric alerts and their emails (analytics.read) ------------------------------------------------
export interface MetricAlertQuery {
  location_id?: Id | '';
  metric_key?: string;
  status?: MetricAlertStatus;
  limit?: number;
  offset?: number;
}
export const listMetricAlerts = (q: MetricAlertQuery = {}, o: Sig = {}) =>
  request<ListResponse<MetricAlert> & { total: number }>('GET', `${V1}/metrics/alerts`, { query: { ...q }, ...o });
export const scanMetricAlerts = () => request<AlertScanReport>('POST', `${V1}/metrics/alerts/scan`, { body: {} });
export const acknowledgeMetricAlert = (id: Id, note: string) =>
  request<MetricAlert>('POST', `${V1}/metrics/alerts/${enc(id)}/acknowledge`, { body: { note } });
export const listAlertSubscriptions = (o: Sig = {}) =>
  request<ListResponse<AlertSubscription>>('GET', `${V1}/metrics/alert-subscriptions`, o);
export const createAlertSubscription = (b: AlertSubscriptionInput) =>
  request<AlertSubscription>('POST', `${V1}/metrics/alert-subscriptions`, { body: b });
export const deleteAlertSubscription = (id: Id) => request<void>('DELETE', `${V1}/metrics/alert-subscriptions/${enc(id)}`);

// ---- Records behind one point of a metric chart (analytics.read; reading them is audited) --------
export interface MetricRecordsQuery {
  /** Required: a point of the all-locations chart has too many records to list. */
  location_id: Id;
  provider_id?: Id | '';
  department?: string;
  interval: MetricInterval;
  /** The start of a period of `interval` (YYYY-MM-DD). */
  period_start: string;
  /** At most 200. */
  limit?: number;
  offset?: number;
}
export const getMetricRecords = (key: string, q: MetricRecordsQuery, o: Sig = {}) =>
  request<MetricRecordList>('GET', `${V1}/metrics/${encodeURIComponent(key)}/records`, { query: { ...q }, ...o });

// ---- Inbound HL7 v2 messages (interfaces.manage; reading one is audited) ----------------------------
export interface Hl7MessageQuery {
  status?: Hl7Status | '';
  patient_id?: Id | '';
  /** At most 200. */
  limit?: number;
  offset?: number;
}
export const listHl7Messages = (q: Hl7MessageQuery = {}, o: Sig = {}) =>
  request<Hl7MessageList>('GET', `${V1}/hl7/messages`, { query: { ...q }, ...o });
export const getHl7Message = (id: Id, o: Sig = {}) => request<Hl7Message>('GET', `${V1}/hl7/messages/${enc(id)}`, o);
export const reprocessHl7Message = (id: Id) =>
  request<Hl7Message>('POST', `${V1}/hl7/messages/${enc(id)}/reprocess`, { body: {} });
/** Sends one message as if it had come over MLLP (ER7 text). */
export const submitHl7Message = (raw: string) =>
  request<Hl7SubmitResult>('POST', `${V1}/hl7/messages`, { text: { body: raw, contentType: 'x-application/hl7-v2+er7' } });

// Outbound HL7 v2: peers and the queue.
export const listHl7Peers = (o: Sig = {}) => request<{ items: Hl7Peer[] }>('GET', `${V1}/hl7/peers`, o);
export const createHl7Peer = (body: Hl7PeerInput) => request<Hl7Peer>('POST', `${V1}/hl7/peers`, { body });
export const updateHl7Peer = (id: Id, body: Hl7PeerInput) => request<Hl7Peer>('PUT', `${V1}/hl7/peers/${enc(id)}`, { body });
export const deleteHl7Peer = (id: Id) => request<void>('DELETE', `${V1}/hl7/peers/${enc(id)}`);
export interface Hl7OutboundQuery {
  status?: Hl7OutboundStatus | '';
  peer?: Id;
  limit?: number;
  offset?: number;
}
export const listHl7Outbound = (q: Hl7OutboundQuery = {}, o: Sig = {}) =>
  request<Hl7OutboundList>('GET', `${V1}/hl7/outbound`, { query: { ...q }, ...o });
export const getHl7Outbound = (id: Id, o: Sig = {}) => request<Hl7Outbound>('GET', `${V1}/hl7/outbound/${enc(id)}`, o);
export const retryHl7Outbound = (id: Id) => request<Hl7Outbound>('POST', `${V1}/hl7/outbound/${enc(id)}/retry`, { body: {} });
export const discardHl7Outbound = (id: Id) =>
  request<Hl7Outbound>('POST', `${V1}/hl7/outbound/${enc(id)}/discard`, { body: {} });

// ---- FHIR R4 ------------------------------------------------------------------
/** Starts a FHIR $import of `body` (ndjson, or a Bundle); returns the path of its status. */
export async function startFhirImport(body: string, ndjson: boolean): Promise<string> {
  const headers = {
    Accept: 'application/fhir+json',
    'Content-Type': ndjson ? 'application/fhir+ndjson' : 'application/fhir+json',
    ...authHeaders(),
  };
  const res = await fetchOrFail('/fhir/R4/$import', { method: 'POST', headers, body });
  const location = res.headers.get('Content-Location');
  if (!location) throw new ApiError(res.status, 'bad_response', 'The server did not say where to follow the import.');
  return new URL(location, window.location.origin).pathname;
}

/** An import's status: running (with "phase: done of total") or its report. */
export async function pollFhirImport(path: string): Promise<{ progress?: string; report?: FhirImportReport }> {
  const res = await fetchOrFail(path, { headers: { Accept: 'application/fhir+json', ...authHeaders() } });
  if (res.status === 202) return { progress: res.headers.get('X-Progress') ?? undefined };
  return { report: (await res.json()) as FhirImportReport };
}

export const deleteFhirImport = (path: string) => request<void>('DELETE', path);

/** Starts a FHIR Bulk Data $export at `path` (system, Patient or Group level); returns the path of its status. */
export async function startFhirExport(path: string, query: Record<string, string> = {}): Promise<string> {
  const headers = { Accept: 'application/fhir+json', Prefer: 'respond-async', ...authHeaders() };
  const q = new URLSearchParams(query).toString();
  const res = await fetchOrFail(q ? `${path}?${q}` : path, { headers });
  const location = res.headers.get('Content-Location');
  if (!location) throw new ApiError(res.status, 'bad_response', 'The server did not say where to follow the export.');
  return new URL(location, window.location.origin).pathname;
}

/** An export's status: running (with "N resources written") or its manifest, with when its files expire. */
export async function pollFhirExport(
  path: string,
): Promise<{ progress?: string; manifest?: FhirExportManifest; expires?: string }> {
  const res = await fetchOrFail(path, { headers: { Accept: 'application/fhir+json', ...authHeaders() } });
  if (res.status === 202) return { progress: res.headers.get('X-Progress') ?? undefined };
  const expires = res.headers.get('Expires');
  return {
    manifest: (await res.json()) as FhirExportManifest,
    expires: expires ? new Date(expires).toISOString() : undefined,
  };
}

/** The user's latest exports or imports, newest first. */
export const listFhirJobs = (kind: 'export' | 'import', o: Sig = {}) =>
  request<{ items: FhirJob[] }>('GET', `${V1}/fhir/jobs`, { query: { kind }, ...o });

/** Stops a running export or deletes a finished one's files. */
export const deleteFhirExport = (path: string) => request<void>('DELETE', path);

export const getFhirMetadata = (o: Sig = {}) => request<FhirCapability>('GET', '/fhir/R4/metadata', o);
export const searchFhirPatients = (params: Record<string, string>, o: Sig = {}) =>
  request<FhirBundle<FhirPatient>>('GET', '/fhir/R4/Patient', { query: params, ...o });
/** A page a Bundle's link points to, as a path and query on this server. */
export const getFhirPage = (pathAndQuery: string, o: Sig = {}) => request<FhirBundle<FhirPatient>>('GET', pathAndQuery, o);
