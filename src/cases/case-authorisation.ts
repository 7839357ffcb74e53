import type { PartnerType } from '../partners/partner-tables.ts';
import { type Role, roleAllowedForPartner } from '../platform/access/roles.ts';
import type { ActorRef } from './case-events.ts';

/** Who is acting, as the access layer authenticated them. */
export type Actor = { userId: string; partnerId: string; partnerType: PartnerType; roles: readonly Role[] };

/**
 * The partners that fill each party of a case. The store loads them for every command (they
 * can change: scheduling assigns the plant and the courier), so they are context, not events.
 */
export type CaseParties = {
  treatmentCentrePartnerId: string;
  sponsorPartnerId?: string;
  collectionCentrePartnerId?: string;
  manufacturingSitePartnerId?: string;
  courierPartnerId?: string;
  laboratoryPartnerId?: string;
  referringPracticePartnerId?: string;
  payerPartnerId?: string;
};

const PARTY_FIELD: Record<PartnerType, keyof CaseParties> = {
  sponsor: 'sponsorPartnerId',
  treatment_centre: 'treatmentCentrePartnerId',
  collection_centre: 'collectionCentrePartnerId',
  manufacturing_site: 'manufacturingSitePartnerId',
  courier: 'courierPartnerId',
  laboratory: 'laboratoryPartnerId',
  referring_practice: 'referringPracticePartnerId',
  payer: 'payerPartnerId',
};

export function partyFor(parties: CaseParties, partnerType: PartnerType): string | undefined {
  return parties[PARTY_FIELD[partnerType]];
}

export function isCaseParty(parties: CaseParties, partnerId: string): boolean {
  return Object.values(parties).includes(partnerId);
}

export type Authorised = { ok: true; by: ActorRef } | { ok: false; reason: string };

/**
 * Work on a step belongs to the partner filling the step's party in this case, done in the
 * step's role. A hospital that collects its own cells fills the collection-centre party: the
 * partner id decides, and the role must be one the actor's own partner type may hold.
 */
export function authoriseForParty(
  actor: Actor,
  parties: CaseParties,
  role: Role,
  partnerType: PartnerType,
): Authorised {
  if (!actor.roles.includes(role)) return { ok: false, reason: `requires the role ${role}` };
  if (!roleAllowedForPartner(role, actor.partnerType))
    return { ok: false, reason: `the role ${role} is not valid at a ${actor.partnerType} partner` };
  const assigned = partyFor(parties, partnerType);
  if (!assigned) return { ok: false, reason: `no ${partnerType} partner is assigned to this case` };
  if (assigned !== actor.partnerId)
    return {
      ok: false,
      reason: `this work belongs to the case's ${partnerType} partner, not to partner ${actor.partnerId}`,
    };
  return { ok: true, by: { userId: actor.userId, partnerId: actor.partnerId, role } };
}

/** Work any party of the case may do in one of the given roles (raise an exception, decide a branch). */
export function authoriseAnyParty(actor: Actor, parties: CaseParties, roles: readonly Role[]): Authorised {
  const role = roles.find((r) => actor.roles.includes(r) && roleAllowedForPartner(r, actor.partnerType));
  if (!role) return { ok: false, reason: `requires one of the roles ${roles.join(', ')}` };
  if (!isCaseParty(parties, actor.partnerId))
    return { ok: false, reason: 'the actor’s partner is not a party to this case' };
  return { ok: true, by: { userId: actor.userId, partnerId: actor.partnerId, role } };
}
