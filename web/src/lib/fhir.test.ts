import { describe, expect, it } from 'vitest';
import type { FhirBundle, FhirPatient } from '../api/types';
import { EMPTY_SEARCH, displayName, matches, mrnOf, nextPage, patientSearchParams, warnings } from './fhir';

const P: FhirPatient = {
  resourceType: 'Patient',
  id: '42',
  name: [{ use: 'old', family: 'Maiden' }, { use: 'official', family: 'García', given: ['Ana', 'Luisa'] }],
  identifier: [{ system: 'urn:oid:1.2.3', value: 'X' }, { system: 'urn:caredesk:mrn', value: 'MRN00000042' }],
};

describe('FHIR display helpers', () => {
  it('names a patient by the official name and finds the MRN among the identifiers', () => {
    expect(displayName(P)).toBe('Ana Luisa García');
    expect(displayName({ resourceType: 'Patient', id: '7' })).toBe('Patient 7');
    expect(mrnOf(P)).toBe('MRN00000042');
  });

  it('turns the form into search parameters, leaving out what is empty', () => {
    expect(patientSearchParams({ ...EMPTY_SEARCH, family: ' smi ', birthdate: '1980', birthdatePrefix: 'ge' })).toEqual({
      family: 'smi',
      birthdate: 'ge1980',
      _count: '20',
    });
    expect(patientSearchParams({ ...EMPTY_SEARCH, birthdate: '1980-05' })).toEqual({ birthdate: '1980-05', _count: '20' });
  });

  it('reads matches, outcome warnings and the next page of a Bundle', () => {
    const b: FhirBundle<FhirPatient> = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [{ relation: 'next', url: 'http://host:8080/fhir/R4/Patient?family=g&_cursor=42' }],
      entry: [
        { resource: P, search: { mode: 'match' } },
        { resource: { resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'not-supported', diagnostics: 'not applied: x' }] }, search: { mode: 'outcome' } },
      ],
    };
    expect(matches(b).map((p) => p.id)).toEqual(['42']);
    expect(warnings(b)).toEqual(['not applied: x']);
    expect(nextPage(b)).toBe('/fhir/R4/Patient?family=g&_cursor=42');
    expect(nextPage({ ...b, link: [] })).toBeUndefined();
  });
});
