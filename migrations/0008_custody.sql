-- Chain of identity and custody: the identifier that binds one patient's therapy to every bag and
-- sample, the physical units themselves, their hand-offs (scans, condition, signatures), the
-- bedside check before infusion, deviations and label prints. Every change to these tables is
-- also a ledger entry on the stream `custody:<chain of identity>`, written in the same transaction.

-- One chain of identity per case (one therapy for one patient). The sequence is per facility and
-- year, allocated from coi_counters under its row lock, so two cases never share a number.
create table coi_counters (
  facility text not null,
  year integer not null,
  last_sequence integer not null check (last_sequence between 1 and 999999),
  primary key (facility, year)
);

create table chains_of_identity (
  chain_of_identity text primary key check (chain_of_identity ~ '^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$'),
  case_id uuid not null unique references cases (id),
  patient_id uuid not null references patients (id),
  facility text not null,
  year integer not null,
  sequence integer not null,
  assigned_at timestamptz not null,
  assigned_by text not null,
  unique (facility, year, sequence)
);

-- Shippers (dry shippers, 2–8 °C boxes) and their qualification: a hand-off names the shipper and
-- records whether its qualification was valid at the time.
create table shippers (
  code text primary key check (code ~ '^SHP-[0-9]{6}$'),
  description text not null,
  owner_partner_id uuid references partners (id),
  qualified_until date
);

create table custody_items (
  id uuid primary key,
  case_id uuid not null references cases (id),
  chain_of_identity text not null references chains_of_identity (chain_of_identity),
  item_type text not null check (item_type in ('apheresis_bag', 'sample', 'final_product_bag', 'shipper')),
  -- What is scanned to identify this unit: the DIN of a collection, a unit code for the others.
  unit_code text not null unique,
  din text unique,
  lot text,
  description text not null,
  status text not null check (status in ('in_custody', 'in_transit', 'infused', 'discarded')),
  release_status text not null check (release_status in ('not_applicable', 'pending', 'released')),
  expires_at timestamptz,
  parent_item_id uuid references custody_items (id),
  custodian_partner_id uuid not null references partners (id),
  custodian_user_id uuid references users (id),
  site_id uuid references sites (id),
  label_prints integer not null default 0,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (item_type <> 'apheresis_bag' or din is not null)
);
create index custody_items_case_idx on custody_items (case_id, created_at);

create table custody_handoffs (
  id uuid primary key,
  case_id uuid not null references cases (id),
  chain_of_identity text not null references chains_of_identity (chain_of_identity),
  step text,
  status text not null check (status in ('draft', 'completed', 'completed_with_excursion')),
  -- Every edit bumps the version; a signature names the version and the hash it signed.
  version integer not null check (version >= 1),
  record_hash text not null check (record_hash ~ '^[0-9a-f]{64}$'),
  from_partner_id uuid not null references partners (id),
  from_user_id uuid references users (id),
  to_partner_id uuid not null references partners (id),
  to_user_id uuid references users (id),
  to_site_id uuid references sites (id),
  handed_over_at timestamptz not null,
  shipper_code text,
  shipper_qualification text check (shipper_qualification in ('qualified', 'expired', 'unknown')),
  seal_intact boolean,
  condition jsonb,
  signature_requirement jsonb not null,
  opened_by text not null,
  opened_at timestamptz not null,
  completed_by text,
  completed_at timestamptz,
  exception_id text
);
create index custody_handoffs_case_idx on custody_handoffs (case_id, opened_at);

create table custody_handoff_items (
  handoff_id uuid not null references custody_handoffs (id),
  item_id uuid not null references custody_items (id),
  primary key (handoff_id, item_id)
);

create table custody_scans (
  id uuid primary key,
  handoff_id uuid not null references custody_handoffs (id),
  raw_text text not null,
  normalised text not null,
  result text not null check (result in ('matched', 'chain_of_identity', 'mismatch')),
  matched_item_id uuid references custody_items (id),
  scanned_by text not null,
  scanned_at timestamptz not null
);
create index custody_scans_handoff_idx on custody_scans (handoff_id, scanned_at);

create table custody_temperature_readings (
  handoff_id uuid not null references custody_handoffs (id),
  at timestamptz not null,
  celsius numeric(6, 2) not null
);
create index custody_temperature_readings_idx on custody_temperature_readings (handoff_id, at);

create table bedside_verifications (
  id uuid primary key,
  case_id uuid not null references cases (id),
  item_id uuid references custody_items (id),
  result text not null check (result in ('pass', 'stop')),
  checks jsonb not null,
  verified_by text not null,
  verified_at timestamptz not null
);
create index bedside_verifications_case_idx on bedside_verifications (case_id, verified_at);

create table custody_deviations (
  id uuid primary key,
  case_id uuid not null references cases (id),
  chain_of_identity text,
  kind text not null check (kind in ('bedside_mismatch', 'temperature_excursion')),
  description text not null,
  source_type text not null,
  source_id uuid not null,
  raised_by text not null,
  raised_at timestamptz not null
);
create index custody_deviations_case_idx on custody_deviations (case_id, raised_at);

create table custody_label_prints (
  id uuid primary key,
  item_id uuid not null references custody_items (id),
  print_number integer not null check (print_number >= 1),
  label_kind text not null check (label_kind in ('bag', 'shipper')),
  reason text,
  printed_by text not null,
  printed_at timestamptz not null,
  unique (item_id, print_number),
  check (print_number = 1 or reason is not null)
);
