import type { PartnerType } from '../../partners/partner-tables.ts';
import type { Permission } from './permissions.ts';
import type { Role } from './roles.ts';

/**
 * Who is acting: a signed-in person, a partner system holding an OAuth token, or Cellway itself
 * (timers, seeds). Every ledger entry and every scoped query starts from one of these.
 */
export type Actor =
  | {
      kind: 'user';
      id: string;
      displayName: string;
      partnerId: string;
      partnerType: PartnerType;
      roles: Role[];
      permissions: ReadonlySet<Permission>;
      /** Set for patient portal users: the patient record they are. */
      patientId?: string | null;
      /** Set for provider portal users: their provider record. */
      providerId?: string | null;
      sessionId?: string;
    }
  | {
      kind: 'client';
      id: string;
      displayName: string;
      partnerId: string;
      partnerType: PartnerType;
      roles: Role[];
      permissions: ReadonlySet<Permission>;
      scopes: string[];
    }
  | { kind: 'system'; id: string; displayName: string };

export const systemActor = (job: string): Actor => ({
  kind: 'system',
  id: job,
  displayName: `Cellway (${job})`,
});
