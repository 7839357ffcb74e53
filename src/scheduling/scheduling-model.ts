/**
 * The vocabulary shared by the pure scheduling engine (chain search, re-planning, conflicts,
 * network generator) and the store that persists bookings. The engine never touches a database:
 * the store loads a `NetworkSnapshot`, implements `CapacityView` over its counters, and calls the
 * engine; the engine returns plain data the store then books atomically.
 *
 * Time: capacity is counted per site-local calendar day (`Day`, 'YYYY-MM-DD' in the site's own time
 * zone). A booked step starts at its site's opening time on that day and lasts its work type's
 * duration; instants are ISO 8601 UTC strings. Lead times are measured between step starts, in
 * hours, and a move between two sites must also leave room for the route's transport time.
 */

export const WORK_TYPES = [
  'apheresis',
  'courier_pickup',
  'manufacturing_start',
  'qc_release',
  'conditioning',
  'infusion',
] as const;
export type WorkType = (typeof WORK_TYPES)[number];

export const SCHEDULING_SITE_KINDS = [
  'treatment_centre',
  'collection_centre',
  'manufacturing_site',
  'infusion_site',
  'depot',
] as const;
export type SchedulingSiteKind = (typeof SCHEDULING_SITE_KINDS)[number];

/** 'YYYY-MM-DD', a calendar day in the time zone of the site it belongs to. */
export type Day = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. A weekday without hours is closed. */
export type OpeningHours = { weekday: 1 | 2 | 3 | 4 | 5 | 6 | 7; opens: string; closes: string };

export type Closure = { from: Day; to: Day; reason: string };

export type SchedulingSite = {
  id: string;
  code: string;
  name: string;
  partnerId: string;
  kind: SchedulingSiteKind;
  country: string;
  /** IANA time zone, e.g. 'Europe/Berlin'. */
  timeZone: string;
  openingHours: OpeningHours[];
  closures: Closure[];
};

export type WorkTypeDefinition = {
  key: WorkType;
  title: string;
  durationMinutes: number;
  /** Kinds of site where this work is done. */
  siteKinds: readonly SchedulingSiteKind[];
};

/** Which collection site ships to which plant, and which plant serves which infusion site. */
export type Route = {
  fromSiteId: string;
  toSiteId: string;
  leg: 'collection_to_plant' | 'plant_to_infusion';
  transportHours: number;
};

/** Ranked per treatment centre and therapy: set 1 is tried first, then 2 … */
export type PreferredSiteSet = {
  treatmentCentreId: string;
  therapyCode: string;
  rank: number;
  collectionSiteIds: string[];
  plantIds: string[];
  infusionSiteIds: string[];
};

/** One day's capacity of one site for one work type, as the store counts it. */
export type CapacityDay = {
  siteId: string;
  workType: WorkType;
  day: Day;
  capacity: number;
  /** Unpublished capacity can only be requested; the site confirms or declines. */
  published: boolean;
  booked: number;
  held: number;
};

/** What the engine asks of capacity; the store answers from its (cached) counters. */
export interface CapacityView {
  /** Undefined when the site offers no capacity of this work type that day. */
  get(siteId: string, workType: WorkType, day: Day): CapacityDay | undefined;
}

export type NetworkSnapshot = {
  sites: ReadonlyMap<string, SchedulingSite>;
  workTypes: ReadonlyMap<WorkType, WorkTypeDefinition>;
  routes: readonly Route[];
  preferredSiteSets: readonly PreferredSiteSet[];
};

/** Where a step of a chain takes place, relative to the chosen site set. */
export type SiteRole = 'collection' | 'plant' | 'infusion';

/** A step of the therapy that takes a slot, named by its template step key. */
export type ChainStepSpec = { stepKey: string; workType: WorkType; siteRole: SiteRole };

/** Between the starts of two chain steps: toStep starts at least minHours, at most maxHours after fromStep. */
export type LeadTimeRule = { fromStep: string; toStep: string; minHours: number; maxHours: number };

/** The chain a therapy books, with lead times resolved for the treatment centre's country and site. */
export type ChainSpec = {
  therapyCode: string;
  steps: readonly ChainStepSpec[];
  leadTimes: readonly LeadTimeRule[];
};

/** Something else the patient has on a day (another booking, an appointment entered by the centre). */
export type PatientAppointment = { id: string; label: string; startsAt: string; endsAt: string };

export type ChainSearchRequest = {
  therapyCode: string;
  treatmentCentreId: string;
  /** No step before this day (the treatment centre's local day). */
  earliestDate: Day;
  /** Best N chains; default 3. */
  count?: number;
  preferences?: {
    plantIds?: string[];
    avoidSiteIds?: string[];
    latestInfusionDate?: Day;
    /** Include unpublished capacity as "request" slots. */
    includeUnpublished?: boolean;
  };
  patientAppointments?: readonly PatientAppointment[];
  /** Return the reasons days and sites were excluded. */
  explain?: boolean;
};

export type ChainStep = {
  stepKey: string;
  workType: WorkType;
  siteId: string;
  day: Day;
  startsAt: string;
  endsAt: string;
  /** False: the slot is unpublished and must be requested from the site. */
  published: boolean;
};

export type SlotChain = {
  steps: ChainStep[];
  siteSetRank: number;
  infusionDay: Day;
  /** Share of the plant's capacity already booked or held over the manufacturing window (0–1). */
  plantLoad: number;
};

/** Why a site, a day or a whole site set gave no chain: what the coordinator reads under "why no slot". */
export type Exclusion = {
  code:
    | 'site_closed'
    | 'no_capacity'
    | 'unpublished'
    | 'no_route'
    | 'lead_time'
    | 'patient_conflict'
    | 'avoided'
    | 'after_latest_infusion';
  stepKey?: string;
  siteId?: string;
  day?: Day;
  siteSetRank?: number;
  /** Last day of the run of days this exclusion aggregates (day is the first). */
  lastDay?: Day;
  /** How many days (or day × step combinations) the exclusion aggregates. */
  count?: number;
  reason: string;
};

export type ChainSearchResult = { chains: SlotChain[]; exclusions: Exclusion[] };
