import { demoPatients, demoPortalPatientMrn, demoProvider } from '../../patients/patient-demo-data.ts';
import { ensurePatient } from '../../patients/patient-store.ts';
import { systemActor } from '../access/actor.ts';
import type { Role } from '../access/roles.ts';
import { appendLedgerEntry } from '../audit/ledger-writer.ts';
import type { Tx } from '../db/transaction.ts';
import { insertUser, normaliseEmail, userRecord } from './user-store.ts';

/**
 * Demo accounts: one per role, all with the same published password. Staff accounts have a
 * second factor enrolled with a published TOTP secret, so the real sign-in (password, then an
 * authenticator code) is what a tester sees, with nothing bypassed. Because both are public, demo
 * accounts are flagged `demo` and may sign in only where DEMO_SIGN_IN allows it (by default only
 * on a server listening on loopback).
 */
export const DEMO_PASSWORD = 'Cellway-demo-2026!';
export const DEMO_TOTP_SECRET = 'CELLWAYDEMOTOTPSECRETONLYFORDEMO';

export type DemoUser = {
  email: string;
  displayName: string;
  roles: Role[];
  /** The patient (by MRN at the demo centre) or the demo provider this portal user is. */
  link?: 'portal-patient' | 'demo-provider';
};

/** By the partner code each account belongs to (the demo seed's steps run partner by partner). */
export const demoUsers: Record<string, DemoUser[]> = {
  'AURORA-BIO': [
    { email: 'coordinator@aurora.example', displayName: 'Priya Raman', roles: ['program_coordinator'] },
    { email: 'case.manager@aurora.example', displayName: 'Marcus Bell', roles: ['case_manager'] },
    { email: 'msl@aurora.example', displayName: 'Dr. Sofia Alvarez', roles: ['msl'] },
    { email: 'admin@aurora.example', displayName: 'Hannah Kim', roles: ['admin'] },
    { email: 'inspector@aurora.example', displayName: 'Thomas Berger', roles: ['inspector'] },
  ],
  'ST-ELISABETH': [
    {
      email: 'centre.coordinator@st-elisabeth.example',
      displayName: 'Katrin Vogel',
      roles: ['centre_coordinator'],
    },
    { email: 'nurse@st-elisabeth.example', displayName: 'Lukas Becker', roles: ['infusion_nurse'] },
    // Two-person checks (bedside identity, receipt in Germany) need a second nurse.
    { email: 'nurse2@st-elisabeth.example', displayName: 'Sophie Wagner', roles: ['infusion_nurse'] },
    { email: 'apheresis@st-elisabeth.example', displayName: 'Anna Hofmann', roles: ['collection_staff'] },
    {
      email: 'provider@st-elisabeth.example',
      displayName: 'Dr. Lena Hartmann',
      roles: ['provider'],
      link: 'demo-provider',
    },
    // A patient belongs to the sponsor's programme, not to the hospital: see below.
  ],
  'LAKESIDE-CC': [
    {
      email: 'centre.coordinator@lakeside.example',
      displayName: 'Grace Okafor',
      roles: ['centre_coordinator'],
    },
  ],
  'AURORA-LEIDEN': [
    { email: 'qa@aurora-leiden.example', displayName: 'Pieter de Vries', roles: ['qa'] },
    // A batch release takes two QA signatures by different people.
    { email: 'qa2@aurora-leiden.example', displayName: 'Maarten Bakker', roles: ['qa'] },
    { email: 'manufacturing@aurora-leiden.example', displayName: 'Eva Jansen', roles: ['manufacturing'] },
    { email: 'lab@aurora-leiden.example', displayName: 'Ruben Smit', roles: ['lab'] },
  ],
  COLDPATH: [{ email: 'courier@coldpath.example', displayName: 'Sam Visser', roles: ['courier'] }],
};

/** The patient portal account: a member of the sponsor's programme, linked to a patient at St. Elisabeth. */
export const demoPatientUser: DemoUser = {
  email: 'patient@mail.example',
  displayName: 'Jonas Weber',
  roles: ['patient'],
  link: 'portal-patient',
};

export type DemoPeopleContext = {
  partnerIds: (code: string) => Promise<string | undefined>;
  /** The demo password's argon2 hash, computed at most once per seed run (hashing is slow on purpose). */
  passwordHash: () => Promise<string>;
  now: Date;
};

const seedActor = systemActor('demo-seed');

async function ensureDemoUser(
  trx: Tx,
  ctx: DemoPeopleContext,
  partnerId: string,
  user: DemoUser,
  links: { patientId?: string; providerId?: string },
): Promise<void> {
  const email = normaliseEmail(user.email);
  const existing = await trx.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  if (existing) return;
  const staff = !user.roles.includes('patient') && !user.roles.includes('provider');
  const created = await insertUser(trx, {
    partnerId,
    email,
    displayName: user.displayName,
    roles: user.roles,
    patientId: user.link === 'portal-patient' ? (links.patientId ?? null) : null,
    providerId: user.link === 'demo-provider' ? (links.providerId ?? null) : null,
    passwordHash: await ctx.passwordHash(),
    mustChangePassword: false,
    demo: true,
    totpSecret: staff ? DEMO_TOTP_SECRET : null,
    now: ctx.now,
  });
  await appendLedgerEntry(
    trx,
    {
      stream: `user:${created.id}`,
      actor: seedActor,
      action: 'user.created',
      recordType: 'user',
      recordId: created.id,
      after: userRecord(created),
      reason: 'demo data',
    },
    ctx.now,
  );
}

/**
 * The demo people of one partner (its accounts, and at a treatment centre its patients and
 * provider), inside the seed step's transaction. Safe to repeat: existing rows are kept as they are.
 */
export async function seedDemoPeople(
  trx: Tx,
  ctx: DemoPeopleContext,
  partnerCode: string,
  partnerId: string,
) {
  const links: { patientId?: string; providerId?: string } = {};
  const patientIds = new Map<string, string>();
  for (const patient of demoPatients[partnerCode] ?? []) {
    const { id } = await ensurePatient(trx, { ...patient, treatmentCentrePartnerId: partnerId });
    patientIds.set(patient.mrn, id);
  }
  if (partnerCode === demoProvider.partnerCode) {
    await trx
      .insertInto('providers')
      .values({ id: demoProvider.id, display_name: demoProvider.displayName, partner_id: partnerId })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    for (const mrn of demoProvider.patientMrns) {
      const patientId = patientIds.get(mrn);
      if (patientId)
        await trx
          .insertInto('provider_patients')
          .values({ provider_id: demoProvider.id, patient_id: patientId })
          .onConflict((oc) => oc.columns(['provider_id', 'patient_id']).doNothing())
          .execute();
    }
    links.providerId = demoProvider.id;
  }
  for (const user of demoUsers[partnerCode] ?? []) await ensureDemoUser(trx, ctx, partnerId, user, links);
  const portalPatientId = patientIds.get(demoPortalPatientMrn);
  if (portalPatientId) {
    const sponsorId = await ctx.partnerIds('AURORA-BIO');
    if (sponsorId) await ensureDemoUser(trx, ctx, sponsorId, demoPatientUser, { patientId: portalPatientId });
  }
}

/** How many demo accounts a partner's seed step creates (for its progress label). */
export function demoPeopleCount(partnerCode: string): number {
  return (
    (demoUsers[partnerCode]?.length ?? 0) +
    (demoPatients[partnerCode]?.some((p) => p.mrn === demoPortalPatientMrn) ? 1 : 0)
  );
}
