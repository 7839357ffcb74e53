import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { Schema } from '../db/schema.ts';
import type { Actor } from './actor.ts';

/**
 * Partner scoping, applied in the store layer: a store function starts its query from one of the
 * `visible…` builders below instead of from the bare table, so a record outside the actor's scope
 * is simply not found (404), never "forbidden" (which would reveal that it exists).
 *
 * The decision itself is a pure function of the actor (`…ScopeOf`), tested on its own.
 */
export type PatientScope =
  | { kind: 'all' }
  | { kind: 'partner'; partnerId: string }
  | { kind: 'self'; patientId: string }
  | { kind: 'provider'; providerId: string }
  | { kind: 'none' };

/**
 * Whose identity an actor may see. Sponsor staff with a patient-facing role see every patient of
 * the programme; a treatment centre (its staff or its system) sees the patients it treats; a
 * patient sees themself; a provider sees the patients linked to them; everyone else, none.
 */
export function patientScopeOf(actor: Actor): PatientScope {
  if (actor.kind === 'system') return { kind: 'all' };
  if (!actor.permissions.has('patients:read')) return { kind: 'none' };
  if (actor.kind === 'user') {
    if (actor.roles.includes('patient'))
      return actor.patientId ? { kind: 'self', patientId: actor.patientId } : { kind: 'none' };
    if (actor.roles.includes('provider'))
      return actor.providerId ? { kind: 'provider', providerId: actor.providerId } : { kind: 'none' };
  }
  if (actor.partnerType === 'sponsor') return { kind: 'all' };
  if (actor.partnerType === 'treatment_centre') return { kind: 'partner', partnerId: actor.partnerId };
  return { kind: 'none' };
}

/** Whose accounts and API clients an actor may see: the sponsor runs the network; a partner, itself. */
export type PartnerScope = { kind: 'all' } | { kind: 'partner'; partnerId: string };

export function partnerScopeOf(actor: Actor): PartnerScope {
  if (actor.kind === 'system' || actor.partnerType === 'sponsor') return { kind: 'all' };
  return { kind: 'partner', partnerId: actor.partnerId };
}

type Db = Kysely<Schema>;

// biome-ignore lint/complexity/noBannedTypes: Kysely's "nothing selected yet"
type Unselected = {};

/** `select … from patients` restricted to the actor's scope. */
export function visiblePatients(db: Db, actor: Actor): SelectQueryBuilder<Schema, 'patients', Unselected> {
  const query = db.selectFrom('patients');
  const scope = patientScopeOf(actor);
  switch (scope.kind) {
    case 'all':
      return query;
    case 'partner':
      return query.where('patients.treatment_centre_partner_id', '=', scope.partnerId);
    case 'self':
      return query.where('patients.id', '=', scope.patientId);
    case 'provider':
      return query.where('patients.id', 'in', (sub) =>
        sub.selectFrom('provider_patients').select('patient_id').where('provider_id', '=', scope.providerId),
      );
    case 'none':
      return query.where(sql<boolean>`false`);
  }
}

/** `select … from users` restricted to the partners the actor may administer. */
export function visibleUsers(db: Db, actor: Actor): SelectQueryBuilder<Schema, 'users', Unselected> {
  const scope = partnerScopeOf(actor);
  const query = db.selectFrom('users');
  return scope.kind === 'all' ? query : query.where('users.partner_id', '=', scope.partnerId);
}

/** `select … from api_clients` restricted to the partners the actor may administer. */
export function visibleApiClients(
  db: Db,
  actor: Actor,
): SelectQueryBuilder<Schema, 'api_clients', Unselected> {
  const scope = partnerScopeOf(actor);
  const query = db.selectFrom('api_clients');
  return scope.kind === 'all' ? query : query.where('api_clients.partner_id', '=', scope.partnerId);
}
