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
  hash char(64) not null,
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
  signature text not null,
  -- The Merkle frontier (roots of the perfect subtrees) at this size, so the next checkpoint folds in
  -- only the new entries. Not evidence: verification recomputes the tree from the entries.
  frontier jsonb not null
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

-- Appends one entry in a single round trip. The stream's chain tip is read after a transaction-
-- scoped lock on the stream (a volatile SQL function takes a new snapshot per statement, so the
-- second statement sees the previous lock holder's commit), the payload is encoded exactly as
-- entry-hash.ts does (a JSON array, no whitespace) and hashed as an RFC 9162 leaf. The
-- application recomputes the hash from the returned fields and refuses the transaction if the
-- two ever disagree. Plain SQL rather than PL/pgSQL: it runs on every regulated write.
create function ledger_append(
  p_id uuid, p_stream text, p_recorded_at text, p_actor_type text, p_actor_id text,
  p_actor_partner_id text, p_actor_role text, p_action text, p_record_type text, p_record_id text,
  p_before text, p_after text, p_reason text
) returns table (seq bigint, prev_hash text, hash text) language sql volatile as $$
  select pg_advisory_xact_lock(hashtextextended(p_stream, 0));
  with tip as (
    select coalesce(max(t.seq), 0) + 1 as seq,
           coalesce(max(t.hash), repeat('0', 64)) as prev
      from (select e.seq, e.hash::text as hash from ledger_entries e
             where e.stream = p_stream order by e.seq desc limit 1) t
  ), sealed as (
    select tip.seq, tip.prev,
      encode(sha256('\x00'::bytea || convert_to('[' || concat_ws(',',
        '"cellway-ledger-v1"',
        to_json(tip.prev)::text,
        to_json(p_stream)::text,
        tip.seq::text,
        to_json(p_id::text)::text,
        to_json(p_recorded_at)::text,
        to_json(p_actor_type)::text,
        coalesce(to_json(p_actor_id)::text, 'null'),
        coalesce(to_json(p_actor_partner_id)::text, 'null'),
        coalesce(to_json(p_actor_role)::text, 'null'),
        to_json(p_action)::text,
        to_json(p_record_type)::text,
        to_json(p_record_id)::text,
        coalesce(to_json(p_before)::text, 'null'),
        coalesce(to_json(p_after)::text, 'null'),
        coalesce(to_json(p_reason)::text, 'null')) || ']', 'UTF8')), 'hex') as hash
      from tip
  )
  insert into ledger_entries (id, stream, seq, recorded_at, actor_type, actor_id, actor_partner_id,
      actor_role, action, record_type, record_id, before, after, reason, prev_hash, hash)
    select p_id, p_stream, sealed.seq, p_recorded_at::timestamptz, p_actor_type, p_actor_id,
      p_actor_partner_id, p_actor_role, p_action, p_record_type, p_record_id, p_before, p_after,
      p_reason, sealed.prev, sealed.hash
      from sealed
  returning ledger_entries.seq, ledger_entries.prev_hash::text, ledger_entries.hash::text;
$$;
