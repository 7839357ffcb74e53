import type { PartnerType } from '../../partners/partner-tables.ts';

/**
 * The roles of the product brief. A user holds one or more, always within one partner; which
 * partner types may grant a role is part of the role, so a courier can never be made QA.
 */
export const ROLES = {
  program_coordinator: { label: 'Patient programme coordinator', partnerTypes: ['sponsor'], internal: true },
  case_manager: { label: 'Case manager (control tower)', partnerTypes: ['sponsor'], internal: true },
  centre_coordinator: { label: 'Treatment-centre coordinator', partnerTypes: ['treatment_centre'], internal: true },
  collection_staff: {
    label: 'Collection (apheresis) staff',
    partnerTypes: ['treatment_centre', 'collection_centre'],
    internal: true,
  },
  infusion_nurse: { label: 'Infusion nurse', partnerTypes: ['treatment_centre'], internal: true },
  courier: { label: 'Courier', partnerTypes: ['courier'], internal: true },
  manufacturing: { label: 'Manufacturing operator', partnerTypes: ['manufacturing_site'], internal: true },
  lab: { label: 'Laboratory analyst', partnerTypes: ['laboratory', 'manufacturing_site'], internal: true },
  qa: { label: 'Quality assurance (release)', partnerTypes: ['manufacturing_site', 'sponsor'], internal: true },
  msl: { label: 'Medical science liaison', partnerTypes: ['sponsor'], internal: true },
  admin: { label: 'Administrator', partnerTypes: ['sponsor'], internal: true },
  inspector: { label: 'Quality / inspector (read-only)', partnerTypes: ['sponsor'], internal: true },
  provider: { label: 'Healthcare provider', partnerTypes: ['treatment_centre', 'referring_practice'], internal: false },
  patient: { label: 'Patient', partnerTypes: ['sponsor'], internal: false },
} as const satisfies Record<string, { label: string; partnerTypes: readonly PartnerType[]; internal: boolean }>;

export type Role = keyof typeof ROLES;
export const ROLE_NAMES = Object.keys(ROLES) as Role[];

/** Internal staff must use a second factor; portal users (patients, providers) may. */
export function requiresSecondFactor(roles: readonly Role[]): boolean {
  return roles.some((role) => ROLES[role].internal);
}

export function roleAllowedForPartner(role: Role, partnerType: PartnerType): boolean {
  return (ROLES[role].partnerTypes as readonly PartnerType[]).includes(partnerType);
}
