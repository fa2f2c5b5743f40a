import type { AppointmentStatus, Patient, PatientSummary } from '../api/types';

export function patientName(p: Pick<Patient, 'given_name' | 'family_name'> & { middle_name?: string | null }): string {
  return [p.given_name, p.middle_name, p.family_name].filter(Boolean).join(' ');
}
/** "Family, Given Middle" for lists. */
export function patientSortName(p: PatientSummary | Patient): string {
  const given = [p.given_name, p.middle_name].filter(Boolean).join(' ');
  return p.family_name ? `${p.family_name}, ${given}` : given;
}

export const STATUS_LABEL: Record<AppointmentStatus, string> = {
  booked: 'Booked',
  checked_in: 'Checked in',
  completed: 'Completed',
  cancelled: 'Cancelled',
  no_show: 'No-show',
};
export function statusLabel(s: string): string {
  return (STATUS_LABEL as Record<string, string>)[s] ?? s.replace(/_/g, ' ');
}

export const SEX_LABEL: Record<string, string> = { female: 'Female', male: 'Male', other: 'Other', unknown: 'Unknown' };
export const CONTACT_LABEL: Record<string, string> = {
  phone: 'Phone call',
  sms: 'Text message (SMS)',
  email: 'Email',
  mail: 'Letter',
  portal: 'Patient portal',
};
export const CONSENT_LABEL: Record<string, string> = {
  treatment: 'Consent to treatment',
  privacy_notice: 'Privacy notice acknowledged',
  sms: 'Text message reminders',
  email: 'Email communication',
  research: 'Research participation',
};
export const RELATIONSHIP_LABEL: Record<string, string> = { self: 'Self', spouse: 'Spouse', child: 'Child', other: 'Other' };

export function pct(p: number): string {
  const v = p <= 1 ? p * 100 : p;
  return `${Math.round(v)}%`;
}

export function titleCase(s: string): string {
  return s.replace(/_/g, ' ').replace(/^\w/, (c) => c.toUpperCase());
}

/** MRNs issued by CareDesk already start with "MRN"; label others. */
export function mrnText(mrn: string | null | undefined): string {
  if (!mrn) return '';
  return /^mrn/i.test(mrn) ? mrn : `MRN ${mrn}`;
}

// Preferred languages offered at registration: BCP 47 tags as the server
// stores them, with the names people recognise.
export const LANGUAGE_LABEL: Record<string, string> = {
  en: 'English',
  es: 'Spanish',
  zh: 'Chinese',
  vi: 'Vietnamese',
  tl: 'Tagalog',
  ar: 'Arabic',
  fr: 'French',
  ko: 'Korean',
  ru: 'Russian',
  pt: 'Portuguese',
  ht: 'Haitian Creole',
  de: 'German',
  pl: 'Polish',
  hi: 'Hindi',
  bn: 'Bengali',
  ur: 'Urdu',
  fa: 'Persian',
  so: 'Somali',
  ase: 'American Sign Language',
};

export function languageName(tag: string | null | undefined): string {
  if (!tag) return '';
  return LANGUAGE_LABEL[tag] ?? LANGUAGE_LABEL[tag.split('-')[0]] ?? tag;
}
