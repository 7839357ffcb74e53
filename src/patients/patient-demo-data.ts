import type { NewPatient } from './patient-store.ts';

/**
 * Fictional patients and one provider, so partner scoping and PHI access logging have something
 * real to work on. Keyed by the treatment centre's partner code; every name is invented.
 */
export const demoPatients: Record<string, Array<Omit<NewPatient, 'treatmentCentrePartnerId'>>> = {
  'ST-ELISABETH': [
    { givenName: 'Jonas', familyName: 'Weber', birthDate: '1968-04-12', sex: 'male', mrn: 'STE-100234' },
    { givenName: 'Miriam', familyName: 'Schulz', birthDate: '1975-09-30', sex: 'female', mrn: 'STE-100871' },
  ],
  'LAKESIDE-CC': [
    { givenName: 'Daniel', familyName: 'Brooks', birthDate: '1959-01-22', sex: 'male', mrn: 'LCC-55821' },
  ],
  'SAINT-ROCH': [
    { givenName: 'Claire', familyName: 'Morel', birthDate: '1982-06-05', sex: 'female', mrn: 'SRO-77310' },
  ],
};

/** The demo provider: a haematologist at St. Elisabeth caring for both of its demo patients. */
export const demoProvider = {
  id: '7f3c2a1e-5b8d-4c6f-9a2e-1d4b6c8e0f13',
  displayName: 'Dr. Lena Hartmann',
  partnerCode: 'ST-ELISABETH',
  patientMrns: ['STE-100234', 'STE-100871'],
} as const;

/** The patient whose portal account the demo has (at St. Elisabeth). */
export const demoPortalPatientMrn = 'STE-100234';
