import type { Generated } from 'kysely';

/** Kysely view of migrations/0007_signatures.sql. */
export type SignatureTables = {
  signatures: {
    id: string;
    record_type: string;
    record_id: string;
    record_hash: string;
    meaning: string;
    signer_user_id: string;
    signer_name: string;
    signer_role: string;
    signed_at: Date;
    site_time_zone: string;
    signed_at_local: string;
    manifestation: string;
    reason: string | null;
    ledger_entry_id: string;
  };
  signature_signer_states: {
    user_id: string;
    failed_count: Generated<number>;
    window_started_at: Date | null;
    locked_until: Date | null;
    totp_last_step: number | null;
    updated_at: Date;
  };
};
