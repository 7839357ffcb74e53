-- 21 CFR Part 11 electronic signatures: each row binds one person, one meaning and one exact record
-- version (the SHA-256 of its canonical JSON) to a ledger entry. Rows are never changed or removed:
-- an edited record is detected by its hash no longer matching, never by rewriting the signature.

create table signatures (
  id uuid primary key,
  record_type text not null check (length(record_type) between 1 and 64),
  record_id text not null check (length(record_id) between 1 and 200),
  record_hash text not null check (record_hash ~ '^[0-9a-f]{64}$'),
  meaning text not null check (length(meaning) between 1 and 200),
  signer_user_id uuid not null references users (id),
  -- The printed name and role as they were at signing: renaming an account later must not change
  -- what a signed record shows.
  signer_name text not null,
  signer_role text not null,
  signed_at timestamptz not null,
  site_time_zone text not null,
  signed_at_local text not null,
  manifestation text not null,
  reason text,
  ledger_entry_id uuid not null,
  -- One person gives one meaning once per record version; a changed record needs signing afresh.
  unique (record_type, record_id, record_hash, signer_user_id, meaning)
);
create index signatures_record_idx on signatures (record_type, record_id, signed_at);
create index signatures_signer_idx on signatures (signer_user_id, signed_at);

create function signatures_are_permanent() returns trigger language plpgsql as $$
begin
  raise exception 'signatures are permanent: % on signature % refused', tg_op, old.id;
end;
$$;
create trigger signatures_permanent before update or delete on signatures
  for each row execute function signatures_are_permanent();

-- Per signer: failed signing attempts within the current window, the signing lock (separate from
-- the sign-in lock on users) and the last one-time code step used for a signature.
create table signature_signer_states (
  user_id uuid primary key references users (id),
  failed_count integer not null default 0 check (failed_count >= 0),
  window_started_at timestamptz,
  locked_until timestamptz,
  totp_last_step integer,
  updated_at timestamptz not null default now()
);
