import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { canonicalJson } from '../platform/ledger/canonical-json.ts';
import { importNetwork, type NetworkImport } from './network-store.ts';

type Calendar = { kind: string; openingHours: unknown; closures: unknown };
type RouteState = { leg: string; transportHours: number };
type SetState = Array<{
  rank: number;
  collectionSiteIds: string[];
  plantIds: string[];
  infusionSiteIds: string[];
}>;

const routeKey = (from: string, to: string) => `${from}>${to}`;
const setKey = (centre: string, therapy: string) => `${centre}|${therapy}`;
// jsonb hands keys back in its own order: compare canonical forms, as the ledger hashes them.
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * Imports a network (the demo seed) and records in the ledger every calendar, route and preferred
 * site set it created or changed, and the capacity days it published, on the same streams as the
 * network API (network-config-store.ts). A repeated import that changes nothing records nothing,
 * so re-seeding does not grow the ledger.
 */
export async function importNetworkAudited(
  trx: Tx,
  network: NetworkImport,
  audit: { actor: Actor; reason: string; now: Date },
): Promise<void> {
  const siteIds = network.sites.map((s) => s.id);
  const calendarsBefore = new Map<string, Calendar>();
  if (siteIds.length > 0)
    for (const row of await trx
      .selectFrom('scheduling_sites')
      .select(['site_id', 'kind', 'opening_hours', 'closures'])
      .where('site_id', 'in', siteIds)
      .execute())
      calendarsBefore.set(row.site_id, {
        kind: row.kind,
        openingHours: row.opening_hours,
        closures: row.closures,
      });
  const routesBefore = new Map<string, RouteState>();
  for (const row of await trx.selectFrom('scheduling_routes').selectAll().execute())
    routesBefore.set(routeKey(row.from_site_id, row.to_site_id), {
      leg: row.leg,
      transportHours: row.transport_hours,
    });
  const setsBefore = new Map<string, SetState>();
  for (const row of await trx
    .selectFrom('scheduling_preferred_site_sets')
    .selectAll()
    .orderBy('rank')
    .execute()) {
    const key = setKey(row.treatment_centre_id, row.therapy_code);
    setsBefore.set(key, [
      ...(setsBefore.get(key) ?? []),
      {
        rank: row.rank,
        collectionSiteIds: row.collection_site_ids,
        plantIds: row.plant_ids,
        infusionSiteIds: row.infusion_site_ids,
      },
    ]);
  }

  const { capacityDaysAdded } = await importNetwork(trx, network);

  const record = (entry: {
    stream: string;
    action: string;
    recordType: string;
    recordId: string;
    before: unknown;
    after: unknown;
  }) => appendLedgerEntry(trx, { ...entry, actor: audit.actor, reason: audit.reason }, audit.now);

  for (const site of network.sites) {
    const before = calendarsBefore.get(site.id) ?? null;
    const after: Calendar = { kind: site.kind, openingHours: site.openingHours, closures: site.closures };
    if (!same(before, after))
      await record({
        stream: `scheduling-site:${site.id}`,
        action: 'scheduling.site_calendar_set',
        recordType: 'scheduling_site',
        recordId: site.id,
        before,
        after,
      });
  }
  for (const route of network.routes) {
    const key = routeKey(route.fromSiteId, route.toSiteId);
    const before = routesBefore.get(key) ?? null;
    const after: RouteState = { leg: route.leg, transportHours: route.transportHours };
    if (!same(before, after))
      await record({
        stream: `scheduling-route:${key}`,
        action: before ? 'scheduling.route_changed' : 'scheduling.route_added',
        recordType: 'scheduling_route',
        recordId: key,
        before,
        after,
      });
  }
  const setsAfter = new Map<string, SetState>();
  for (const set of [...network.preferredSiteSets].sort((a, b) => a.rank - b.rank)) {
    const key = setKey(set.treatmentCentreId, set.therapyCode);
    setsAfter.set(key, [
      ...(setsAfter.get(key) ?? []),
      {
        rank: set.rank,
        collectionSiteIds: set.collectionSiteIds,
        plantIds: set.plantIds,
        infusionSiteIds: set.infusionSiteIds,
      },
    ]);
  }
  for (const [key, after] of setsAfter) {
    const before = setsBefore.get(key) ?? null;
    if (same(before, after)) continue;
    const [centre] = key.split('|') as [string];
    await record({
      stream: `scheduling-site:${centre}`,
      action: 'scheduling.preferred_site_sets_replaced',
      recordType: 'scheduling_preferred_site_sets',
      recordId: key,
      before,
      after,
    });
  }
  for (const [siteId, added] of capacityDaysAdded)
    await record({
      stream: `scheduling-site:${siteId}`,
      action: 'scheduling.capacity_published',
      recordType: 'scheduling_capacity',
      recordId: siteId,
      before: null,
      after: added,
    });
}
