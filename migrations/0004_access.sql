-- People, partner systems and what they may see: users and their roles, sessions, sign-in
-- challenges, second factors, OAuth clients and tokens, and the minimal patient and provider
-- records that partner scoping and PHI access logging apply to.
-- Secrets are never stored: passwords as argon2id hashes, every random token (session, challenge,
-- access token, client secret, recovery code) as the SHA-256 of a value with >= 80 bits of entropy.

create table patients (
  id uuid primary key default gen_random_uuid(),
  given_name text not null check (length(given_name) between 1 and 200),
  family_name text not null check (length(family_name) between 1 and 200),
  birth_date date not null,
  sex text not null check (sex in ('female', 'male', 'other', 'unknown')),
  -- The medical record number at the treatment centre: unique there, meaningless elsewhere.
  mrn text not null check (length(mrn) between 1 and 64),
  treatment_centre_partner_id uuid not null references partners (id),
  created_at timestamptz not null default now(),
  unique (treatment_centre_partner_id, mrn)
);

create table providers (
  id uuid primary key default gen_random_uuid(),
  display_name text not null check (length(display_name) between 1 and 200),
  partner_id uuid not null references partners (id),
  created_at timestamptz not null default now()
);
create index providers_partner_idx on providers (partner_id);

create table provider_patients (
  provider_id uuid not null references providers (id),
  patient_id uuid not null references patients (id),
  primary key (provider_id, patient_id)
);
create index provider_patients_patient_idx on provider_patients (patient_id);

create table users (
  id uuid primary key default gen_random_uuid(),
  partner_id uuid not null references partners (id),
  -- Stored lower-cased: one account per address whatever the case it is typed in.
  email text not null unique check (email = lower(email) and email ~ '^[^@\s]+@[^@\s]+$'),
  display_name text not null check (length(display_name) between 1 and 200),
  roles text[] not null check (cardinality(roles) >= 1 and roles <@ array[
    'program_coordinator', 'case_manager', 'centre_coordinator', 'collection_staff', 'infusion_nurse',
    'courier', 'manufacturing', 'lab', 'qa', 'msl', 'admin', 'inspector', 'provider', 'patient']::text[]),
  patient_id uuid references patients (id),
  provider_id uuid references providers (id),
  active boolean not null default true,
  -- Demo accounts have published credentials: they may sign in only where demo sign-in is allowed.
  demo boolean not null default false,
  password_hash text not null,
  password_changed_at timestamptz not null default now(),
  must_change_password boolean not null default false,
  failed_login_count integer not null default 0 check (failed_login_count >= 0),
  locked_until timestamptz,
  totp_secret text,
  totp_enabled_at timestamptz,
  -- The last RFC 6238 time step accepted: a code of that step or an earlier one is never accepted again.
  totp_last_step bigint,
  -- A secret offered at enrolment, waiting for its first code to be confirmed.
  totp_pending_secret text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((totp_secret is null) = (totp_enabled_at is null))
);
create index users_partner_idx on users (partner_id);

create table user_recovery_codes (
  user_id uuid not null references users (id),
  code_hash char(64) not null,
  created_at timestamptz not null default now(),
  used_at timestamptz,
  primary key (user_id, code_hash)
);

create table sessions (
  id uuid primary key default gen_random_uuid(),
  token_hash char(64) not null unique,
  user_id uuid not null references users (id),
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  idle_timeout_seconds integer not null check (idle_timeout_seconds > 0),
  absolute_expires_at timestamptz not null,
  ended_at timestamptz,
  ended_reason text check (ended_reason in ('logout', 'logout_everywhere', 'password_changed',
    'password_reset', 'deactivated')),
  ip text,
  user_agent text
);
create index sessions_user_idx on sessions (user_id) where ended_at is null;

-- A sign-in between the password and the session: a second factor, its enrolment or a password
-- change is still owed. Short-lived, single-use, tied to one user.
create table login_challenges (
  id uuid primary key default gen_random_uuid(),
  token_hash char(64) not null unique,
  user_id uuid not null references users (id),
  stage text not null check (stage in ('second_factor', 'second_factor_enrolment', 'password_change')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  consumed_at timestamptz
);
create index login_challenges_user_idx on login_challenges (user_id);

create table api_clients (
  id uuid primary key default gen_random_uuid(),
  partner_id uuid not null references partners (id),
  name text not null check (length(name) between 1 and 200),
  client_id text not null unique,
  secret_hash char(64) not null,
  scopes text[] not null check (cardinality(scopes) >= 1),
  created_at timestamptz not null default now(),
  created_by uuid references users (id),
  secret_rotated_at timestamptz,
  revoked_at timestamptz,
  revoked_reason text
);
create index api_clients_partner_idx on api_clients (partner_id);

create table access_tokens (
  id uuid primary key default gen_random_uuid(),
  token_hash char(64) not null unique,
  api_client_id uuid not null references api_clients (id),
  scopes text[] not null,
  issued_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz
);
create index access_tokens_client_idx on access_tokens (api_client_id) where revoked_at is null;
