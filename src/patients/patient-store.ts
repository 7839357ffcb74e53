import { type Kysely, sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { visiblePatients } from '../platform/access/scope.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { PatientSex } from './patient-tables.ts';

type Db = Kysely<Schema>;

export type PatientView = {
  id: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: PatientSex;
  mrn: string;
  treatmentCentre: { id: string; name: string };
};

function patientsOf(db: Db, actor: Actor) {
  return visiblePatients(db, actor)
    .innerJoin('partners', 'partners.id', 'patients.treatment_centre_partner_id')
    .select([
      'patients.id',
      'patients.given_name',
      'patients.family_name',
      // As text: PGlite ignores the date parser of type-parsers.ts and would return a Date at midnight UTC.
      sql<string>`patients.birth_date::text`.as('birth_date'),
      'patients.sex',
      'patients.mrn',
      'patients.treatment_centre_partner_id',
      'partners.name as centre_name',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof patientsOf>['executeTakeFirstOrThrow']>>;

const toView = (row: Row): PatientView => ({
  id: row.id,
  givenName: row.given_name,
  familyName: row.family_name,
  birthDate: row.birth_date,
  sex: row.sex,
  mrn: row.mrn,
  treatmentCentre: { id: row.treatment_centre_partner_id, name: row.centre_name },
});

/** The patients the actor may see (partner scoping applied here, not in the route). */
export async function listVisiblePatients(db: Db, actor: Actor, limit: number): Promise<PatientView[]> {
  const rows = await patientsOf(db, actor)
    .orderBy('patients.family_name')
    .orderBy('patients.given_name')
    .orderBy('patients.id')
    .limit(limit)
    .execute();
  return rows.map(toView);
}

/** One patient, or undefined when it does not exist or is outside the actor's scope (the same to the caller). */
export async function findVisiblePatient(db: Db, actor: Actor, id: string): Promise<PatientView | undefined> {
  const row = await patientsOf(db, actor).where('patients.id', '=', id).executeTakeFirst();
  return row ? toView(row) : undefined;
}

export type PhiAccess = {
  actor: Actor;
  patientIds: string[];
  action: string;
  route: string;
  requestId: string;
};

/** HIPAA access accounting: who saw which patient's data, when, through which route and request. */
export async function recordPhiAccess(db: Db, access: PhiAccess): Promise<void> {
  if (access.patientIds.length === 0) return;
  const actor = access.actor;
  await db
    .insertInto('phi_access_log')
    .values(
      access.patientIds.map((patientId) => ({
        actor_type: actor.kind,
        actor_id: actor.id,
        actor_partner_id: actor.kind === 'system' ? null : actor.partnerId,
        patient_id: patientId,
        action: access.action,
        route: access.route,
        request_id: access.requestId,
      })),
    )
    .execute();
}

export type NewPatient = {
  givenName: string;
  familyName: string;
  birthDate: string;
  sex: PatientSex;
  mrn: string;
  treatmentCentrePartnerId: string;
};

/** Inserts a patient unless the centre already has this MRN; returns the patient's id either way. */
export async function ensurePatient(db: Db, patient: NewPatient): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('patients')
    .values({
      given_name: patient.givenName,
      family_name: patient.familyName,
      birth_date: patient.birthDate,
      sex: patient.sex,
      mrn: patient.mrn,
      treatment_centre_partner_id: patient.treatmentCentrePartnerId,
    })
    .onConflict((oc) => oc.columns(['treatment_centre_partner_id', 'mrn']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('patients')
    .select('id')
    .where('treatment_centre_partner_id', '=', patient.treatmentCentrePartnerId)
    .where('mrn', '=', patient.mrn)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}
