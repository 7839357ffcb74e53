-- The ledger: the evidence behind every regulated change. Entries are chained per stream (hash of
-- the previous entry of the same stream), folded into a Merkle tree at checkpoints, and never
-- changed: the database itself refuses UPDATE, DELETE and TRUNCATE on these tables.
create table ledger_entries (
  id uuid primary key,
  stream text not null check (length(stream) between 1 and 200),
  seq bigint not null check (seq >= 1),
  recorded_at timestamptz not null,
  actor_type text not null check (actor_type in ('user', 'client', 'system')),
  actor_id text,
  actor_partner_id text,
  actor_role text,
  action text not null,
  record_type text not null,
  record_id text not null,
  before text,
  after text,
  reason text,
  prev_hash char(64) not null,
  hash char(64) not null unique,
  -- Insertion order, for reading; not part of the evidence (leaf order is fixed at checkpoints).
  position bigint generated always as identity unique,
  unique (stream, seq)
);
create index ledger_entries_record_idx on ledger_entries (record_type, record_id, recorded_at);
create index ledger_entries_actor_idx on ledger_entries (actor_id, recorded_at);
create index ledger_entries_time_idx on ledger_entries (recorded_at);

-- The global order in which entries were folded into the Merkle tree (gap-free, from 0).
create table ledger_leaves (
  leaf_index bigint primary key check (leaf_index >= 0),
  entry_id uuid not null unique references ledger_entries (id)
);

create table ledger_keys (
  key_id text primary key,
  public_key_pem text not null,
  created_at timestamptz not null default now()
);

create table ledger_checkpoints (
  tree_size bigint primary key check (tree_size >= 1),
  root_hash char(64) not null,
  issued_at timestamptz not null,
  origin text not null,
  key_id text not null references ledger_keys (key_id),
  signature text not null
);

-- Who looked at which patient's data, when, through which route: HIPAA access accounting.
create table phi_access_log (
  id bigint generated always as identity primary key,
  accessed_at timestamptz not null default now(),
  actor_type text not null,
  actor_id text,
  actor_partner_id text,
  patient_id text not null,
  action text not null,
  route text,
  request_id text
);
create index phi_access_log_patient_idx on phi_access_log (patient_id, accessed_at);

create function ledger_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'the ledger is append-only: % on % is refused', tg_op, tg_table_name
    using errcode = 'P0001';
end
$$;

create trigger ledger_entries_append_only before update or delete on ledger_entries
  for each row execute function ledger_refuse_change();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
  for each statement execute function ledger_refuse_change();
create trigger ledger_leaves_append_only before update or delete on ledger_leaves
  for each row execute function ledger_refuse_change();
create trigger ledger_leaves_no_truncate before truncate on ledger_leaves
  for each statement execute function ledger_refuse_change();
create trigger ledger_checkpoints_append_only before update or delete on ledger_checkpoints
  for each row execute function ledger_refuse_change();
create trigger ledger_checkpoints_no_truncate before truncate on ledger_checkpoints
  for each statement execute function ledger_refuse_change();
create trigger ledger_keys_append_only before update or delete on ledger_keys
  for each row execute function ledger_refuse_change();
create trigger phi_access_log_append_only before update or delete on phi_access_log
  for each row execute function ledger_refuse_change();
create trigger phi_access_log_no_truncate before truncate on phi_access_log
  for each statement execute function ledger_refuse_change();
