import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import { staffActor } from './custody-actors.ts';
import { createCustodyItem } from './custody-items.ts';
import { configuredFacility } from './custody-settings.ts';
import { completeHandoff, openHandoff, recordCondition, recordScan } from './handoffs.ts';
import { formatDonationIdentificationNumber } from './identity/donation-identification-number.ts';

/** Shippers of the demo courier: one qualified, one whose qualification has lapsed. */
export const DEMO_SHIPPERS = [
  {
    code: 'SHP-000101',
    description: 'Dry shipper, vapour-phase LN2 (ColdPath)',
    qualified_until: '2028-12-31',
  },
  { code: 'SHP-000102', description: '2–8 °C passive shipper (ColdPath)', qualified_until: '2028-06-30' },
  {
    code: 'SHP-000103',
    description: 'Dry shipper, vapour-phase LN2 (ColdPath, retired)',
    qualified_until: '2025-06-30',
  },
] as const;

/**
 * Demo custody: the shippers, and for the demo case now in manufacturing (patient STE-100234) the
 * chain of custody so far — the apheresis bag with its DIN, its pick-up by the courier and its
 * receipt at the plant with the data logger's readings. Idempotent: a case with a chain of
 * identity is left as it is.
 */
export async function seedCustodyDemo(
  database: Database,
  now = new Date(),
  facility = configuredFacility(),
): Promise<void> {
  await inTransaction(database, async (trx) => {
    const coldpath = await trx
      .selectFrom('partners')
      .select('id')
      .where('code', '=', 'COLDPATH')
      .executeTakeFirst();
    for (const shipper of DEMO_SHIPPERS)
      await trx
        .insertInto('shippers')
        .values({ ...shipper, owner_partner_id: coldpath?.id ?? null })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
  });
  await inTransaction(database, async (trx) => {
    const demoCase = await trx
      .selectFrom('cases')
      .innerJoin('patients', 'patients.id', 'cases.patient_id')
      .select(['cases.id', 'cases.opened_at'])
      .where('patients.mrn', '=', 'STE-100234')
      .orderBy('cases.opened_at')
      .executeTakeFirst();
    if (!demoCase) return;
    if (
      await trx
        .selectFrom('chains_of_identity')
        .select('case_id')
        .where('case_id', '=', demoCase.id)
        .executeTakeFirst()
    )
      return;
    const collector = await staffActor(trx, { email: 'apheresis@st-elisabeth.example' });
    const courier = await staffActor(trx, { email: 'courier@coldpath.example' });
    const plant = await staffActor(trx, { email: 'manufacturing@aurora-leiden.example' });
    if (!collector || !courier || !plant) return;
    let at = demoCase.opened_at.getTime() + 3 * 86_400_000;
    const clock = () => {
      at += 45 * 60_000;
      return new Date(Math.min(at, now.getTime()));
    };
    const din = formatDonationIdentificationNumber({ facility: 'W1234', year: 26, sequence: 1 });
    const bagId = await createCustodyItem(
      trx,
      collector,
      demoCase.id,
      { itemType: 'apheresis_bag', din },
      facility,
      clock(),
    );
    const readings = (celsius: number[]) => {
      const start = clock().getTime();
      return celsius.map((c, i) => ({ at: new Date(start + i * 30 * 60_000).toISOString(), celsius: c }));
    };
    const pickUp = await openHandoff(
      trx,
      collector,
      {
        caseId: demoCase.id,
        itemIds: [bagId],
        toPartnerId: courier.partnerId,
        toUserId: courier.id,
        shipperCode: 'SHP-000102',
        sealIntact: true,
      },
      clock(),
    );
    await recordScan(trx, courier, pickUp, `=${din}`, clock());
    await recordCondition(trx, courier, pickUp, { readings: readings([4.8, 4.6, 4.9]) }, clock());
    await completeHandoff(trx, courier, pickUp, clock());
    const delivery = await openHandoff(
      trx,
      courier,
      {
        caseId: demoCase.id,
        itemIds: [bagId],
        toPartnerId: plant.partnerId,
        toUserId: plant.id,
        sealIntact: true,
      },
      clock(),
    );
    await recordScan(trx, plant, delivery, din, clock());
    await recordCondition(
      trx,
      plant,
      delivery,
      { readings: readings([4.9, 5.2, 5.6, 5.1, 4.7, 4.4, 4.6, 5.0]), shipperCode: 'SHP-000102' },
      clock(),
    );
    await completeHandoff(trx, plant, delivery, clock());
  });
}
