import { isApiError } from '../api/client';
import { normaliseField } from '../components/Field';

/**
 * Route an API error to the field it names when that field is on the form (returns true), else leave it
 * for a banner. Focuses the field's input (id = `${prefix}-${field}`).
 */
export function fieldErrorFrom(
  e: unknown,
  prefix: string,
  fields: readonly string[],
  setErrs: (errs: Record<string, string>) => void,
): boolean {
  if (!isApiError(e) || !e.field) return false;
  const f = normaliseField(e.field);
  if (!fields.includes(f)) return false;
  setErrs({ [f]: e.message });
  setTimeout(() => document.getElementById(`${prefix}-${f.replace(/[^a-zA-Z0-9_-]/g, '-')}`)?.focus(), 0);
  return true;
}

export function focusFirstError(prefix: string, errs: Record<string, string>) {
  const first = Object.keys(errs)[0];
  if (first) setTimeout(() => document.getElementById(`${prefix}-${first.replace(/[^a-zA-Z0-9_-]/g, '-')}`)?.focus(), 0);
}
