-- Therapy templates and the cases that run through them.
-- A case's events are the record (case-state.ts folds them); `cases` and `case_work_items` are
-- projections rebuilt from the events in the same transaction that appends them, together with
-- the ledger entry of every transition (stream `case:<id>`).

create table therapy_templates (
  code text not null check (code ~ '^[a-z0-9][a-z0-9-]*$'),
  version integer not null check (version >= 1),
  therapy_type text not null,
  title text not null check (length(title) between 1 and 500),
  status text not null check (status in ('draft', 'published', 'retired')),
  -- The validated document (defaults filled in), exactly what a running case is pinned to.
  document jsonb not null,
  record_hash char(64) not null,
  created_at timestamptz not null default now(),
  created_by text not null,
  published_at timestamptz,
  published_by text,
  retired_at timestamptz,
  retired_by text,
  primary key (code, version),
  check ((status = 'draft') = (published_at is null)),
  check ((status = 'retired') = (retired_at is not null))
);

create table cases (
  id uuid primary key,
  -- What people without a right to the patient's identity see instead of a name.
  reference text not null unique,
  patient_id uuid not null references patients (id),
  template_code text not null,
  template_version integer not null,
  therapy_type text not null,
  treatment_centre_partner_id uuid not null references partners (id),
  sponsor_partner_id uuid references partners (id),
  collection_centre_partner_id uuid references partners (id),
  manufacturing_site_partner_id uuid references partners (id),
  courier_partner_id uuid references partners (id),
  laboratory_partner_id uuid references partners (id),
  country char(2) not null,
  site_id text not null,
  case_owner_user_id uuid not null references users (id),
  status text not null check (status in ('active', 'on_hold', 'quarantined', 'closed', 'cancelled', 'completed')),
  last_seq integer not null check (last_seq >= 1),
  opened_at timestamptz not null,
  updated_at timestamptz not null,
  current_stages text[] not null default '{}',
  -- The open steps and a sentence saying what the case waits for, so the case list folds no events.
  current_steps jsonb not null default '{"steps": []}'::jsonb,
  waiting_for text not null default '',
  -- The earliest due time among the open steps: the case list's "overdue" filter reads only this.
  next_due_at timestamptz,
  foreign key (template_code, template_version) references therapy_templates (code, version)
);
create index cases_treatment_centre_idx on cases (treatment_centre_partner_id);
create index cases_collection_centre_idx on cases (collection_centre_partner_id);
create index cases_manufacturing_site_idx on cases (manufacturing_site_partner_id);
create index cases_courier_idx on cases (courier_partner_id);
create index cases_laboratory_idx on cases (laboratory_partner_id);
create index cases_opened_idx on cases (opened_at desc);

-- Append-only: (case_id, seq) makes a concurrent or repeated append fail instead of forking the case.
create table case_events (
  case_id uuid not null references cases (id),
  seq integer not null check (seq >= 1),
  type text not null,
  at timestamptz not null,
  event jsonb not null,
  primary key (case_id, seq)
);

-- Work waiting for someone: open tasks, approvals, signatures, steps ready to complete and fired
-- escalations, each for one partner and role ("my work" reads one index range).
create table case_work_items (
  case_id uuid not null references cases (id),
  step text not null,
  attempt integer not null,
  task_key text not null,
  task_title text not null,
  step_title text not null,
  role text not null,
  partner_id uuid not null references partners (id),
  opened_at timestamptz not null,
  due_at timestamptz,
  claimed_by uuid references users (id),
  claimed_at timestamptz,
  primary key (case_id, step, attempt, task_key)
);
create index case_work_items_queue_idx on case_work_items (partner_id, role, due_at, opened_at);

-- Timers that fired (a step overdue, an escalation): the job's dedupe key is the primary key, so
-- a timer fires once whatever runs it again.
create table case_timer_firings (
  job_key text primary key,
  case_id uuid not null references cases (id),
  kind text not null check (kind in ('due', 'escalation')),
  step text not null,
  attempt integer not null,
  to_role text not null,
  to_partner_id uuid references partners (id),
  due_at timestamptz not null,
  fired_at timestamptz not null
);
create index case_timer_firings_case_idx on case_timer_firings (case_id, fired_at);
