// FHIR R4 as the Interfaces page shows it: what the CapabilityStatement says is served, and a
// Patient search Bundle read into rows. Display only; the server does the FHIR.
import type { FhirBundle, FhirCapability, FhirPatient, FhirSearchParam } from '../api/types';

/** The system of CareDesk's own medical record numbers in Patient.identifier. */
export const MRN_SYSTEM = 'urn:caredesk:mrn';

export interface ServedResource {
  type: string;
  interactions: string[];
  params: FhirSearchParam[];
}

/** The resource types the server states it serves, with their interactions and search parameters. */
export function servedResources(cs: FhirCapability): ServedResource[] {
  return (cs.rest ?? []).flatMap((rest) =>
    (rest.resource ?? [])
      .filter((r) => !isKeptAsSent(r))
      .map((r) => ({
        type: r.type,
        interactions: (r.interaction ?? []).map((i) => i.code),
        params: r.searchParam ?? [],
      })),
  );
}

type CapabilityResource = NonNullable<NonNullable<FhirCapability['rest']>[number]['resource']>[number];
const isKeptAsSent = (r: CapabilityResource) => (r.documentation ?? '').startsWith('Kept as sent');

/** The types the server keeps as sent (it has no model of them), in its order. */
export function keptTypes(cs: FhirCapability): string[] {
  return (cs.rest ?? []).flatMap((rest) => (rest.resource ?? []).filter(isKeptAsSent).map((r) => r.type));
}

/** "Given Middle Family" from the official name (else the first). */
export function displayName(p: FhirPatient): string {
  const name = p.name?.find((n) => n.use === 'official') ?? p.name?.[0];
  if (!name) return `Patient ${p.id}`;
  if (name.text) return name.text;
  return [...(name.given ?? []), name.family ?? ''].filter(Boolean).join(' ') || `Patient ${p.id}`;
}

export function mrnOf(p: FhirPatient): string | undefined {
  return p.identifier?.find((i) => i.system === MRN_SYSTEM)?.value;
}

export type DatePrefix = 'eq' | 'lt' | 'le' | 'gt' | 'ge' | 'ap';

export interface PatientSearchForm {
  family: string;
  given: string;
  birthdate: string;
  birthdatePrefix: DatePrefix;
  identifier: string;
  count: number;
}

export const EMPTY_SEARCH: PatientSearchForm = { family: '', given: '', birthdate: '', birthdatePrefix: 'eq', identifier: '', count: 20 };

/** The search parameters a form stands for; empty fields are left out, `eq` is the default prefix. */
export function patientSearchParams(f: PatientSearchForm): Record<string, string> {
  const out: Record<string, string> = {};
  if (f.family.trim()) out.family = f.family.trim();
  if (f.given.trim()) out.given = f.given.trim();
  if (f.birthdate.trim()) out.birthdate = (f.birthdatePrefix === 'eq' ? '' : f.birthdatePrefix) + f.birthdate.trim();
  if (f.identifier.trim()) out.identifier = f.identifier.trim();
  out._count = String(f.count);
  return out;
}

/** The patients a searchset Bundle matched, in its order. */
export function matches(b: FhirBundle<FhirPatient>): FhirPatient[] {
  return (b.entry ?? [])
    .filter((e) => e.search?.mode !== 'outcome' && e.resource.resourceType === 'Patient')
    .map((e) => e.resource as FhirPatient);
}

/** What the server said about the search itself (parameters it did not apply). */
export function warnings(b: FhirBundle<FhirPatient>): string[] {
  return (b.entry ?? []).flatMap((e) =>
    e.search?.mode === 'outcome' && e.resource.resourceType === 'OperationOutcome'
      ? e.resource.issue.map((i) => i.diagnostics ?? i.code)
      : [],
  );
}

/** The next page's path and query on this server, if there is a next page. */
export function nextPage(b: FhirBundle<FhirPatient>): string | undefined {
  const url = b.link?.find((l) => l.relation === 'next')?.url;
  if (!url) return undefined;
  const u = new URL(url, 'http://localhost');
  return u.pathname + u.search;
}
