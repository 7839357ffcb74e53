import type { ColumnType } from 'kysely';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import type { SchedulingSiteKind } from './scheduling-model.ts';

export type BookingStatus = 'held' | 'requested' | 'booked' | 'cancelled' | 'expired' | 'declined';
export const LIVE_BOOKING_STATUSES = ['held', 'requested', 'booked'] as const;

/** JSON columns are written through jsonbValue and read back as plain values. */
type Json<T> = ColumnType<T, unknown, unknown>;

/** Tables of migrations/0006_scheduling.sql. */
export type SchedulingTables = {
  scheduling_sites: {
    site_id: string;
    kind: SchedulingSiteKind;
    opening_hours: Json<unknown[]>;
    closures: Json<unknown[]>;
  };
  scheduling_work_types: { key: string; title: string; duration_minutes: number; site_kinds: string[] };
  scheduling_routes: {
    from_site_id: string;
    to_site_id: string;
    leg: 'collection_to_plant' | 'plant_to_infusion';
    transport_hours: number;
  };
  scheduling_preferred_site_sets: {
    treatment_centre_id: string;
    therapy_code: string;
    rank: number;
    collection_site_ids: string[];
    plant_ids: string[];
    infusion_site_ids: string[];
  };
  scheduling_capacity: {
    site_id: string;
    work_type: string;
    day: string;
    capacity: number;
    published: ColumnType<boolean, boolean | undefined, boolean>;
    booked: ColumnType<number, number | undefined, number>;
    held: ColumnType<number, number | undefined, number>;
    changed_xid: ColumnType<string, never, never>;
  };
  scheduling_bookings: {
    id: string;
    case_id: string | null;
    case_ref: string;
    treatment_centre_id: string;
    centre_partner_id: string;
    therapy_code: string;
    status: BookingStatus;
    steps: Json<JsonObject[]>;
    hold_expires_at: Date | null;
    created_by: string;
    created_at: Date;
    updated_at: Date;
    revision: ColumnType<number, number | undefined, number>;
    status_reason: string | null;
  };
  scheduling_booking_units: {
    booking_id: string;
    step_key: string;
    site_id: string;
    work_type: string;
    day: string;
    state: 'held' | 'booked' | 'released';
  };
  scheduling_slot_requests: {
    id: string;
    booking_id: string;
    step_key: string;
    site_id: string;
    partner_id: string;
    status: 'pending' | 'confirmed' | 'declined' | 'withdrawn';
    created_at: Date;
    decided_at: Date | null;
    decided_by: string | null;
    reason: string | null;
  };
  scheduling_proposals: {
    id: string;
    booking_id: string;
    booking_revision: number;
    kind: 'delay';
    step_key: string;
    delay_hours: number;
    reason: string;
    proposal: Json<JsonObject>;
    status: 'pending' | 'accepted' | 'superseded';
    created_by: string;
    created_at: Date;
  };
  scheduling_patient_appointments: {
    id: string;
    case_id: string;
    label: string;
    starts_at: Date;
    ends_at: Date;
    created_by: string;
    created_at: Date;
  };
  scheduling_idempotency: {
    key: string;
    actor_id: string;
    operation: string;
    request_hash: string;
    status: number;
    response: Json<JsonObject>;
    created_at: ColumnType<Date, Date | undefined, never>;
  };
};
