import type { Generated } from 'kysely';

export const PATIENT_SEXES = ['female', 'male', 'other', 'unknown'] as const;
export type PatientSex = (typeof PATIENT_SEXES)[number];

export type PatientTables = {
  patients: {
    id: Generated<string>;
    given_name: string;
    family_name: string;
    /** 'YYYY-MM-DD': a calendar date, never shifted by a time zone. */
    birth_date: string;
    sex: PatientSex;
    mrn: string;
    treatment_centre_partner_id: string;
    created_at: Generated<Date>;
  };
  providers: {
    id: Generated<string>;
    display_name: string;
    partner_id: string;
    created_at: Generated<Date>;
  };
  provider_patients: { provider_id: string; patient_id: string };
};
