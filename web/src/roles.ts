import type { PartnerType } from './partner-types.ts';

interface RoleDefinition {
  label: string;
  /** The kinds of organisation whose users may hold the role. */
  partnerTypes: readonly PartnerType[];
}

/** The roles of the product, in the order the administration screens list them (mirrors the server). */
export const roleDefinitions = {
  program_coordinator: { label: 'Patient programme coordinator', partnerTypes: ['sponsor'] },
  case_manager: { label: 'Case manager (control tower)', partnerTypes: ['sponsor'] },
  centre_coordinator: { label: 'Treatment-centre coordinator', partnerTypes: ['treatment_centre'] },
  collection_staff: {
    label: 'Collection (apheresis) staff',
    partnerTypes: ['treatment_centre', 'collection_centre'],
  },
  infusion_nurse: { label: 'Infusion nurse', partnerTypes: ['treatment_centre'] },
  courier: { label: 'Courier', partnerTypes: ['courier'] },
  manufacturing: { label: 'Manufacturing operator', partnerTypes: ['manufacturing_site'] },
  lab: { label: 'Laboratory analyst', partnerTypes: ['laboratory', 'manufacturing_site'] },
  qa: { label: 'Quality assurance (release)', partnerTypes: ['manufacturing_site', 'sponsor'] },
  msl: { label: 'Medical science liaison', partnerTypes: ['sponsor'] },
  admin: { label: 'Administrator', partnerTypes: ['sponsor'] },
  inspector: { label: 'Quality / inspector (read-only)', partnerTypes: ['sponsor'] },
  provider: { label: 'Healthcare provider', partnerTypes: ['treatment_centre', 'referring_practice'] },
  patient: { label: 'Patient', partnerTypes: ['sponsor'] },
} as const satisfies Record<string, RoleDefinition>;

export type Role = keyof typeof roleDefinitions;

export const roleNames = Object.keys(roleDefinitions) as Role[];

function isRole(role: string): role is Role {
  return Object.hasOwn(roleDefinitions, role);
}

/** Human label of a role, e.g. `qa` → "Quality assurance (release)". Unknown roles are shown as they are. */
export function roleLabel(role: string): string {
  return isRole(role) ? roleDefinitions[role].label : role;
}

/** The roles a user of this kind of partner may hold. */
export function rolesForPartnerType(partnerType: string): Role[] {
  return roleNames.filter((role) =>
    (roleDefinitions[role].partnerTypes as readonly string[]).includes(partnerType),
  );
}
