import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { recordPhiAccess } from '../patients/patient-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import type { Actor } from '../platform/access/actor.ts';
import { visiblePatients } from '../platform/access/scope.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { invalidInput } from '../platform/http/problem.ts';
import { custodyStream } from './chain-of-identity-store.ts';
import { ALLOWED_RANGE } from './condition.ts';
import { findVisibleItem } from './custody-items.ts';
import { renderBagLabelPdf, renderShipperLabelPdf } from './labels/label-pdf.ts';

type StaffActor = Exclude<Actor, { kind: 'system' }>;

const PRODUCT_TYPE = {
  apheresis_bag: 'Apheresis collection (leukapheresis)',
  sample: 'Sample',
  final_product_bag: 'CAR-T cells, final product',
  shipper: 'Shipper',
} as const;

/**
 * Prints a unit's label: the first print, or a reprint (which must say why). Every print is
 * counted and ledgered in the transaction that renders it, so a label that failed to render was
 * never "printed". Patient initials and date of birth appear only for callers entitled to the
 * patient's identity; everyone else gets the chain of identity alone.
 */
export async function printLabel(
  trx: Tx,
  actor: StaffActor,
  itemId: string,
  reason: string | undefined,
  facility: string,
  now: Date,
): Promise<{ pdf: Buffer; printNumber: number; patientShown: string | null }> {
  const item = await findVisibleItem(trx, actor, itemId, true);
  const printNumber = item.label_prints + 1;
  if (printNumber > 1 && !reason)
    throw invalidInput([
      {
        field: 'reason',
        reason: `is required for a reprint (this unit's label was printed ${item.label_prints} time(s))`,
      },
    ]);
  const caseRow = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', item.case_id)
    .executeTakeFirstOrThrow();
  const patient = await visiblePatients(trx, actor)
    .select([
      'patients.id',
      'patients.given_name',
      'patients.family_name',
      sql<string>`patients.birth_date::text`.as('birth_date'),
    ])
    .where('patients.id', '=', caseRow.patient_id)
    .executeTakeFirst();
  const custodian = await trx
    .selectFrom('partners')
    .select(['name'])
    .where('id', '=', item.custodian_partner_id)
    .executeTakeFirstOrThrow();
  const site = await trx
    .selectFrom('sites')
    .select('time_zone')
    .where((eb) =>
      item.site_id ? eb('id', '=', item.site_id) : eb('partner_id', '=', item.custodian_partner_id),
    )
    .orderBy('code')
    .executeTakeFirst();
  const range = ALLOWED_RANGE[item.item_type];
  const common = {
    chainOfIdentity: item.chain_of_identity,
    donationNumber: item.din ?? undefined,
    storageCondition: range ? `Store and ship at ${range.label}` : 'See contents',
    facility: { id: facility, name: custodian.name },
    timeZone: site?.time_zone,
    patient: patient
      ? {
          initials: `${patient.given_name[0] ?? ''}${patient.family_name[0] ?? ''}`,
          dateOfBirth: patient.birth_date,
        }
      : undefined,
    reprint: printNumber - 1,
    printedAt: now,
  };
  let pdf: Buffer;
  const kind = item.item_type === 'shipper' ? ('shipper' as const) : ('bag' as const);
  if (kind === 'shipper') {
    const destination = await trx
      .selectFrom('partners')
      .select('name')
      .where('id', '=', caseRow.manufacturing_site_partner_id ?? caseRow.treatment_centre_partner_id)
      .executeTakeFirst();
    const shipper = item.lot
      ? await trx.selectFrom('shippers').selectAll().where('code', '=', item.lot).executeTakeFirst()
      : undefined;
    pdf = await renderShipperLabelPdf({
      ...common,
      shipperId: item.lot ?? item.unit_code,
      shipperQualification: shipper?.qualified_until
        ? `Qualified until ${shipper.qualified_until}`
        : 'Qualification unknown',
      contents: `Cells of chain of identity ${item.chain_of_identity}`,
      from: { name: custodian.name },
      to: { name: destination?.name ?? 'see hand-off' },
      shippedAt: now,
    });
  } else {
    pdf = await renderBagLabelPdf({
      ...common,
      productType: PRODUCT_TYPE[item.item_type],
      unitNumber: item.lot ? `${item.unit_code} (lot ${item.lot})` : item.unit_code,
      collectedAt: item.item_type === 'apheresis_bag' ? item.created_at : undefined,
      expiresAt: item.expires_at ?? undefined,
    });
  }
  await trx
    .insertInto('custody_label_prints')
    .values({
      id: randomUUID(),
      item_id: item.id,
      print_number: printNumber,
      label_kind: kind,
      reason: printNumber > 1 ? (reason as string) : null,
      printed_by: actor.id,
      printed_at: now,
    })
    .execute();
  await trx
    .updateTable('custody_items')
    .set({ label_prints: printNumber })
    .where('id', '=', item.id)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: custodyStream(item.chain_of_identity),
      actor,
      action: printNumber === 1 ? 'custody.label_printed' : 'custody.label_reprinted',
      recordType: 'custody_item',
      recordId: item.id,
      after: { printNumber, labelKind: kind, unitCode: item.unit_code, patientShown: Boolean(patient) },
      reason: printNumber > 1 ? (reason as string) : null,
    },
    now,
  );
  return { pdf, printNumber, patientShown: patient?.id ?? null };
}

const reasonText = z.string().trim().min(1).max(500);

/** `GET|POST /api/custody/items/:id/label.pdf`: every call is a print (the first, or a reprint with a reason). */
export function registerLabelRoutes(
  app: App,
  database: Database,
  now: () => Date,
  facility: () => string,
): void {
  const handler = async (
    request: FastifyRequest,
    itemId: string,
    reason: string | undefined,
    reply: FastifyReply,
  ) => {
    const actor = actorOf(request);
    const at = now();
    const printed = await inTransaction(database, (trx) =>
      printLabel(trx, actor, itemId, reason, facility(), at),
    );
    if (printed.patientShown)
      await recordPhiAccess(database.db, {
        actor,
        patientIds: [printed.patientShown],
        action: 'custody.label_printed',
        route: `${request.method} /api/custody/items/:id/label.pdf`,
        requestId: String(request.id),
      });
    reply.type('application/pdf');
    reply.header('x-label-print-number', String(printed.printNumber));
    reply.header('content-disposition', `inline; filename="label-${itemId}-${printed.printNumber}.pdf"`);
    return printed.pdf;
  };
  app.get(
    '/api/custody/items/:id/label.pdf',
    {
      config: { access: { permission: 'custody:labels' } },
      schema: {
        summary: 'Print the unit’s label (PDF, Code 128 and DataMatrix); a reprint needs ?reason=',
        tags: ['custody'],
        params: z.object({ id: z.string().uuid() }),
        querystring: z.object({ reason: reasonText.optional() }),
      },
    },
    async (request, reply) => handler(request, request.params.id, request.query.reason, reply),
  );
  app.post(
    '/api/custody/items/:id/label.pdf',
    {
      config: { access: { permission: 'custody:labels' } },
      schema: {
        summary: 'Print the unit’s label (PDF); a reprint needs a reason',
        tags: ['custody'],
        params: z.object({ id: z.string().uuid() }),
        body: z.strictObject({ reason: reasonText.optional() }).optional(),
      },
    },
    async (request, reply) => handler(request, request.params.id, request.body?.reason, reply),
  );
}
