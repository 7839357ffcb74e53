-- The organisations of a therapy network and their physical sites.
create table partners (
  id uuid primary key default gen_random_uuid(),
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  name text not null check (length(name) between 1 and 200),
  type text not null check (type in (
    'sponsor', 'treatment_centre', 'collection_centre', 'manufacturing_site',
    'courier', 'laboratory', 'payer', 'referring_practice')),
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now()
);

create table sites (
  id uuid primary key default gen_random_uuid(),
  partner_id uuid not null references partners (id),
  code text not null unique check (code ~ '^[A-Z0-9][A-Z0-9-]{1,39}$'),
  name text not null check (length(name) between 1 and 200),
  kind text not null check (kind in (
    'treatment_centre', 'collection_centre', 'manufacturing_site', 'infusion_site',
    'depot', 'laboratory', 'office')),
  time_zone text not null,
  city text not null,
  country char(2) not null check (country ~ '^[A-Z]{2}$'),
  created_at timestamptz not null default now()
);
create index sites_partner_idx on sites (partner_id);

-- Which seeds have completed, so a re-run after an interruption knows to finish the job.
create table seed_runs (
  name text primary key,
  completed_at timestamptz not null default now()
);
