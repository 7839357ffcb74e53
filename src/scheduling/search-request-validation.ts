/**
 * What makes a chain search request meaningless, before any day is tried: an unknown centre, a day
 * in the centre's past, a therapy the centre has no preferred site set (or no connected route) for,
 * dates that are not dates. Fields are named relative to the request; the HTTP layer prefixes them.
 */
import type { IndexedNetwork } from './network-index.ts';
import type { ChainSearchRequest, PreferredSiteSet } from './scheduling-model.ts';
import { isDay } from './site-calendar.ts';

export type FieldProblem = { field: string; reason: string };

export const MAX_CHAIN_COUNT = 20;

export function validateSearchRequest(
  network: IndexedNetwork,
  request: ChainSearchRequest,
  now: Date,
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const centre = network.sites.get(request.treatmentCentreId);
  if (!centre)
    problems.push({
      field: 'treatmentCentreId',
      reason: `unknown treatment centre ${request.treatmentCentreId}`,
    });
  else if (centre.kind !== 'treatment_centre')
    problems.push({
      field: 'treatmentCentreId',
      reason: `${centre.code} is a ${centre.kind}, not a treatment centre`,
    });

  if (!isDay(request.earliestDate))
    problems.push({ field: 'earliestDate', reason: 'must be a calendar day written YYYY-MM-DD' });
  else if (centre) {
    const today = network.localToday(centre.id, now) as string;
    if (request.earliestDate < today)
      problems.push({
        field: 'earliestDate',
        reason: `${request.earliestDate} is in the past: today is ${today} at ${centre.code} (${centre.timeZone})`,
      });
  }
  if (
    request.count !== undefined &&
    !(Number.isInteger(request.count) && request.count >= 1 && request.count <= MAX_CHAIN_COUNT)
  )
    problems.push({ field: 'count', reason: `must be a whole number from 1 to ${MAX_CHAIN_COUNT}` });

  const latest = request.preferences?.latestInfusionDate;
  if (latest !== undefined) {
    if (!isDay(latest))
      problems.push({
        field: 'preferences.latestInfusionDate',
        reason: 'must be a calendar day written YYYY-MM-DD',
      });
    else if (isDay(request.earliestDate) && latest < request.earliestDate)
      problems.push({
        field: 'preferences.latestInfusionDate',
        reason: `${latest} is before the earliest date ${request.earliestDate}`,
      });
  }
  (request.preferences?.avoidSiteIds ?? []).forEach((id, i) => {
    if (!network.sites.has(id))
      problems.push({ field: `preferences.avoidSiteIds.${i}`, reason: `unknown site ${id}` });
  });
  (request.patientAppointments ?? []).forEach((a, i) => {
    const starts = Date.parse(a.startsAt);
    const ends = Date.parse(a.endsAt);
    if (Number.isNaN(starts) || Number.isNaN(ends))
      problems.push({
        field: `patientAppointments.${i}`,
        reason: 'startsAt and endsAt must be ISO 8601 instants',
      });
    else if (ends <= starts)
      problems.push({ field: `patientAppointments.${i}.endsAt`, reason: 'must be after startsAt' });
  });

  if (centre?.kind !== 'treatment_centre') return problems;
  const sets = network.siteSets(centre.id, request.therapyCode);
  if (sets.length === 0) {
    problems.push({
      field: 'therapyCode',
      reason: `${centre.code} has no preferred site set for ${request.therapyCode}: no sites to book`,
    });
    return problems;
  }
  const plantIds = request.preferences?.plantIds ?? [];
  plantIds.forEach((id, i) => {
    if (!sets.some((s) => s.plantIds.includes(id)))
      problems.push({
        field: `preferences.plantIds.${i}`,
        reason: `${network.sites.get(id)?.code ?? id} is not a plant of ${centre.code}'s preferred site sets for ${request.therapyCode}`,
      });
  });
  if (!sets.some((s) => connected(network, s)))
    problems.push({
      field: 'treatmentCentreId',
      reason: `no route connects the collection, plant and infusion sites of any preferred site set of ${centre.code} for ${request.therapyCode}`,
    });
  return problems;
}

/** Some collection site ships to some plant that serves some infusion site of the set (roles a set leaves empty need no route). */
function connected(network: IndexedNetwork, set: PreferredSiteSet): boolean {
  const plants = set.plantIds.filter(
    (p) => set.collectionSiteIds.length === 0 || set.collectionSiteIds.some((c) => network.route(c, p)),
  );
  if (set.plantIds.length === 0) return set.infusionSiteIds.length > 0 || set.collectionSiteIds.length > 0;
  return plants.some(
    (p) => set.infusionSiteIds.length === 0 || set.infusionSiteIds.some((i) => network.route(p, i)),
  );
}
