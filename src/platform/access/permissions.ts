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
} as const;

export type Permission = keyof typeof PERMISSIONS;

const EVERY_STAFF: Permission[] = ['self:read', 'self:manage', 'network:read'];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  program_coordinator: [...EVERY_STAFF, 'outbox:read'],
  case_manager: [...EVERY_STAFF, 'outbox:read'],
  centre_coordinator: [...EVERY_STAFF],
  collection_staff: [...EVERY_STAFF],
  infusion_nurse: [...EVERY_STAFF],
  courier: [...EVERY_STAFF],
  manufacturing: [...EVERY_STAFF],
  lab: [...EVERY_STAFF],
  qa: [...EVERY_STAFF, 'audit:read'],
  msl: [...EVERY_STAFF],
  admin: [...EVERY_STAFF, 'partners:manage', 'users:read', 'users:manage', 'api-clients:manage', 'jobs:manage', 'outbox:read'],
  inspector: [...EVERY_STAFF, 'audit:read'],
  provider: ['self:read', 'self:manage'],
  patient: ['self:read', 'self:manage'],
};

export function permissionsOf(roles: readonly Role[]): Set<Permission> {
  return new Set(roles.flatMap((role) => ROLE_PERMISSIONS[role]));
}
