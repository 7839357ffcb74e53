import type { ColumnType } from 'kysely';
import type { JsonObject } from '../platform/jobs/job-tables.ts';

/** An open step as the case list shows it (`cases.current_steps`). */
export type CurrentStep = {
  key: string;
  title: string;
  stage: string;
  openedAt: string;
  dueAt: string | null;
};

/** Tables of migrations/0005_therapy_and_cases.sql: templates, cases, their events and projections. */
export type TherapyCaseTables = {
  therapy_templates: {
    code: string;
    version: number;
    therapy_type: string;
    title: string;
    status: 'draft' | 'published' | 'retired';
    document: ColumnType<JsonObject, JsonObject, JsonObject>;
    record_hash: string;
    created_at: ColumnType<Date, Date | undefined, never>;
    created_by: string;
    published_at: Date | null;
    published_by: string | null;
    retired_at: Date | null;
    retired_by: string | null;
  };
  cases: {
    id: string;
    reference: string;
    patient_id: string;
    template_code: string;
    template_version: number;
    therapy_type: string;
    treatment_centre_partner_id: string;
    sponsor_partner_id: string | null;
    collection_centre_partner_id: string | null;
    manufacturing_site_partner_id: string | null;
    courier_partner_id: string | null;
    laboratory_partner_id: string | null;
    country: string;
    site_id: string;
    case_owner_user_id: string;
    status: string;
    last_seq: number;
    opened_at: Date;
    updated_at: Date;
    current_stages: string[];
    current_steps: ColumnType<{ steps: CurrentStep[] }, unknown, unknown>;
    waiting_for: string;
    next_due_at: Date | null;
  };
  case_events: {
    case_id: string;
    seq: number;
    type: string;
    at: Date;
    event: ColumnType<JsonObject, JsonObject, never>;
  };
  case_work_items: {
    case_id: string;
    step: string;
    attempt: number;
    task_key: string;
    task_title: string;
    step_title: string;
    role: string;
    partner_id: string;
    opened_at: Date;
    due_at: Date | null;
    claimed_by: string | null;
    claimed_at: Date | null;
  };
  case_timer_firings: {
    job_key: string;
    case_id: string;
    kind: 'due' | 'escalation';
    step: string;
    attempt: number;
    to_role: string;
    to_partner_id: string | null;
    due_at: Date;
    fired_at: Date;
  };
};
