import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Role } from './roles.ts';

/**
 * What each role may do, as named permissions that routes declare (`config.access.permission`).
 * Pure data: the authorization matrix test prints it, and a route is only reachable through it.
 * Capabilities add their permissions here as they land.
 */
export const PERMISSIONS = {
  'self:read': 'read your own profile',
  'self:manage': 'change your own password and second factor',
  'network:read': 'read partners and sites of the network',
  'partners:manage': 'create and change partners and sites',
  'users:read': 'list users',
  'users:manage': 'create users, change roles, reset passwords, unlock',
  'api-clients:manage': 'create, rotate and revoke API clients',
  'audit:read': 'read the audit trail and ledger proofs',
  'jobs:manage': 'see failed jobs and retry them',
  'outbox:read': 'read messages waiting in the outbox',
  'patients:read': "read patients' identity and records, within the partner's scope",
  'therapy:read': 'read therapy templates and compare their versions',
  'therapy:manage': 'draft, publish and retire therapy template versions',
  'cases:read': 'read the cases your partner takes part in: timeline, open steps, who holds them',
  'cases:open': 'open a case for a patient',
  'cases:work': 'work on cases: complete tasks, approve, sign, raise exceptions; your work queue',
  'scheduling:read': 'read the scheduling network, slot chains, bookings and the capacity calendar',
  'scheduling:book': 'search slot chains, hold, book, confirm, re-plan and cancel bookings for cases',
  'scheduling:capacity': "publish your own sites' capacity, confirm or decline slot requests, report delays",
  'scheduling:network': 'configure scheduling: opening hours, closures, routes, preferred site sets',
  'custody:read': 'read the chain of identity and the custody timeline of cases',
  'custody:handoff': 'record custody items and hand-offs, scan identifiers, sign hand-offs',
  'custody:labels': 'print and reprint bag and shipper labels',
  'custody:bedside': 'verify patient and product at the bedside before infusion',
  'dossier:read': 'download the inspection dossier of a case',
} as const;

export type Permission = keyof typeof PERMISSIONS;

const EVERY_STAFF: Permission[] = ['self:read', 'self:manage', 'network:read', 'therapy:read'];
/** Everyone who does a step of a case: they read the cases of their partner and work their queue. */
const CASE_WORK: Permission[] = ['cases:read', 'cases:work'];
/** Everyone who handles a physical unit: they read its chain of identity and record hand-offs. */
const CUSTODY_WORK: Permission[] = ['custody:read', 'custody:handoff'];

/**
 * Least privilege: a patient's identity is PHI, so only roles that care for or coordinate a patient
 * read it (and then only within their scope, see scope.ts); the supply chain (courier,
 * manufacturing, lab, QA) works with the chain of identity, never with names. Administrators manage
 * accounts, not patients.
 */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  program_coordinator: [
    ...EVERY_STAFF,
    'outbox:read',
    'patients:read',
    ...CASE_WORK,
    'cases:open',
    'therapy:manage',
    'scheduling:read',
    'scheduling:book',
    'scheduling:network',
    'custody:read',
    'dossier:read',
  ],
  case_manager: [
    ...EVERY_STAFF,
    'outbox:read',
    'patients:read',
    ...CASE_WORK,
    'cases:open',
    'scheduling:read',
    'scheduling:book',
    'custody:read',
    'dossier:read',
  ],
  centre_coordinator: [
    ...EVERY_STAFF,
    'patients:read',
    ...CASE_WORK,
    'cases:open',
    'scheduling:read',
    'scheduling:book',
    ...CUSTODY_WORK,
  ],
  collection_staff: [
    ...EVERY_STAFF,
    'patients:read',
    ...CASE_WORK,
    'scheduling:read',
    'scheduling:capacity',
    ...CUSTODY_WORK,
    'custody:labels',
  ],
  infusion_nurse: [
    ...EVERY_STAFF,
    'patients:read',
    ...CASE_WORK,
    'scheduling:read',
    ...CUSTODY_WORK,
    'custody:labels',
    'custody:bedside',
  ],
  courier: [...EVERY_STAFF, ...CASE_WORK, 'scheduling:read', ...CUSTODY_WORK],
  manufacturing: [
    ...EVERY_STAFF,
    ...CASE_WORK,
    'scheduling:read',
    'scheduling:capacity',
    ...CUSTODY_WORK,
    'custody:labels',
  ],
  lab: [...EVERY_STAFF, ...CASE_WORK, ...CUSTODY_WORK, 'custody:labels'],
  qa: [
    ...EVERY_STAFF,
    'audit:read',
    ...CASE_WORK,
    'scheduling:read',
    ...CUSTODY_WORK,
    'custody:labels',
    'dossier:read',
  ],
  msl: [...EVERY_STAFF],
  admin: [
    ...EVERY_STAFF,
    'partners:manage',
    'users:read',
    'users:manage',
    'api-clients:manage',
    'jobs:manage',
    'outbox:read',
    'therapy:manage',
    'scheduling:read',
    'scheduling:network',
    'scheduling:capacity',
  ],
  inspector: [
    ...EVERY_STAFF,
    'audit:read',
    'patients:read',
    'cases:read',
    'scheduling:read',
    'custody:read',
    'dossier:read',
  ],
  provider: ['self:read', 'self:manage', 'patients:read', ...CASE_WORK, 'custody:read'],
  patient: ['self:read', 'self:manage', 'patients:read'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}

/**
 * What a partner system may be granted through an OAuth client: a scope is named after the
 * permission it grants, and only some permissions can be delegated to a machine, each only to
 * some partner types (a courier's system never reads patients). Account administration is never
 * delegated.
 */
export const CLIENT_SCOPES = {
  'network:read': [
    'sponsor',
    'treatment_centre',
    'collection_centre',
    'manufacturing_site',
    'courier',
    'laboratory',
    'payer',
    'referring_practice',
  ],
  'patients:read': ['sponsor', 'treatment_centre'],
  'audit:read': ['sponsor'],
} as const satisfies Partial<Record<Permission, readonly PartnerType[]>>;

export type ClientScope = keyof typeof CLIENT_SCOPES;
export const CLIENT_SCOPE_NAMES = Object.keys(CLIENT_SCOPES) as ClientScope[];

export function isClientScope(scope: string): scope is ClientScope {
  return Object.hasOwn(CLIENT_SCOPES, scope);
}

/** Why each requested scope cannot be granted to a client of this partner type; empty when all can. */
export function clientScopeProblems(scopes: readonly string[], partnerType: PartnerType): string[] {
  const problems: string[] = [];
  if (scopes.length === 0) problems.push('at least one scope is required');
  for (const scope of new Set(scopes)) {
    if (!isClientScope(scope))
      problems.push(`${scope} is not a scope (known: ${CLIENT_SCOPE_NAMES.join(', ')})`);
    else if (!(CLIENT_SCOPES[scope] as readonly PartnerType[]).includes(partnerType))
      problems.push(`${scope} cannot be granted to a ${partnerType} partner`);
  }
  return problems;
}

/** A token's permissions are exactly its scopes (never more than its client holds). */
export function permissionsOfScopes(scopes: readonly string[]): Set<Permission> {
  return new Set(scopes.filter(isClientScope));
}
