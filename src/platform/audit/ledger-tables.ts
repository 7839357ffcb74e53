import type { Generated } from 'kysely';
import type { MerkleFrontier } from '../ledger/merkle-tree.ts';

export type LedgerTables = {
  ledger_entries: {
    id: string;
    stream: string;
    seq: number;
    recorded_at: Date;
    actor_type: 'user' | 'client' | 'system';
    actor_id: string | null;
    actor_partner_id: string | null;
    actor_role: string | null;
    action: string;
    record_type: string;
    record_id: string;
    before: string | null;
    after: string | null;
    reason: string | null;
    prev_hash: string;
    hash: string;
    position: Generated<number>;
  };
  ledger_leaves: { leaf_index: number; entry_id: string };
  ledger_keys: { key_id: string; public_key_pem: string; created_at: Generated<Date> };
  ledger_checkpoints: {
    tree_size: number;
    root_hash: string;
    issued_at: Date;
    origin: string;
    key_id: string;
    signature: string;
    frontier: MerkleFrontier;
  };
  phi_access_log: {
    id: Generated<number>;
    accessed_at: Generated<Date>;
    actor_type: string;
    actor_id: string | null;
    actor_partner_id: string | null;
    patient_id: string;
    action: string;
    route: string | null;
    request_id: string | null;
  };
};
