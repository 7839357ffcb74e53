import type { PartnerType } from '../../partners/partner-tables.ts';

/**
 * The roles of the product brief. A user holds one or more, always within one partner; which
 * partner types may grant a role is part of the role, so a courier can never be made QA.
 */
export const ROLES = {
  program_coordinator: { label: 'Patient programme coordinator', partnerTypes: ['sponsor'], internal: true },
  case_manager: { label: 'Case manager (control tower)', partnerTypes: ['sponsor'], internal: true },
  centre_coordinator: {
    label: 'Treatment-centre coordinator',
    partnerTypes: ['treatment_centre'],
    internal: true,
  },
  collection_staff: {
    label: 'Collection (apheresis) staff',
    partnerTypes: ['treatment_centre', 'collection_centre'],
    internal: true,
  },
  infusion_nurse: { label: 'Infusion nurse', partnerTypes: ['treatment_centre'], internal: true },
  courier: { label: 'Courier', partnerTypes: ['courier'], internal: true },
  manufacturing: { label: 'Manufacturing operator', partnerTypes: ['manufacturing_site'], internal: true },
  lab: { label: 'Laboratory analyst', partnerTypes: ['laboratory', 'manufacturing_site'], internal: true },
  qa: {
    label: 'Quality assurance (release)',
    partnerTypes: ['manufacturing_site', 'sponsor'],
    internal: true,
  },
  msl: { label: 'Medical science liaison', partnerTypes: ['sponsor'], internal: true },
  admin: { label: 'Administrator', partnerTypes: ['sponsor'], internal: true },
  inspector: { label: 'Quality / inspector (read-only)', partnerTypes: ['sponsor'], internal: true },
  provider: {
    label: 'Healthcare provider',
    partnerTypes: ['treatment_centre', 'referring_practice'],
    internal: false,
  },
  patient: { label: 'Patient', partnerTypes: ['sponsor'], internal: false },
} as const satisfies Record<
  string,
  { label: string; partnerTypes: readonly PartnerType[]; internal: boolean }
>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** Internal staff must use a second factor; portal users (patients, providers) may. */
export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => ROLES[role].internal);
}

export function roleAllowedForPartner(role: Role, partnerType: PartnerType): boolean {
  return (ROLES[role].partnerTypes as readonly PartnerType[]).includes(partnerType);
}

/** Portal roles are a person's whole identity in Cellway: they never combine with staff roles. */
export const PORTAL_ROLES = ['patient', 'provider'] as const satisfies readonly Role[];

export function isRole(value: string): value is Role {
  return Object.hasOwn(ROLES, value);
}

export type RoleAssignment = {
  roles: readonly string[];
  partnerType: PartnerType;
  patientId?: string | null;
  providerId?: string | null;
};

/**
 * Why a set of roles cannot be given to a user of a partner type, as field errors; empty when it
 * can. A patient user is linked to their patient record and a provider user to their provider
 * record, and nothing else.
 */
export function roleAssignmentProblems(input: RoleAssignment): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  const roles = input.roles;
  if (roles.length === 0) problems.push({ field: 'roles', reason: 'must name at least one role' });
  if (new Set(roles).size !== roles.length)
    problems.push({ field: 'roles', reason: 'must not repeat a role' });
  for (const role of new Set(roles)) {
    if (!isRole(role)) {
      problems.push({ field: 'roles', reason: `${role} is not a role (known: ${ROLE_NAMES.join(', ')})` });
      continue;
    }
    if (!roleAllowedForPartner(role, input.partnerType))
      problems.push({
        field: 'roles',
        reason: `${role} cannot be held at a ${input.partnerType} partner (only at ${ROLES[role].partnerTypes.join(', ')})`,
      });
  }
  for (const portal of PORTAL_ROLES)
    if (roles.includes(portal) && roles.length > 1)
      problems.push({ field: 'roles', reason: `${portal} cannot be combined with other roles` });
  const isPatient = roles.includes('patient');
  const isProvider = roles.includes('provider');
  if (isPatient && !input.patientId)
    problems.push({
      field: 'patientId',
      reason: 'is required for a patient: the patient record this user is',
    });
  if (!isPatient && input.patientId)
    problems.push({ field: 'patientId', reason: 'is only for users with the patient role' });
  if (isProvider && !input.providerId)
    problems.push({
      field: 'providerId',
      reason: 'is required for a provider: the provider record this user is',
    });
  if (!isProvider && input.providerId)
    problems.push({ field: 'providerId', reason: 'is only for users with the provider role' });
  return problems;
}
