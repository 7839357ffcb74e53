-- Scheduling: the network's calendars, capacity counters, routes and preferred site sets, and the
-- bookings that take capacity. Sites themselves live in `sites`; scheduling adds its attributes in
-- tables keyed by site id.

create table scheduling_sites (
  site_id uuid primary key references sites (id),
  -- Overrides sites.kind for scheduling (a treatment centre's unit may act as its infusion site).
  kind text not null check (kind in (
    'treatment_centre', 'collection_centre', 'manufacturing_site', 'infusion_site', 'depot')),
  -- [{weekday, opens, closes}]; a weekday without hours is closed.
  opening_hours jsonb not null default '[]'::jsonb,
  -- [{from, to, reason}]
  closures jsonb not null default '[]'::jsonb
);

create table scheduling_work_types (
  key text primary key,
  title text not null,
  duration_minutes integer not null check (duration_minutes > 0),
  site_kinds text[] not null
);

create table scheduling_routes (
  from_site_id uuid not null references sites (id),
  to_site_id uuid not null references sites (id),
  leg text not null check (leg in ('collection_to_plant', 'plant_to_infusion')),
  transport_hours double precision not null check (transport_hours >= 0),
  primary key (from_site_id, to_site_id)
);

create table scheduling_preferred_site_sets (
  treatment_centre_id uuid not null,
  therapy_code text not null,
  rank integer not null check (rank >= 1),
  collection_site_ids uuid[] not null,
  plant_ids uuid[] not null,
  infusion_site_ids uuid[] not null,
  primary key (treatment_centre_id, therapy_code, rank)
);

-- The authoritative counters: one row per site × work type × day. The check makes overbooking
-- impossible whatever a writer does; writers also take units with a conditional update so a full
-- day answers "no" instead of raising. changed_xid lets a process's in-memory copy read only the
-- rows changed since its last refresh (see capacity-cache.ts).
create table scheduling_capacity (
  site_id uuid not null references sites (id),
  work_type text not null references scheduling_work_types (key),
  day date not null,
  capacity integer not null check (capacity >= 0),
  published boolean not null default true,
  booked integer not null default 0 check (booked >= 0),
  held integer not null default 0 check (held >= 0),
  changed_xid xid8 not null default pg_current_xact_id(),
  primary key (site_id, work_type, day),
  check (booked + held <= capacity)
);
create index scheduling_capacity_changed_idx on scheduling_capacity (changed_xid);

create function scheduling_capacity_stamp() returns trigger language plpgsql as $$
begin
  new.changed_xid := pg_current_xact_id();
  return new;
end $$;
create trigger scheduling_capacity_stamp before update on scheduling_capacity
  for each row execute function scheduling_capacity_stamp();

-- Changes the counters of a chain's units in one round trip, in the order given (callers sort by
-- site, work type, day, so two chains never wait for each other in a cycle). Operations:
-- hold (held + 1), book (booked + 1 when published, else held + 1), book_published (booked + 1,
-- published only), release_held, release_booked, convert (held - 1, booked + 1). An increase only
-- happens while booked + held < capacity; the first unit that cannot be taken stops the loop and is
-- reported as 'full' or 'missing' (the caller then rolls the whole transaction back).
create function scheduling_apply_units(
  p_site uuid[], p_work text[], p_day date[], p_op text[]
) returns table (i integer, outcome text, published boolean) language plpgsql as $$
declare
  v_pub boolean;
  v_exists boolean;
begin
  for n in 1 .. coalesce(array_length(p_op, 1), 0) loop
    i := n;
    if p_op[n] in ('hold', 'book', 'book_published') then
      update scheduling_capacity c
        set held = c.held + case when p_op[n] = 'hold' or (p_op[n] = 'book' and not c.published) then 1 else 0 end,
            booked = c.booked + case when p_op[n] = 'book_published' or (p_op[n] = 'book' and c.published) then 1 else 0 end
        where c.site_id = p_site[n] and c.work_type = p_work[n] and c.day = p_day[n]
          and c.booked + c.held < c.capacity
          and (p_op[n] <> 'book_published' or c.published)
        returning c.published into v_pub;
      if not found then
        select true into v_exists from scheduling_capacity c
          where c.site_id = p_site[n] and c.work_type = p_work[n] and c.day = p_day[n];
        outcome := case when v_exists then 'full' else 'missing' end;
        published := null;
        return next;
        return;
      end if;
      outcome := case when p_op[n] = 'hold' or (p_op[n] = 'book' and not v_pub) then 'held' else 'booked' end;
    else
      update scheduling_capacity c
        set held = c.held - case when p_op[n] in ('release_held', 'convert') then 1 else 0 end,
            booked = c.booked + case when p_op[n] = 'convert' then 1 when p_op[n] = 'release_booked' then -1 else 0 end
        where c.site_id = p_site[n] and c.work_type = p_work[n] and c.day = p_day[n]
        returning c.published into v_pub;
      if not found then
        outcome := 'missing';
        published := null;
        return next;
        return;
      end if;
      outcome := p_op[n];
    end if;
    published := v_pub;
    return next;
  end loop;
end $$;

-- A chain of slots for one case. Live statuses hold capacity: held (tentative, expires),
-- requested (waits for a site to confirm unpublished slots), booked.
create table scheduling_bookings (
  id uuid primary key,
  case_id uuid references cases (id),
  -- The case reference (also for bookings imported without a case record).
  case_ref text not null,
  treatment_centre_id uuid not null,
  -- The partner whose coordinators book for the case: what scopes the booking to its centre.
  centre_partner_id uuid not null references partners (id),
  therapy_code text not null,
  status text not null check (status in ('held', 'requested', 'booked', 'cancelled', 'expired', 'declined')),
  steps jsonb not null,
  hold_expires_at timestamptz,
  created_by text not null,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  revision integer not null default 1,
  status_reason text
);
-- One live booking per case: a second hold for the same case is a conflict, not a double booking.
create unique index scheduling_bookings_live_case_idx on scheduling_bookings (case_ref)
  where status in ('held', 'requested', 'booked');
create index scheduling_bookings_case_idx on scheduling_bookings (case_id);
create index scheduling_bookings_centre_idx on scheduling_bookings (centre_partner_id);

-- The units a live booking takes, one per step: the counters always equal these rows.
create table scheduling_booking_units (
  booking_id uuid not null references scheduling_bookings (id),
  step_key text not null,
  site_id uuid not null references sites (id),
  work_type text not null,
  day date not null,
  -- released: the unit no longer counts (kept so the sites involved still see the booking).
  state text not null check (state in ('held', 'booked', 'released')),
  primary key (booking_id, step_key, site_id, work_type, day)
);
create index scheduling_booking_units_site_idx on scheduling_booking_units (site_id, booking_id);

-- A request for an unpublished slot: the site's partner confirms or declines it.
create table scheduling_slot_requests (
  id uuid primary key,
  booking_id uuid not null references scheduling_bookings (id),
  step_key text not null,
  site_id uuid not null references sites (id),
  partner_id uuid not null references partners (id),
  status text not null check (status in ('pending', 'confirmed', 'declined', 'withdrawn')),
  created_at timestamptz not null,
  decided_at timestamptz,
  decided_by text,
  reason text,
  unique (booking_id, step_key)
);
create index scheduling_slot_requests_partner_idx on scheduling_slot_requests (partner_id, status);

-- A re-plan waiting for the treatment centre: a delay reported by a plant.
create table scheduling_proposals (
  id uuid primary key,
  booking_id uuid not null references scheduling_bookings (id),
  booking_revision integer not null,
  kind text not null check (kind in ('delay')),
  step_key text not null,
  delay_hours integer not null,
  reason text not null,
  proposal jsonb not null,
  status text not null check (status in ('pending', 'accepted', 'superseded')),
  created_by text not null,
  created_at timestamptz not null
);
create index scheduling_proposals_booking_idx on scheduling_proposals (booking_id, status);

-- Other appointments of a patient, entered by the treatment centre, checked against chains.
create table scheduling_patient_appointments (
  id uuid primary key,
  case_id uuid not null references cases (id),
  label text not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null check (ends_at > starts_at),
  created_by text not null,
  created_at timestamptz not null
);
create index scheduling_patient_appointments_case_idx on scheduling_patient_appointments (case_id);

-- Responses of requests made with an Idempotency-Key, replayed when the same request comes again.
create table scheduling_idempotency (
  key text not null,
  actor_id text not null,
  operation text not null,
  request_hash char(64) not null,
  status integer not null,
  response jsonb not null,
  created_at timestamptz not null default now(),
  primary key (actor_id, key)
);
