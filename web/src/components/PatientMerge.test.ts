import { describe, expect, it } from 'vitest';
import { movedText } from './PatientMerge';

describe('movedText', () => {
  it('names each kind moved, singular or plural, in a sentence', () => {
    expect(movedText({})).toBe('nothing');
    expect(movedText({ appointments: 1 })).toBe('1 appointment');
    expect(movedText({ appointments: 3, encounters: 1, identifiers: 2 })).toBe(
      '3 appointments, 1 visit and 2 identifiers from other systems',
    );
  });

  it('names the FHIR resources kept from other systems that moved', () => {
    expect(movedText({ coverages: 1, fhir_resources: 4 })).toBe('1 coverage and 4 FHIR resources (conditions, allergies, …)');
    expect(movedText({ fhir_resources: 1 })).toBe('1 FHIR resource (conditions, allergies, …)');
  });
});
