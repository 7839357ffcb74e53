-- Durable jobs and timers: work that must happen after a commit, or at a time, whatever restarts in
-- between. Several server processes share the queue: a job is claimed with FOR UPDATE SKIP LOCKED
-- under a lease (locked_until); a crashed process's job is taken over when its lease expires.
create table jobs (
  id uuid primary key,
  kind text not null check (length(kind) between 1 and 200),
  payload jsonb not null default '{}'::jsonb,
  -- A timer is a job whose run_at lies in the future.
  run_at timestamptz not null default now(),
  status text not null default 'queued' check (status in ('queued', 'running', 'done', 'dead')),
  -- Incremented when claimed, so (locked_by, attempts) identifies one attempt: a fencing token.
  attempts integer not null default 0 check (attempts >= 0),
  max_attempts integer not null default 8 check (max_attempts between 1 and 100),
  -- The process that claimed the job last (kept after the job is done: who did the work).
  locked_by text,
  locked_until timestamptz,
  last_error text,
  -- Set for work that must exist once, e.g. the timer "escalate step X"; a second enqueue is a no-op.
  dedupe_key text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  done_at timestamptz,
  check (status <> 'running' or (locked_by is not null and locked_until is not null)),
  check ((status = 'done') = (done_at is not null))
);
create unique index jobs_dedupe_key_idx on jobs (dedupe_key) where dedupe_key is not null;
-- The claim reads only these two partial indexes, so finished jobs never slow it down.
create index jobs_due_idx on jobs (run_at) where status = 'queued';
create index jobs_lease_idx on jobs (locked_until) where status = 'running';
create index jobs_status_idx on jobs (status, updated_at desc);

-- The transactional outbox: a message is written in the business transaction that causes it and
-- delivered after commit by a `deliver-outbox-message` job, so a message exists iff its cause does.
create table outbox_messages (
  id uuid primary key,
  channel text not null check (channel in ('email', 'webhook', 'in_app')),
  recipient text not null check (length(recipient) between 1 and 500),
  subject text,
  body text not null,
  payload jsonb not null default '{}'::jsonb,
  -- The caller's key for "this message": enqueueing the same key twice writes one message.
  idempotency_key text not null unique check (length(idempotency_key) between 1 and 300),
  status text not null default 'pending' check (status in ('pending', 'held', 'sent', 'failed')),
  -- Why a message is held rather than sent (no SMTP server configured, channel not available yet).
  held_reason text,
  attempts integer not null default 0 check (attempts >= 0),
  last_error text,
  created_at timestamptz not null default now(),
  sent_at timestamptz,
  related_record_type text,
  related_record_id text,
  check ((status = 'sent') = (sent_at is not null)),
  check ((status = 'held') = (held_reason is not null))
);
create index outbox_messages_status_idx on outbox_messages (status, created_at desc);
create index outbox_messages_created_idx on outbox_messages (created_at desc);
create index outbox_messages_related_idx on outbox_messages (related_record_type, related_record_id)
  where related_record_id is not null;
