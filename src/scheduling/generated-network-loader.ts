import { createHash, randomUUID } from 'node:crypto';
import type { PartnerType } from '../partners/partner-tables.ts';
import type { Database } from '../platform/db/database.ts';
import type { GeneratedNetwork } from './network-generator.ts';
import { importNetwork, jsonb } from './network-store.ts';
import type { SchedulingSiteKind } from './scheduling-model.ts';

const PARTNER_TYPE: Record<SchedulingSiteKind, PartnerType> = {
  treatment_centre: 'treatment_centre',
  collection_centre: 'collection_centre',
  manufacturing_site: 'manufacturing_site',
  infusion_site: 'treatment_centre',
  depot: 'courier',
};

const CHUNK = 1_000;

/**
 * Loads a generated network (network-generator.ts) into a database for tests and benches: a partner
 * and a site row per generated site, the scheduling network with its counters, and the generated
 * bookings with their units, so counters and bookings agree exactly as the generator booked them
 * (the generator books unpublished units too, as booked).
 */
export async function loadGeneratedNetwork(
  database: Database,
  generated: GeneratedNetwork,
): Promise<GeneratedNetwork> {
  const network = withUuids(generated);
  await database.db.transaction().execute(async (trx) => {
    const partners = new Map<string, { type: PartnerType; country: string }>();
    for (const site of network.sites)
      if (!partners.has(site.partnerId))
        partners.set(site.partnerId, { type: PARTNER_TYPE[site.kind], country: site.country });
    const partnerRows = [...partners.entries()].map(([id, p], n) => ({
      id,
      code: `GEN-P${String(n + 1).padStart(5, '0')}`,
      name: `Generated partner ${n + 1}`,
      type: p.type,
      country: p.country,
    }));
    for (let i = 0; i < partnerRows.length; i += CHUNK)
      await trx
        .insertInto('partners')
        .values(partnerRows.slice(i, i + CHUNK))
        .execute();
    const siteRows = network.sites.map((s) => ({
      id: s.id,
      partner_id: s.partnerId,
      code: s.code,
      name: s.name,
      kind: s.kind,
      time_zone: s.timeZone,
      city: s.code,
      country: s.country,
    }));
    for (let i = 0; i < siteRows.length; i += CHUNK)
      await trx
        .insertInto('sites')
        .values(siteRows.slice(i, i + CHUNK))
        .execute();
    await importNetwork(trx, network);
    const now = new Date();
    const partnerOfSite = new Map(network.sites.map((s) => [s.id, s.partnerId]));
    const creator = randomUUID();
    const bookings = network.bookings.map((b) => ({ id: randomUUID(), ...b }));
    for (let i = 0; i < bookings.length; i += CHUNK) {
      const part = bookings.slice(i, i + CHUNK);
      await trx
        .insertInto('scheduling_bookings')
        .values(
          part.map((b) => ({
            id: b.id,
            case_id: null,
            case_ref: b.caseRef,
            treatment_centre_id: b.treatmentCentreId,
            centre_partner_id: partnerOfSite.get(b.treatmentCentreId) as string,
            therapy_code: b.therapyCode,
            status: 'booked' as const,
            steps: jsonb(b.steps.map((s) => ({ ...s, state: 'booked' }))),
            hold_expires_at: null,
            created_by: creator,
            created_at: now,
            updated_at: now,
            status_reason: null,
          })),
        )
        .execute();
      await trx
        .insertInto('scheduling_booking_units')
        .values(
          part.flatMap((b) =>
            b.steps.map((s) => ({
              booking_id: b.id,
              step_key: s.stepKey,
              site_id: s.siteId,
              work_type: s.workType,
              day: s.day,
              state: 'booked' as const,
            })),
          ),
        )
        .execute();
    }
  });
  return network;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The generator's readable ids ("…-plnt-…") as uuids the database accepts: the same name, the same uuid. */
export function withUuids(network: GeneratedNetwork): GeneratedNetwork {
  const id = (value: string) => {
    if (UUID.test(value)) return value;
    const hex = createHash('sha256').update(value).digest('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  };
  const ids = (values: readonly string[]) => values.map(id);
  return {
    sites: network.sites.map((s) => ({ ...s, id: id(s.id), partnerId: id(s.partnerId) })),
    workTypes: network.workTypes,
    routes: network.routes.map((r) => ({ ...r, fromSiteId: id(r.fromSiteId), toSiteId: id(r.toSiteId) })),
    preferredSiteSets: network.preferredSiteSets.map((set) => ({
      ...set,
      treatmentCentreId: id(set.treatmentCentreId),
      collectionSiteIds: ids(set.collectionSiteIds),
      plantIds: ids(set.plantIds),
      infusionSiteIds: ids(set.infusionSiteIds),
    })),
    capacity: network.capacity.map((c) => ({ ...c, siteId: id(c.siteId) })),
    bookings: network.bookings.map((b) => ({
      ...b,
      treatmentCentreId: id(b.treatmentCentreId),
      steps: b.steps.map((step) => ({ ...step, siteId: id(step.siteId) })),
    })),
  };
}
