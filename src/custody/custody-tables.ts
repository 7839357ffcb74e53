import type { ColumnType } from 'kysely';
import type { JsonObject } from '../platform/jobs/job-tables.ts';

export const CUSTODY_ITEM_TYPES = ['apheresis_bag', 'sample', 'final_product_bag', 'shipper'] as const;
export type CustodyItemType = (typeof CUSTODY_ITEM_TYPES)[number];
export type CustodyItemStatus = 'in_custody' | 'in_transit' | 'infused' | 'discarded';
export type ReleaseStatus = 'not_applicable' | 'pending' | 'released';
export type HandoffStatus = 'draft' | 'completed' | 'completed_with_excursion';
export type ShipperQualification = 'qualified' | 'expired' | 'unknown';
export type ScanResult = 'matched' | 'chain_of_identity' | 'mismatch';

type Json = ColumnType<JsonObject, JsonObject | unknown, JsonObject | unknown>;

/** Kysely view of migrations/0008_custody.sql. */
export type CustodyTables = {
  coi_counters: { facility: string; year: number; last_sequence: number };
  chains_of_identity: {
    chain_of_identity: string;
    case_id: string;
    patient_id: string;
    facility: string;
    year: number;
    sequence: number;
    assigned_at: Date;
    assigned_by: string;
  };
  shippers: {
    code: string;
    description: string;
    owner_partner_id: string | null;
    qualified_until: string | null;
  };
  custody_items: {
    id: string;
    case_id: string;
    chain_of_identity: string;
    item_type: CustodyItemType;
    unit_code: string;
    din: string | null;
    lot: string | null;
    description: string;
    status: CustodyItemStatus;
    release_status: ReleaseStatus;
    expires_at: Date | null;
    parent_item_id: string | null;
    custodian_partner_id: string;
    custodian_user_id: string | null;
    site_id: string | null;
    label_prints: number;
    created_at: Date;
    updated_at: Date;
  };
  custody_handoffs: {
    id: string;
    case_id: string;
    chain_of_identity: string;
    step: string | null;
    status: HandoffStatus;
    version: number;
    record_hash: string;
    from_partner_id: string;
    from_user_id: string | null;
    to_partner_id: string;
    to_user_id: string | null;
    to_site_id: string | null;
    handed_over_at: Date;
    shipper_code: string | null;
    shipper_qualification: ShipperQualification | null;
    seal_intact: boolean | null;
    condition: Json | null;
    signature_requirement: Json;
    opened_by: string;
    opened_at: Date;
    completed_by: string | null;
    completed_at: Date | null;
    exception_id: string | null;
  };
  custody_handoff_items: { handoff_id: string; item_id: string };
  custody_scans: {
    id: string;
    handoff_id: string;
    raw_text: string;
    normalised: string;
    result: ScanResult;
    matched_item_id: string | null;
    scanned_by: string;
    scanned_at: Date;
  };
  custody_temperature_readings: { handoff_id: string; at: Date; celsius: ColumnType<number, number, number> };
  bedside_verifications: {
    id: string;
    case_id: string;
    item_id: string | null;
    result: 'pass' | 'stop';
    checks: Json;
    verified_by: string;
    verified_at: Date;
  };
  custody_deviations: {
    id: string;
    case_id: string;
    chain_of_identity: string | null;
    kind: 'bedside_mismatch' | 'temperature_excursion';
    description: string;
    source_type: string;
    source_id: string;
    raised_by: string;
    raised_at: Date;
  };
  custody_label_prints: {
    id: string;
    item_id: string;
    print_number: number;
    label_kind: 'bag' | 'shipper';
    reason: string | null;
    printed_by: string;
    printed_at: Date;
  };
};
