// One function per endpoint of docs/API.md.
import { request, setToken } from './client';
import type {
  Appointment,
  AppointmentStatus,
  AppointmentType,
  AuditEvent,
  BookAppointmentInput,
  Encounter,
  FlowBoard,
  Id,
  ListResponse,
  Location,
  LoginResponse,
  Patient,
  PatientInput,
  PatientSummary,
  Provider,
  Room,
  ScheduleException,
  SessionInfo,
  Slot,
  Template,
  TransitionTarget,
  User,
  UserInput,
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
export const getPatientAccessLog = (id: Id, o: Sig = {}) =>
  request<ListResponse<AuditEvent>>('GET', `${V1}/patients/${enc(id)}/access-log`, o);

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
