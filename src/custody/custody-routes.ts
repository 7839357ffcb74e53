import { z } from 'zod';
import { loadCase } from '../cases/case-store.ts';
import { recordPhiAccess } from '../patients/patient-store.ts';
import { actorOf } from '../platform/access/access-hook.ts';
import type { InstallationKey } from '../platform/audit/installation-key.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction } from '../platform/db/transaction.ts';
import type { App } from '../platform/http/app-type.ts';
import { registerBedsideRoute } from './bedside-routes.ts';
import { ensureChainOfIdentity } from './chain-of-identity-store.ts';
import { caseForCustody, createCustodyItem, findVisibleItem, releaseItem } from './custody-items.ts';
import { CUSTODY_ITEM_TYPES } from './custody-tables.ts';
import { custodyTimeline } from './custody-timeline.ts';
import { registerDossierRoutes } from './dossier-routes.ts';
import {
  completeHandoff,
  handoffView,
  loadHandoff,
  openHandoffRecord,
  recordCondition,
  recordScan,
  signHandoff,
} from './handoffs.ts';
import { registerLabelRoutes } from './label-routes.ts';

const tags = ['custody'];
const uuid = z.string().uuid();
const anyObject = z.looseObject({});
const isoInstant = z.string().datetime({ offset: true });

const itemBody = z.strictObject({
  itemType: z.enum(CUSTODY_ITEM_TYPES),
  din: z.string().min(1).max(40).optional(),
  lot: z.string().min(1).max(64).optional(),
  description: z.string().min(1).max(200).optional(),
  expiresAt: isoInstant.optional(),
  parentItemId: uuid.optional(),
  siteId: uuid.optional(),
});

const reading = z.strictObject({ at: isoInstant, celsius: z.number().min(-273.15).max(100) });
const shipperCode = z
  .string()
  .regex(/^SHP-[0-9]{6}$/, 'must look like SHP-000123')
  .optional();

/** The condition of a transfer, as the condition endpoint takes it and as it may come with the opening. */
const conditionBody = z
  .strictObject({
    readings: z.array(reading).min(1).max(5000).optional(),
    dataLogger: z
      .strictObject({
        fileName: z.string().min(1).max(200),
        text: z.string().min(1).max(600_000).optional(),
        base64: z.string().min(1).max(800_000).optional(),
      })
      .refine(
        (d) => (d.text === undefined) !== (d.base64 === undefined),
        'give the file as text or as base64',
      )
      .optional(),
    shipperCode,
    sealIntact: z.boolean().optional(),
  })
  .refine((b) => !(b.readings && b.dataLogger), 'give readings or a data-logger file, not both');

/** One keyboard-wedge scan: the raw text the scanner typed. */
const scanText = z.string().min(1).max(500);

/** Chain of identity, custody items, hand-offs and the custody timeline of a case. */
export function registerCustodyRoutes(
  app: App,
  database: Database,
  now: () => Date,
  facility: () => string,
  ledgerKey: () => InstallationKey,
): void {
  app.post(
    '/api/cases/:id/chain-of-identity',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary: 'Assign the case’s chain of identity now (before the first collection); idempotent',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: z.object({ chainOfIdentity: z.string(), assigned: z.boolean() }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const at = now();
      return inTransaction(database, async (trx) => {
        const found = await caseForCustody(trx, actor, request.params.id);
        return ensureChainOfIdentity(trx, actor, found, facility(), at);
      });
    },
  );

  app.get(
    '/api/cases/:id/custody',
    {
      config: { access: { permission: 'custody:read' } },
      schema: {
        summary:
          'The custody timeline of a case: chain of identity, units, hand-offs, bedside checks, deviations',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: anyObject },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const { view, patientIdsShown } = await custodyTimeline(database.db, actor, request.params.id);
      await recordPhiAccess(database.db, {
        actor,
        patientIds: patientIdsShown,
        action: 'custody.viewed',
        route: 'GET /api/cases/:id/custody',
        requestId: String(request.id),
      });
      return view;
    },
  );

  app.post(
    '/api/cases/:id/custody/items',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary:
          'Record a physical unit (apheresis bag with its DIN, sample, final product bag, shipper) in your custody',
        tags,
        params: z.object({ id: uuid }),
        body: itemBody,
        response: { 201: z.object({ item: anyObject }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const at = now();
      const id = await inTransaction(database, (trx) =>
        createCustodyItem(trx, actor, request.params.id, request.body, facility(), at),
      );
      reply.code(201);
      return { item: itemView(await findVisibleItem(database.db, actor, id)) };
    },
  );

  app.get(
    '/api/custody/items/:id',
    {
      config: { access: { permission: 'custody:read' } },
      schema: {
        summary: 'One custody unit',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: z.object({ item: anyObject }) },
      },
    },
    async (request) => ({
      item: itemView(await findVisibleItem(database.db, actorOf(request), request.params.id)),
    }),
  );

  app.post(
    '/api/custody/items/:id/release',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary: 'QA releases a final product bag for infusion (after the QA release step of the case)',
        tags,
        params: z.object({ id: uuid }),
        body: z.strictObject({ reason: z.string().trim().min(1).max(2000).optional() }),
        response: { 200: z.object({ item: anyObject }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const at = now();
      await inTransaction(database, (trx) =>
        releaseItem(
          trx,
          actor,
          request.params.id,
          request.body.reason ?? 'batch released by QA',
          async (caseId) => {
            const loaded = await loadCase(trx, actor, caseId);
            if (!loaded) return false;
            // The template's QA-role steps that carry a signature gate are the batch release.
            const releaseSteps = loaded.template.stages
              .flatMap((s) => s.steps)
              .filter((s) => s.role === 'qa' && s.gates.signatures);
            return releaseSteps.some((s) => loaded.state.steps[s.key]?.status === 'completed');
          },
          at,
        ),
      );
      return { item: itemView(await findVisibleItem(database.db, actor, request.params.id)) };
    },
  );

  app.get(
    '/api/custody/shippers',
    {
      config: { access: { permission: 'custody:read' } },
      schema: {
        summary: 'Shippers and their qualification expiry',
        tags,
        response: { 200: z.object({ shippers: z.array(anyObject) }) },
      },
    },
    async () => {
      const rows = await database.db.selectFrom('shippers').selectAll().orderBy('code').execute();
      const today = now().toISOString().slice(0, 10);
      return {
        shippers: rows.map((r) => ({
          code: r.code,
          description: r.description,
          qualifiedUntil: r.qualified_until,
          qualification: !r.qualified_until
            ? 'unknown'
            : r.qualified_until >= today
              ? 'qualified'
              : 'expired',
        })),
      };
    },
  );

  app.post(
    '/api/custody/handoffs',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary:
          'Open a hand-off of units to another partner of the case (signatures required come from the template step); `scans` and `condition` may come along, recorded as their own endpoints would record them (any bad one refuses the whole request, 422)',
        tags,
        body: z.strictObject({
          caseId: uuid,
          step: z.string().min(1).max(64).optional(),
          itemIds: z.array(uuid).min(1).max(50),
          toPartnerId: uuid,
          toUserId: uuid.optional(),
          toSiteId: uuid.optional(),
          handedOverAt: isoInstant.optional(),
          shipperCode,
          sealIntact: z.boolean().optional(),
          // What a tablet or partner system already has when it opens the hand-off: one request, not
          // one per scan, on a flaky network. Checked as the scans and condition endpoints check them.
          scans: z.array(scanText).min(1).max(50).optional(),
          condition: conditionBody.optional(),
        }),
        response: { 201: z.object({ handoff: anyObject }) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const at = now();
      const loaded = await inTransaction(database, (trx) => openHandoffRecord(trx, actor, request.body, at));
      reply.code(201);
      return { handoff: handoffView(loaded) };
    },
  );

  app.get(
    '/api/custody/handoffs/:id',
    {
      config: { access: { permission: 'custody:read' } },
      schema: {
        summary:
          'One hand-off: scans, condition, signatures (valid on the current version or not) and what blocks it',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: z.object({ handoff: anyObject }) },
      },
    },
    async (request) => ({
      handoff: handoffView(await loadHandoff(database.db, actorOf(request), request.params.id)),
    }),
  );

  app.post(
    '/api/custody/handoffs/:id/scans',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary: 'Record one keyboard-wedge scan (the raw text the scanner typed) and what it matched',
        tags,
        params: z.object({ id: uuid }),
        body: z.strictObject({ scan: scanText }),
        response: { 200: z.object({ scan: anyObject, handoff: anyObject }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const at = now();
      const { scan, loaded } = await inTransaction(database, (trx) =>
        recordScan(trx, actor, request.params.id, request.body.scan, at),
      );
      return { scan, handoff: handoffView(loaded) };
    },
  );

  app.put(
    '/api/custody/handoffs/:id/condition',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary:
          'Record the condition: temperature readings or a data-logger CSV (timestamp,celsius), shipper and seal',
        tags,
        params: z.object({ id: uuid }),
        body: conditionBody,
        response: { 200: z.object({ handoff: anyObject }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const at = now();
      const loaded = await inTransaction(database, (trx) =>
        recordCondition(trx, actor, request.params.id, request.body, at),
      );
      return { handoff: handoffView(loaded) };
    },
  );

  app.post(
    '/api/custody/handoffs/:id/signatures',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary:
          'Sign the hand-off’s current version (Part 11): your password again, the one-time code when enrolled, and the record hash you reviewed. `complete: true` completes the hand-off in the same transaction when this is the last signature it needs; if anything but signatures blocks completion the request is refused (409 naming it, nothing signed); if other signatures are still missing, yours is recorded and `completion.missing` names them',
        tags,
        params: z.object({ id: uuid }),
        body: z.strictObject({
          recordHash: z
            .string()
            .regex(/^[0-9a-f]{64}$/, 'must be the hand-off’s record hash (64 hex digits)'),
          password: z.string().min(1).max(1000),
          oneTimeCode: z
            .string()
            .regex(/^[0-9]{6}$/, 'must be 6 digits')
            .optional(),
          reason: z.string().trim().min(1).max(2000).optional(),
          complete: z.boolean().optional(),
        }),
        response: {
          201: z.object({
            signature: anyObject,
            handoff: anyObject,
            completion: z.object({ outcome: anyObject.nullable(), missing: z.array(anyObject) }).optional(),
          }),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { recordHash, password, oneTimeCode, reason, complete } = request.body;
      const { signature, loaded, completion } = await signHandoff(
        database,
        actor,
        request.params.id,
        {
          recordHash,
          credentials: { password, ...(oneTimeCode ? { oneTimeCode } : {}) },
          reason,
          complete,
        },
        now,
      );
      reply.code(201);
      return { signature, handoff: handoffView(loaded), ...(completion ? { completion } : {}) };
    },
  );

  app.post(
    '/api/custody/handoffs/:id/complete',
    {
      config: { access: { permission: 'custody:handoff' } },
      schema: {
        summary:
          'Complete the hand-off: 409 naming what is missing; an excursion completes it "with excursion" and opens a QA exception',
        tags,
        params: z.object({ id: uuid }),
        response: { 200: z.object({ outcome: anyObject, handoff: anyObject }) },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const at = now();
      const { outcome, loaded } = await inTransaction(database, (trx) =>
        completeHandoff(trx, actor, request.params.id, at),
      );
      return { outcome, handoff: handoffView(loaded) };
    },
  );

  registerBedsideRoute(app, database, now);
  registerLabelRoutes(app, database, now, facility);
  registerDossierRoutes(app, database, now, ledgerKey);
}

function itemView(i: Awaited<ReturnType<typeof findVisibleItem>>) {
  return {
    id: i.id,
    caseId: i.case_id,
    chainOfIdentity: i.chain_of_identity,
    itemType: i.item_type,
    unitCode: i.unit_code,
    din: i.din,
    lot: i.lot,
    description: i.description,
    status: i.status,
    releaseStatus: i.release_status,
    expiresAt: i.expires_at?.toISOString() ?? null,
    parentItemId: i.parent_item_id,
    custodian: { partnerId: i.custodian_partner_id, userId: i.custodian_user_id },
    siteId: i.site_id,
    labelPrints: i.label_prints,
  };
}
