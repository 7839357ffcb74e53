import type { PartnerType } from '../../partners/partner-tables.ts';
import { permissionsOf } from '../access/permissions.ts';
import type { Role } from '../access/roles.ts';
import type { UserWithPartner } from './user-store.ts';

/** The signed-in person as the web app sees them (`GET /api/auth/me`). */
export type Me = {
  id: string;
  email: string;
  displayName: string;
  partner: { id: string; name: string; type: PartnerType };
  roles: Role[];
  permissions: string[];
  secondFactorEnabled: boolean;
  patientId: string | null;
  providerId: string | null;
};

export function meOf(user: UserWithPartner): Me {
  return {
    id: user.id,
    email: user.email,
    displayName: user.display_name,
    partner: { id: user.partner_id, name: user.partner_name, type: user.partner_type },
    roles: user.roles,
    permissions: [...permissionsOf(user.roles)].sort(),
    secondFactorEnabled: user.totp_enabled_at !== null,
    patientId: user.patient_id,
    providerId: user.provider_id,
  };
}
