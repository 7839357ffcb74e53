import { createHash, randomUUID } from 'node:crypto';
import { type ExpressionBuilder, type Kysely, type Selectable, sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { CaseParties } from '../cases/case-authorisation.ts';
import { authoriseForParty, isCaseParty } from '../cases/case-authorisation.ts';
import { refusalProblem } from '../cases/case-routes.ts';
import { type CaseState, caseState } from '../cases/case-state.ts';
import { loadEvents, partiesOf, runCaseCommand, visibleCases } from '../cases/case-store.ts';
import type { PartnerType } from '../partners/partner-tables.ts';
import type { Actor } from '../platform/access/actor.ts';
import type { Role } from '../platform/access/roles.ts';
import { appendLedgerEntry, type LedgerAppend } from '../platform/audit/ledger-writer.ts';
import type { Database } from '../platform/db/database.ts';
import type { Schema } from '../platform/db/schema.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import { type FieldError, HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import { jsonbValue } from '../platform/jobs/jsonb-value.ts';
import { enqueueMessage } from '../platform/outbox/outbox-store.ts';
import {
  recordHashOf,
  recordSignature,
  type Signature,
  type SignatureCredentials,
  signatureFromRow,
  verifySignerCredentials,
} from '../signatures/sign-record.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { findTemplate } from '../therapy/template-store.ts';
import { custodyStream } from './chain-of-identity-store.ts';
import {
  ALLOWED_RANGE,
  type ConditionSummary,
  parseDataLoggerCsv,
  rangeForItems,
  shipperQualification,
  summariseReadings,
  type TemperatureReading,
} from './condition.ts';
import { staffActor } from './custody-actors.ts';
import { canonicalScan } from './custody-items.ts';
import type { CustodyTables, ShipperQualification } from './custody-tables.ts';
import {
  type Blocker,
  classifyScan,
  completionBlockers,
  handoffRecord,
  type SignatureRequirement,
  signatureProgress,
  signatureRequirementFor,
} from './handoff-rules.ts';

type Db = Kysely<Schema>;
type StaffActor = Exclude<Actor, { kind: 'system' }>;
type HandoffRow = Selectable<CustodyTables['custody_handoffs']>;

export const HANDOFF_RECORD_TYPE = 'custody_handoff';
/** A signature names the hand-off version it signed: re-signing after an edit is a new record version. */
export const handoffSignatureRecordId = (id: string, version: number) => `${id}:v${version}`;

const isUuid = (value: string) => /^[0-9a-f-]{36}$/i.test(value);

// A template version a case runs on never changes once published (only its status may), so its
// parsed document is kept rather than read and parsed for every hand-off.
const templates = new Map<string, TherapyTemplate>();

async function publishedTemplate(db: Db, code: string, version: number): Promise<TherapyTemplate> {
  const key = `${code}@${version}`;
  const cached = templates.get(key);
  if (cached) return cached;
  const stored = await findTemplate(db, code, version);
  if (!stored) throw new Error(`template ${key} is missing`);
  if (stored.status !== 'draft') {
    if (templates.size > 200) templates.clear();
    templates.set(key, stored.document);
  }
  return stored.document;
}

/** What a hand-off request needs to know of its case, read with the hand-off (one round trip). */
export type HandoffCase = {
  parties: CaseParties;
  templateCode: string;
  templateVersion: number;
  /** The case's projection, written with every transition: which steps are open, its status. */
  status: string;
  openSteps: string[];
  toPartnerType: PartnerType;
  /** Where a signature on it is given (to-site's zone, else the signer's partner's first site); when asked for. */
  signingTimeZone: string | null;
};

const signaturesJson = (eb: ExpressionBuilder<Schema & { h: HandoffRow }, 'h'>, handoffId: string) =>
  jsonArrayFrom(
    eb
      .selectFrom('signatures as g')
      .selectAll('g')
      .where('g.record_type', '=', HANDOFF_RECORD_TYPE)
      .where('g.record_id', 'like', `${handoffId}:v%`)
      .orderBy('g.signed_at')
      .orderBy('g.id'),
  ).as('signatures_json');

// JSON carries instants as text: back to Date, as the row types say.
const asDate = (value: unknown) => (value === null || value === undefined ? null : new Date(value as string));

const signaturesFromJson = (
  rows: ReadonlyArray<Omit<Selectable<Schema['signatures']>, 'signed_at'> & { signed_at: unknown }>,
) => rows.map((g) => signatureFromRow({ ...g, signed_at: asDate(g.signed_at) as Date }));

/**
 * A hand-off of a case the actor takes part in, with its items, scans, signatures and what the
 * request needs of its case; or 404. One statement (the lists as JSON arrays, the case joined): a
 * hand-off is read on every scan and signature, and round trips, not rows, are what such a request
 * costs. `signingFor`: the partner of a signer, to read the zone the signature is given in.
 */
export async function loadHandoff(
  db: Db,
  actor: Actor,
  handoffId: string,
  options: boolean | { forUpdate?: boolean; signingFor?: string } = {},
) {
  const { forUpdate = false, signingFor } = typeof options === 'boolean' ? { forUpdate: options } : options;
  if (!isUuid(handoffId)) throw notFound('The hand-off');
  let query = db
    .selectFrom('custody_handoffs as h')
    .innerJoin('cases as c', 'c.id', 'h.case_id')
    .selectAll('h')
    .select([
      'c.treatment_centre_partner_id',
      'c.sponsor_partner_id',
      'c.collection_centre_partner_id',
      'c.manufacturing_site_partner_id',
      'c.courier_partner_id',
      'c.laboratory_partner_id',
      'c.template_code',
      'c.template_version',
      'c.status as case_status',
      'c.current_steps as case_current_steps',
    ])
    .select((eb) => [
      eb
        .selectFrom('partners as p')
        .select('p.type')
        .whereRef('p.id', '=', 'h.to_partner_id')
        .$asScalar()
        .as('to_partner_type'),
      signingFor === undefined
        ? sql<string | null>`null`.as('signing_time_zone')
        : sql<string | null>`case when h.to_site_id is not null
            then (select s.time_zone from sites s where s.id = h.to_site_id)
            else (select s.time_zone from sites s where s.partner_id = ${signingFor} order by s.code limit 1) end`.as(
            'signing_time_zone',
          ),
      jsonArrayFrom(
        eb
          .selectFrom('custody_handoff_items as hi')
          .innerJoin('custody_items as i', 'i.id', 'hi.item_id')
          .selectAll('i')
          .whereRef('hi.handoff_id', '=', 'h.id')
          .orderBy('i.unit_code'),
      ).as('items_json'),
      jsonArrayFrom(
        eb
          .selectFrom('custody_scans as s')
          .selectAll('s')
          .whereRef('s.handoff_id', '=', 'h.id')
          .orderBy('s.scanned_at')
          .orderBy('s.id'),
      ).as('scans_json'),
      signaturesJson(eb, handoffId),
    ])
    .where('h.id', '=', handoffId)
    .where('h.case_id', 'in', visibleCases(db, actor).select('cases.id'));
  if (forUpdate) query = query.forUpdate('h');
  const found = await query.executeTakeFirst();
  if (!found) throw notFound('The hand-off');
  const {
    items_json,
    scans_json,
    signatures_json,
    treatment_centre_partner_id,
    sponsor_partner_id,
    collection_centre_partner_id,
    manufacturing_site_partner_id,
    courier_partner_id,
    laboratory_partner_id,
    template_code,
    template_version,
    case_status,
    case_current_steps,
    to_partner_type,
    signing_time_zone,
    ...row
  } = found;
  const items = items_json.map((i) => ({
    ...i,
    expires_at: asDate(i.expires_at),
    created_at: asDate(i.created_at) as Date,
    updated_at: asDate(i.updated_at) as Date,
  }));
  const scans = scans_json.map((x) => ({ ...x, scanned_at: asDate(x.scanned_at) as Date }));
  const caseOf: HandoffCase = {
    parties: partiesOf({
      treatment_centre_partner_id,
      sponsor_partner_id,
      collection_centre_partner_id,
      manufacturing_site_partner_id,
      courier_partner_id,
      laboratory_partner_id,
    }),
    templateCode: template_code,
    templateVersion: template_version,
    status: case_status,
    openSteps: openStepKeys(case_current_steps),
    toPartnerType: to_partner_type as PartnerType,
    signingTimeZone: signing_time_zone,
  };
  return { row: row as HandoffRow, items, scans, signatures: signaturesFromJson(signatures_json), caseOf };
}

const openStepKeys = (currentSteps: unknown) =>
  ((currentSteps as { steps?: Array<{ key: string }> } | null)?.steps ?? []).map((s) => s.key);

/** The hand-off row locked, with its signatures: what a signing transaction re-checks. */
async function lockedHandoff(trx: Tx, handoffId: string) {
  const found = await trx
    .selectFrom('custody_handoffs as h')
    .selectAll('h')
    .select((eb) => signaturesJson(eb, handoffId))
    .where('h.id', '=', handoffId)
    .forUpdate('h')
    .executeTakeFirstOrThrow();
  const { signatures_json, ...row } = found;
  return { row: row as HandoffRow, signatures: signaturesFromJson(signatures_json) };
}
export type LoadedHandoff = Awaited<ReturnType<typeof loadHandoff>>;

const requirementOf = (row: HandoffRow) => row.signature_requirement as unknown as SignatureRequirement;
const conditionOf = (row: HandoffRow) => (row.condition as unknown as ConditionSummary | null) ?? null;

function recordOf(loaded: Pick<LoadedHandoff, 'row' | 'items' | 'scans'>, version: number) {
  const { row } = loaded;
  return handoffRecord({
    id: row.id,
    caseId: row.case_id,
    chainOfIdentity: row.chain_of_identity,
    step: row.step,
    version,
    from: { partnerId: row.from_partner_id, userId: row.from_user_id },
    to: { partnerId: row.to_partner_id, userId: row.to_user_id, siteId: row.to_site_id },
    handedOverAt: row.handed_over_at.toISOString(),
    items: loaded.items.map((i) => i.id),
    scans: loaded.scans.map((s) => ({
      id: s.id,
      normalised: s.normalised,
      result: s.result,
      itemId: s.matched_item_id,
    })),
    condition: conditionOf(row),
    shipper:
      row.shipper_code && row.shipper_qualification
        ? { code: row.shipper_code, qualification: row.shipper_qualification }
        : null,
    sealIntact: row.seal_intact,
    requirement: requirementOf(row),
  });
}

/** Where it stands: signatures on the current version, what still blocks completion. */
export function handoffStatus(loaded: LoadedHandoff) {
  const { row } = loaded;
  const requirement = requirementOf(row);
  const currentRecordId = handoffSignatureRecordId(row.id, row.version);
  const current = loaded.signatures.filter(
    (s) => s.recordId === currentRecordId && s.recordHash === row.record_hash,
  );
  const progress = signatureProgress(requirement, current, row.record_hash);
  const blockers = completionBlockers({
    status: row.status,
    items: loaded.items.map((i) => ({
      id: i.id,
      unitCode: i.unit_code,
      needsCondition: ALLOWED_RANGE[i.item_type] !== null,
    })),
    scans: loaded.scans.map((s) => ({
      result: s.result,
      itemId: s.matched_item_id,
      normalised: s.normalised,
    })),
    condition: conditionOf(row),
    shipper:
      row.shipper_code && row.shipper_qualification
        ? { code: row.shipper_code, qualification: row.shipper_qualification }
        : null,
    sealIntact: row.seal_intact,
    signatures: progress,
  });
  return { requirement, progress, current, blockers };
}

export function handoffView(loaded: LoadedHandoff) {
  const { row } = loaded;
  const status = handoffStatus(loaded);
  const currentIds = new Set(status.current.map((s) => s.id));
  return {
    id: row.id,
    caseId: row.case_id,
    chainOfIdentity: row.chain_of_identity,
    step: row.step,
    status: row.status,
    version: row.version,
    recordHash: row.record_hash,
    from: { partnerId: row.from_partner_id, userId: row.from_user_id },
    to: { partnerId: row.to_partner_id, userId: row.to_user_id, siteId: row.to_site_id },
    handedOverAt: row.handed_over_at.toISOString(),
    items: loaded.items.map((i) => ({ id: i.id, itemType: i.item_type, unitCode: i.unit_code, din: i.din })),
    scans: loaded.scans.map((s) => ({
      id: s.id,
      scanned: s.normalised,
      result: s.result,
      matchedItemId: s.matched_item_id,
      scannedAt: s.scanned_at.toISOString(),
    })),
    condition: conditionOf(row),
    shipper: row.shipper_code ? { code: row.shipper_code, qualification: row.shipper_qualification } : null,
    sealIntact: row.seal_intact,
    signatureRequirement: status.requirement,
    signatures: loaded.signatures.map((s) => ({
      id: s.id,
      signerName: s.signerName,
      signerRole: s.signerRole,
      meaning: s.meaning,
      signedAt: s.signedAt,
      signedAtLocal: s.signedAtLocal,
      manifestation: s.manifestation,
      recordHash: s.recordHash,
      valid: currentIds.has(s.id),
    })),
    signaturesGiven: status.progress.given,
    nextSignerRoles: status.progress.nextRoles,
    blockers: status.blockers,
    openedAt: row.opened_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    exceptionId: row.exception_id,
  };
}
export type HandoffView = ReturnType<typeof handoffView>;

/** The next version of an edited hand-off and its hash; signatures on the old version no longer count. */
function nextVersion(edited: Pick<LoadedHandoff, 'row' | 'items' | 'scans'>) {
  const version = edited.row.version + 1;
  return { version, record_hash: recordHashOf(recordOf(edited, version)) };
}

function requireParty(actor: StaffActor, row: HandoffRow) {
  if (actor.partnerId !== row.from_partner_id && actor.partnerId !== row.to_partner_id)
    throw new HttpProblem(403, 'only the handing-over or the receiving partner works on a hand-off');
}

function requireDraft(row: HandoffRow) {
  if (row.status !== 'draft')
    throw new HttpProblem(409, `the hand-off is already ${row.status.replaceAll('_', ' ')}`);
}

export type ConditionInput = {
  readings?: TemperatureReading[] | undefined;
  dataLogger?: { fileName: string; text?: string | undefined; base64?: string | undefined } | undefined;
  shipperCode?: string | undefined;
  sealIntact?: boolean | undefined;
};

export type OpenHandoffInput = {
  caseId: string;
  step?: string | undefined;
  itemIds: string[];
  toPartnerId: string;
  toUserId?: string | undefined;
  toSiteId?: string | undefined;
  handedOverAt?: string | undefined;
  shipperCode?: string | undefined;
  sealIntact?: boolean | undefined;
  /** Raw scanned texts, recorded in order as if sent one by one to the scans endpoint. */
  scans?: string[] | undefined;
  /** The condition, recorded after the scans as the condition endpoint would. */
  condition?: ConditionInput | undefined;
};

/** Opens a draft hand-off of units from their current custodian to a partner of the case. */
export async function openHandoff(
  trx: Tx,
  actor: StaffActor,
  input: OpenHandoffInput,
  now: Date,
): Promise<string> {
  return (await openHandoffRecord(trx, actor, input, now)).row.id;
}

/**
 * Opens a draft hand-off and records the scans and condition sent with it, exactly as the scans and
 * condition endpoints would (each a new version with its own ledger entry; a mismatched scan is
 * recorded and blocks completion), but worked out in memory first and written once: a scan that
 * is empty once the scanner's prefixes are removed, or a data-logger file that does not parse,
 * refuses the whole request (422) before anything is written. Returns the hand-off as a reload
 * would, without reading it again.
 */
export async function openHandoffRecord(
  trx: Tx,
  actor: StaffActor,
  input: OpenHandoffInput,
  now: Date,
): Promise<LoadedHandoff> {
  const handedOverAt = input.handedOverAt ? new Date(input.handedOverAt) : now;
  // The case with its chain of identity, the shipper and the receiving person and site: one round trip.
  const caseRow = isUuid(input.caseId)
    ? await visibleCases(trx, actor)
        .selectAll('cases')
        .select((eb) => [
          eb
            .selectFrom('chains_of_identity as coi')
            .select('coi.chain_of_identity')
            .whereRef('coi.case_id', '=', 'cases.id')
            .$asScalar()
            .as('coi'),
          eb
            .selectFrom('partners as p')
            .select('p.type')
            .where('p.id', '=', isUuid(input.toPartnerId) ? input.toPartnerId : null)
            .$asScalar()
            .as('to_partner_type'),
          input.shipperCode
            ? eb
                .selectFrom('shippers as sh')
                .select('sh.qualified_until')
                .where('sh.code', '=', input.shipperCode)
                .$asScalar()
                .as('shipper_qualified_until')
            : sql<string | null>`null`.as('shipper_qualified_until'),
          input.toUserId && isUuid(input.toUserId)
            ? eb
                .exists(
                  eb
                    .selectFrom('users as u')
                    .select('u.id')
                    .where('u.id', '=', input.toUserId)
                    .where('u.partner_id', '=', input.toPartnerId),
                )
                .as('to_user_ok')
            : sql<boolean>`false`.as('to_user_ok'),
          input.toSiteId && isUuid(input.toSiteId)
            ? eb
                .exists(
                  eb
                    .selectFrom('sites as st')
                    .select('st.id')
                    .where('st.id', '=', input.toSiteId)
                    .where('st.partner_id', '=', input.toPartnerId),
                )
                .as('to_site_ok')
            : sql<boolean>`false`.as('to_site_ok'),
        ])
        .where('cases.id', '=', input.caseId)
        .executeTakeFirst()
    : undefined;
  if (!caseRow) throw notFound('The case');
  const parties = partiesOf(caseRow);
  const template = await publishedTemplate(trx, caseRow.template_code, caseRow.template_version);
  if (input.step !== undefined) {
    if (!template.stages.some((s) => s.steps.some((st) => st.key === input.step)))
      throw invalidInput([{ field: 'body.step', reason: `no step ${input.step} in ${template.code}` }]);
    // The case's projection of its open steps, written with every transition: no event fold needed.
    if (!openStepKeys(caseRow.current_steps).includes(input.step))
      throw new HttpProblem(409, `step ${input.step} is not open on this case`);
  }
  const ids = [...new Set(input.itemIds)];
  const items = await trx
    .selectFrom('custody_items')
    .selectAll()
    .where(
      'id',
      'in',
      ids.filter(isUuid).length ? ids.filter(isUuid) : ['00000000-0000-0000-0000-000000000000'],
    )
    .where('case_id', '=', caseRow.id)
    .forUpdate()
    .execute();
  // As a reload lists them.
  items.sort((a, b) => (a.unit_code < b.unit_code ? -1 : a.unit_code > b.unit_code ? 1 : 0));
  const missing = ids.filter((id) => !items.some((i) => i.id === id));
  if (missing.length > 0)
    throw invalidInput([{ field: 'body.itemIds', reason: `not units of this case: ${missing.join(', ')}` }]);
  const gone = items.filter((i) => i.status === 'infused' || i.status === 'discarded');
  if (gone.length > 0)
    throw new HttpProblem(
      409,
      `${gone.map((i) => i.unit_code).join(', ')} can no longer be handed over (${gone[0]?.status})`,
    );
  const custodians = new Set(items.map((i) => i.custodian_partner_id));
  if (custodians.size !== 1)
    throw invalidInput([{ field: 'body.itemIds', reason: 'the units are held by different custodians' }]);
  const fromPartnerId = items[0]?.custodian_partner_id as string;
  const fromUserId = items[0]?.custodian_user_id ?? null;
  if (!isCaseParty(parties, input.toPartnerId))
    throw invalidInput([{ field: 'body.toPartnerId', reason: 'must be a partner of this case' }]);
  if (input.toPartnerId === fromPartnerId)
    throw invalidInput([{ field: 'body.toPartnerId', reason: 'the units are already held by this partner' }]);
  if (actor.partnerId !== fromPartnerId && actor.partnerId !== input.toPartnerId)
    throw new HttpProblem(403, 'a hand-off is recorded by the handing-over or the receiving partner');
  const range = rangeForItems(items.map((i) => i.item_type));
  if (!range.ok) throw invalidInput([{ field: 'body.itemIds', reason: range.reason }]);
  if (input.toUserId && !caseRow.to_user_ok)
    throw invalidInput([{ field: 'body.toUserId', reason: 'must be a person of the receiving partner' }]);
  if (input.toSiteId && !caseRow.to_site_ok)
    throw invalidInput([{ field: 'body.toSiteId', reason: 'must be a site of the receiving partner' }]);
  const shipper = input.shipperCode
    ? {
        code: input.shipperCode,
        qualification: shipperQualification(
          { qualified_until: caseRow.shipper_qualified_until ?? null },
          handedOverAt,
        ),
      }
    : null;
  const requirement = signatureRequirementFor(template, input.step ?? null, {
    country: caseRow.country,
    siteId: caseRow.site_id,
  });
  if (!caseRow.coi)
    throw new HttpProblem(409, 'the case has no chain of identity yet: record its first unit');
  const id = randomUUID();
  const row: HandoffRow = {
    id,
    case_id: caseRow.id,
    chain_of_identity: caseRow.coi,
    step: input.step ?? null,
    status: 'draft',
    version: 1,
    record_hash: '',
    from_partner_id: fromPartnerId,
    from_user_id: fromUserId,
    to_partner_id: input.toPartnerId,
    to_user_id: input.toUserId ?? null,
    to_site_id: input.toSiteId ?? null,
    handed_over_at: handedOverAt,
    shipper_code: shipper?.code ?? null,
    shipper_qualification: shipper?.qualification ?? null,
    seal_intact: input.sealIntact ?? null,
    condition: null,
    signature_requirement: requirement as unknown as JsonObject,
    opened_by: actor.id,
    opened_at: now,
    completed_by: null,
    completed_at: null,
    exception_id: null,
  };
  row.record_hash = recordHashOf(recordOf({ row, items, scans: [] }, 1));
  let loaded: LoadedHandoff = {
    row,
    items,
    scans: [],
    signatures: [],
    caseOf: {
      parties,
      templateCode: caseRow.template_code,
      templateVersion: caseRow.template_version,
      status: caseRow.status,
      openSteps: openStepKeys(caseRow.current_steps),
      toPartnerType: caseRow.to_partner_type as PartnerType,
      signingTimeZone: null,
    },
  };
  const ledger: LedgerAppend[] = [
    {
      stream: custodyStream(row.chain_of_identity),
      actor,
      action: 'custody.handoff_opened',
      recordType: HANDOFF_RECORD_TYPE,
      recordId: id,
      after: {
        ...recordOf({ row, items, scans: [] }, 1),
        recordHash: row.record_hash,
        units: items.map((i) => i.unit_code),
      },
    },
  ];
  // Every scan and the condition worked out before anything is written; all bad items named at once.
  const errors: FieldError[] = [];
  const scanned = (input.scans ?? []).map((raw, index) => {
    const normalised = canonicalScan(raw);
    if (normalised.length === 0)
      errors.push({ field: `body.scans.${index}`, reason: 'is empty after removing scanner prefixes' });
    return { raw, normalised };
  });
  let condition: PlannedCondition | undefined;
  if (input.condition) {
    const planned = planCondition(loaded, input.condition, 'body.condition');
    if ('error' in planned) errors.push(planned.error);
    else condition = planned;
  }
  if (errors.length > 0) throw invalidInput(errors);
  for (const { raw, normalised } of scanned) {
    const planned = planScan(loaded, actor, raw, normalised, now);
    loaded = planned.loaded;
    ledger.push(planned.ledger);
  }
  if (condition) {
    const shipperChange =
      input.condition?.shipperCode !== undefined
        ? await shipperState(trx, input.condition.shipperCode, row.handed_over_at)
        : undefined;
    const applied = applyCondition(loaded, actor, condition, shipperChange);
    loaded = applied.loaded;
    ledger.push(applied.ledger);
  }
  // One statement for the hand-off, its units, scans and readings (PostgreSQL checks the foreign
  // keys between them at its end): round trips are what this request costs beyond its checks.
  const readings = condition?.readings ?? [];
  const inline = readings.length <= 1000 ? readings : [];
  await trx
    .with('new_handoff', (db) =>
      db
        .insertInto('custody_handoffs')
        .values({
          ...loaded.row,
          condition: loaded.row.condition ? jsonbValue(loaded.row.condition).value : null,
          signature_requirement: jsonbValue(requirement as unknown as JsonObject).value,
        })
        .returning('id'),
    )
    .with('new_items', (db) =>
      db
        .insertInto('custody_handoff_items')
        .values(items.map((i) => ({ handoff_id: id, item_id: i.id })))
        .returning('item_id'),
    )
    .with('new_scans', (db) =>
      loaded.scans.length > 0
        ? db.insertInto('custody_scans').values(loaded.scans).returning('id')
        : db.selectNoFrom(sql<string>`null`.as('id')),
    )
    .with('new_readings', (db) =>
      inline.length > 0
        ? db
            .insertInto('custody_temperature_readings')
            .values(inline.map((r) => ({ handoff_id: id, at: new Date(r.at), celsius: r.celsius })))
            .returning('handoff_id')
        : db.selectNoFrom(sql<string>`null`.as('handoff_id')),
    )
    .selectNoFrom(sql<number>`1`.as('written'))
    .execute();
  if (inline.length === 0 && readings.length > 0) await insertReadings(trx, id, readings);
  for (const change of ledger) await appendLedgerEntry(trx, change, now);
  // As a reload lists them: by time, then id.
  loaded.scans.sort((a, b) => a.scanned_at.getTime() - b.scanned_at.getTime() || (a.id < b.id ? -1 : 1));
  return loaded;
}

async function shipperState(db: Db, code: string, on: Date) {
  const shipper = await db
    .selectFrom('shippers')
    .select('qualified_until')
    .where('code', '=', code)
    .executeTakeFirst();
  return { code, qualification: shipperQualification(shipper, on) };
}

type ScanRow = LoadedHandoff['scans'][number];

/** One scan as the next version of the hand-off, in memory: the row, the new version and its ledger entry. */
function planScan(loaded: LoadedHandoff, actor: StaffActor, raw: string, normalised: string, now: Date) {
  const { row, items } = loaded;
  const match = classifyScan(
    normalised,
    items.map((i) => ({ id: i.id, unitCode: i.unit_code, din: i.din })),
    row.chain_of_identity,
  );
  const scan: ScanRow = {
    id: randomUUID(),
    handoff_id: row.id,
    raw_text: raw.slice(0, 500),
    normalised,
    result: match.result,
    matched_item_id: match.itemId,
    scanned_by: actor.id,
    scanned_at: now,
  };
  const scans = [...loaded.scans, scan];
  const next = nextVersion({ row, items, scans });
  const updated: LoadedHandoff = { ...loaded, scans, row: { ...row, ...next } };
  const ledger: LedgerAppend = {
    stream: custodyStream(row.chain_of_identity),
    actor,
    action: match.result === 'mismatch' ? 'custody.scan_mismatched' : 'custody.scan_matched',
    recordType: HANDOFF_RECORD_TYPE,
    recordId: row.id,
    after: {
      scanId: scan.id,
      scanned: normalised,
      result: match.result,
      itemId: match.itemId,
      recordHash: next.record_hash,
    },
  };
  return { scan, next, loaded: updated, ledger, match };
}

/** Records one keyboard-wedge scan (raw text) and what it matched; a mismatch blocks completion. */
export async function recordScan(trx: Tx, actor: StaffActor, handoffId: string, raw: string, now: Date) {
  const loaded = await loadHandoff(trx, actor, handoffId, true);
  requireParty(actor, loaded.row);
  requireDraft(loaded.row);
  const normalised = canonicalScan(raw);
  if (normalised.length === 0)
    throw invalidInput([{ field: 'body.scan', reason: 'is empty after removing scanner prefixes' }]);
  const planned = planScan(loaded, actor, raw, normalised, now);
  await trx.insertInto('custody_scans').values(planned.scan).execute();
  await trx.updateTable('custody_handoffs').set(planned.next).where('id', '=', handoffId).execute();
  await appendLedgerEntry(trx, planned.ledger, now);
  return {
    scan: {
      scanId: planned.scan.id,
      result: planned.match.result,
      matchedItemId: planned.match.itemId,
      scanned: normalised,
    },
    loaded: planned.loaded,
  };
}

type PlannedCondition = { readings?: TemperatureReading[]; summary?: ConditionSummary; sealIntact?: boolean };

/** The condition as given, checked and summarised (no database): a data-logger file that does not parse is named. */
function planCondition(
  loaded: Pick<LoadedHandoff, 'items'>,
  input: ConditionInput,
  field: string,
): PlannedCondition | { error: FieldError } {
  let readings: TemperatureReading[] | undefined = input.readings;
  let source: { kind: 'readings' | 'data_logger'; fileName?: string; fileSha256?: string } = {
    kind: 'readings',
  };
  if (input.dataLogger) {
    const text =
      input.dataLogger.text ??
      (input.dataLogger.base64 !== undefined
        ? Buffer.from(input.dataLogger.base64, 'base64').toString('utf8')
        : '');
    const parsed = parseDataLoggerCsv(text);
    if (!parsed.ok) return { error: { field: `${field}.dataLogger`, reason: parsed.reason } };
    readings = parsed.readings;
    source = {
      kind: 'data_logger',
      fileName: input.dataLogger.fileName,
      fileSha256: createHash('sha256').update(text).digest('hex'),
    };
  }
  const range = rangeForItems(loaded.items.map((i) => i.item_type));
  const summary =
    readings && readings.length > 0 && range.ok
      ? summariseReadings(readings, range.range, source)
      : undefined;
  return {
    ...(summary && readings ? { readings, summary } : {}),
    ...(input.sealIntact !== undefined ? { sealIntact: input.sealIntact } : {}),
  };
}

/** The planned condition as the next version of the hand-off, in memory, with its ledger entry. */
function applyCondition(
  loaded: LoadedHandoff,
  actor: StaffActor,
  planned: PlannedCondition,
  shipper: { code: string; qualification: ShipperQualification } | undefined,
) {
  const { row, items } = loaded;
  const changes: Partial<HandoffRow> = {};
  if (shipper) {
    changes.shipper_code = shipper.code;
    changes.shipper_qualification = shipper.qualification;
  }
  if (planned.sealIntact !== undefined) changes.seal_intact = planned.sealIntact;
  const { summary } = planned;
  const edited = { ...row, ...changes, ...(summary ? { condition: summary as unknown as JsonObject } : {}) };
  const next = nextVersion({ row: edited, items, scans: loaded.scans });
  const updated: LoadedHandoff = { ...loaded, row: { ...edited, ...next } };
  const ledger: LedgerAppend = {
    stream: custodyStream(row.chain_of_identity),
    actor,
    action: 'custody.condition_recorded',
    recordType: HANDOFF_RECORD_TYPE,
    recordId: row.id,
    after: {
      condition: summary ?? null,
      shipper: updated.row.shipper_code
        ? { code: updated.row.shipper_code, qualification: updated.row.shipper_qualification }
        : null,
      sealIntact: updated.row.seal_intact,
      recordHash: updated.row.record_hash,
    },
  };
  return { changes, next, loaded: updated, ledger };
}

async function insertReadings(trx: Tx, handoffId: string, readings: readonly TemperatureReading[]) {
  for (let start = 0; start < readings.length; start += 1000)
    await trx
      .insertInto('custody_temperature_readings')
      .values(
        readings
          .slice(start, start + 1000)
          .map((r) => ({ handoff_id: handoffId, at: new Date(r.at), celsius: r.celsius })),
      )
      .execute();
}

/** Records the condition of the transfer: readings or a data-logger file, the shipper and the seal. */
export async function recordCondition(
  trx: Tx,
  actor: StaffActor,
  handoffId: string,
  input: ConditionInput,
  now: Date,
) {
  const loaded = await loadHandoff(trx, actor, handoffId, true);
  requireParty(actor, loaded.row);
  requireDraft(loaded.row);
  const planned = planCondition(loaded, input, 'body');
  if ('error' in planned) throw invalidInput([planned.error]);
  const shipper =
    input.shipperCode !== undefined
      ? await shipperState(trx, input.shipperCode, loaded.row.handed_over_at)
      : undefined;
  const applied = applyCondition(loaded, actor, planned, shipper);
  if (planned.readings) {
    await trx.deleteFrom('custody_temperature_readings').where('handoff_id', '=', handoffId).execute();
    await insertReadings(trx, handoffId, planned.readings);
  }
  await trx
    .updateTable('custody_handoffs')
    .set({
      ...applied.changes,
      ...applied.next,
      ...(planned.summary ? { condition: jsonbValue(planned.summary as unknown as JsonObject).value } : {}),
    })
    .where('id', '=', handoffId)
    .execute();
  await appendLedgerEntry(trx, applied.ledger, now);
  return applied.loaded;
}

/** The role a signer signs in, and whether they belong to the partner the gate names. */
function signerRoleFor(
  actor: StaffActor,
  requirement: SignatureRequirement,
  nextRoles: readonly Role[],
  parties: Parameters<typeof authoriseForParty>[1],
): Role {
  const role = nextRoles.find((r) => actor.roles.includes(r));
  if (!role)
    throw new HttpProblem(403, `“${requirement.meaning}” is signed next by ${nextRoles.join(' or ')}`, {
      extensions: { requiredRoles: [...nextRoles] },
    });
  if (requirement.partnerType) {
    const auth = authoriseForParty(
      { userId: actor.id, partnerId: actor.partnerId, partnerType: actor.partnerType, roles: actor.roles },
      parties,
      role,
      requirement.partnerType as PartnerType,
    );
    if (!auth.ok) throw new HttpProblem(403, auth.reason);
  }
  return role;
}

/**
 * Signs the hand-off's current version: the role and partner are checked first (403), then the
 * password and one-time code outside any transaction (401, nothing signed), then — locked — the
 * record must still be the version signed (409: an edit or another record's hash), and the
 * signature with its ledger entry is written.
 *
 * `complete`: complete the hand-off in the same transaction when this signature is the last one it
 * needs. Anything else that blocks completion (a unit not scanned, a mismatch, no condition, an
 * expired shipper, a broken seal) refuses the request before the password is checked (409 naming
 * what is missing, nothing signed): fixing any of them makes a new version, on which this signature
 * would no longer count. When only other people's signatures are still missing, the signature is
 * recorded and `completion.missing` says whose are.
 */
export async function signHandoff(
  database: Database,
  actor: StaffActor,
  handoffId: string,
  input: {
    recordHash: string;
    credentials: SignatureCredentials;
    reason?: string | undefined;
    complete?: boolean | undefined;
  },
  now: () => Date,
): Promise<{ signature: Signature; loaded: LoadedHandoff; completion: SignedCompletion | null }> {
  const first = await loadHandoff(database.db, actor, handoffId, { signingFor: actor.partnerId });
  requireDraft(first.row);
  const status = handoffStatus(first);
  if (status.requirement.count === 0) throw new HttpProblem(409, 'this hand-off takes no signatures');
  if (status.progress.complete) throw new HttpProblem(409, 'all signatures on this hand-off are given');
  if (input.recordHash !== first.row.record_hash)
    throw new HttpProblem(
      409,
      'the signature is for another record or version (the hash does not match this hand-off)',
      {
        extensions: { expectedRecordHash: first.row.record_hash },
      },
    );
  const role = signerRoleFor(actor, status.requirement, status.progress.nextRoles, first.caseOf.parties);
  if (status.current.some((s) => s.signerUserId === actor.id))
    throw new HttpProblem(409, 'each signature on a hand-off must be by a different person');
  if (input.complete) {
    requireParty(actor, first.row);
    const blocking = status.blockers.filter((b) => b.what !== 'signatures');
    if (blocking.length > 0) throw incompleteProblem(blocking);
  }
  const verified = await verifySignerCredentials(
    database,
    {
      signer: actor,
      credentials: input.credentials,
      meaning: status.requirement.meaning,
      recordType: HANDOFF_RECORD_TYPE,
      recordId: handoffSignatureRecordId(handoffId, first.row.version),
      recordHash: input.recordHash,
      requiredRoles: [role],
      ...(first.caseOf.signingTimeZone ? { siteTimeZone: first.caseOf.signingTimeZone } : {}),
      ...(input.reason ? { reason: input.reason } : {}),
      ledgerStream: custodyStream(first.row.chain_of_identity),
    },
    now(),
  );
  return inTransaction(database, async (trx) => {
    // The row lock and the signatures: items and scans are those read above whenever the hash is unchanged.
    const locked: LoadedHandoff = { ...first, ...(await lockedHandoff(trx, handoffId)) };
    requireDraft(locked.row);
    if (locked.row.record_hash !== input.recordHash)
      throw new HttpProblem(409, 'the hand-off changed while you signed: review it and sign again', {
        extensions: { expectedRecordHash: locked.row.record_hash },
      });
    const lockedStatus = handoffStatus(locked);
    if (lockedStatus.progress.complete)
      throw new HttpProblem(409, 'all signatures on this hand-off are given');
    if (!lockedStatus.progress.nextRoles.includes(role))
      throw new HttpProblem(409, `the next signature is by ${lockedStatus.progress.nextRoles.join(' or ')}`);
    const at = now();
    const signature = await recordSignature(trx, verified, at);
    const signed: LoadedHandoff = { ...locked, signatures: [...locked.signatures, signature] };
    if (!input.complete) return { signature, loaded: signed, completion: null };
    const missing = handoffStatus(signed).blockers;
    if (missing.length > 0) {
      // Unchanged hash, unchanged content: only signatures can still be missing; anything else refuses all.
      if (missing.some((b) => b.what !== 'signatures')) throw incompleteProblem(missing);
      return { signature, loaded: signed, completion: { outcome: null, missing } };
    }
    const completed = await completeLoaded(trx, actor, signed, at);
    return { signature, loaded: completed.loaded, completion: { outcome: completed.outcome, missing: [] } };
  });
}

/** What `complete: true` on a signature did: the completion, or (outcome null) the signatures still missing. */
export type SignedCompletion = { outcome: CompletionOutcome | null; missing: Blocker[] };

const incompleteProblem = (blockers: readonly Blocker[]) =>
  new HttpProblem(409, `the hand-off cannot complete: ${blockers.map((b) => b.detail).join('; ')}`, {
    title: 'Hand-off incomplete',
    extensions: { missing: blockers },
  });

async function alertRecipients(trx: Tx, caseId: string, roles: readonly Role[]) {
  const caseRow = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
  const partnerIds = [
    caseRow.treatment_centre_partner_id,
    caseRow.sponsor_partner_id,
    caseRow.collection_centre_partner_id,
    caseRow.manufacturing_site_partner_id,
    caseRow.courier_partner_id,
    caseRow.laboratory_partner_id,
  ].filter((p): p is string => Boolean(p));
  const users = await trx
    .selectFrom('users')
    .select(['id', 'email', 'roles'])
    .where('partner_id', 'in', partnerIds)
    .where('active', '=', true)
    .execute();
  return {
    caseRow,
    users: users.filter(
      (u) => u.id === caseRow.case_owner_user_id || roles.some((r) => (u.roles as string[]).includes(r)),
    ),
  };
}

/** In-app and email alerts to QA (and the case manager) about a custody event, in the caller's transaction. */
export async function alertCustodyEvent(
  trx: Tx,
  caseId: string,
  roles: readonly Role[],
  message: { key: string; subject: string; body: string; record: { type: string; id: string } },
): Promise<number> {
  const { users, caseRow } = await alertRecipients(trx, caseId, roles);
  for (const user of users) {
    const payload = {
      caseId,
      caseReference: caseRow.reference,
      recordType: message.record.type,
      recordId: message.record.id,
    };
    await enqueueMessage(trx, {
      channel: 'in_app',
      recipient: user.id,
      body: message.body,
      payload,
      idempotencyKey: `${message.key}:in_app:${user.id}`,
      relatedRecord: message.record,
    });
    await enqueueMessage(trx, {
      channel: 'email',
      recipient: user.email,
      subject: message.subject,
      body: `${message.body}\n\nOpen case ${caseRow.reference} in Cellway.`,
      payload,
      idempotencyKey: `${message.key}:email:${user.id}`,
      relatedRecord: message.record,
    });
  }
  return users.length;
}

export type CompletionOutcome = {
  status: 'completed' | 'completed_with_excursion';
  custodyConfirmedOnStep: string | null;
  exceptionId: string | null;
  deviationId: string | null;
  /** Hand-off signatures that also fulfilled the step's signature gate on the case. */
  stepSignaturesRecorded: number;
};

/**
 * Completes a hand-off: refused (409 naming every blocker) while a unit is unscanned, a scan did
 * not match, condition data is missing, the shipper's qualification has expired, the seal is
 * broken or a signature is missing. Otherwise, in one transaction: the units change custodian and
 * place; the case step's custody gate is confirmed; and a temperature excursion completes it "with
 * excursion" — the material did move — while it quarantines the case through the step's
 * temperature_excursion exception, records a deviation and alerts QA.
 */
export async function completeHandoff(
  trx: Tx,
  actor: StaffActor,
  handoffId: string,
  now: Date,
): Promise<{ outcome: CompletionOutcome; loaded: LoadedHandoff }> {
  return completeLoaded(trx, actor, await loadHandoff(trx, actor, handoffId, true), now);
}

/** The case's state as its pinned template folds its events (the template is cached: it never changes). */
type CaseNow = { template: TherapyTemplate; state: CaseState };

async function caseNowOf(trx: Tx, caseOf: HandoffCase, caseId: string): Promise<CaseNow> {
  const template = await publishedTemplate(trx, caseOf.templateCode, caseOf.templateVersion);
  return { template, state: caseState(template, await loadEvents(trx, caseId)) };
}

/** Completes a hand-off loaded and locked in the caller's transaction (see completeHandoff). */
async function completeLoaded(
  trx: Tx,
  actor: StaffActor,
  loaded: LoadedHandoff,
  now: Date,
): Promise<{ outcome: CompletionOutcome; loaded: LoadedHandoff }> {
  const { row } = loaded;
  requireParty(actor, row);
  const { blockers } = handoffStatus(loaded);
  if (blockers.length > 0) throw incompleteProblem(blockers);
  const condition = conditionOf(row);
  const excursion = condition?.excursion === true;
  const itemStatus =
    loaded.caseOf.toPartnerType === 'courier' ? ('in_transit' as const) : ('in_custody' as const);
  const moved = await trx
    .updateTable('custody_items')
    .set({
      custodian_partner_id: row.to_partner_id,
      custodian_user_id: row.to_user_id,
      site_id: row.to_site_id,
      status: itemStatus,
      updated_at: now,
    })
    .where(
      'id',
      'in',
      loaded.items.map((i) => i.id),
    )
    // Another hand-off of the same units completed first: this one no longer describes reality.
    .where('custodian_partner_id', '=', row.from_partner_id)
    .where('status', 'not in', ['infused', 'discarded'])
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== loaded.items.length)
    throw new HttpProblem(
      409,
      'the units were handed over by another hand-off meanwhile: open a new hand-off from their current custodian',
    );
  const status = excursion ? ('completed_with_excursion' as const) : ('completed' as const);
  const outcome: CompletionOutcome = {
    status,
    custodyConfirmedOnStep: null,
    exceptionId: null,
    deviationId: null,
    stepSignaturesRecorded: 0,
  };
  // A step the case's projection does not show open takes no custody, signature or exception from
  // a hand-off: its events need not be read and folded.
  if (row.step && loaded.caseOf.openSteps.includes(row.step)) {
    const caseNow = await caseNowOf(trx, loaded.caseOf, row.case_id);
    const run = caseNow.state.steps[row.step];
    const waiting = caseNow.state.waitingFor[row.step];
    const blocked = caseNow.state.openExceptions.some((e) => e.step === row.step);
    if (caseNow.state.status === 'active' && run?.status === 'open' && waiting?.custody && !blocked) {
      const confirmed = await runCaseCommand(
        trx,
        actor,
        row.case_id,
        { type: 'confirm_custody', step: row.step, custodyRecordId: row.id },
        now,
      );
      if (!confirmed.ok) throw refusalProblem(confirmed.error);
      outcome.custodyConfirmedOnStep = row.step;
    }
    const step = caseNow.template.stages.flatMap((s) => s.steps).find((s) => s.key === row.step);
    // A gate given on the hand-off is fulfilled by the hand-off itself (through the custody gate).
    if (step?.gates.signatures && step.gates.signatures.on !== 'handoff')
      outcome.stepSignaturesRecorded = await signStepWithHandoff(
        trx,
        loaded,
        row.step,
        now,
        outcome.custodyConfirmedOnStep ? undefined : caseNow,
      );
    if (excursion) {
      const allowed = step?.exceptions.find((e) => e.code === 'temperature_excursion');
      if (allowed && caseNow.state.steps[row.step]?.status === 'open') {
        const reasonCode = condition?.reasonCode ?? 'above_range';
        const raised = await runCaseCommand(
          trx,
          actor,
          row.case_id,
          {
            type: 'raise_exception',
            step: row.step,
            code: 'temperature_excursion',
            reasonCode: allowed.reasonCodes.includes(reasonCode)
              ? reasonCode
              : (allowed.reasonCodes[0] as string),
            reason: excursionText(condition as ConditionSummary, row.id),
          },
          now,
        );
        if (raised.ok) {
          const last = await trx
            .selectFrom('case_events')
            .select('event')
            .where('case_id', '=', row.case_id)
            .where('type', '=', 'exception_raised')
            .orderBy('seq', 'desc')
            .executeTakeFirst();
          outcome.exceptionId = ((last?.event as { exceptionId?: string } | undefined)?.exceptionId ??
            null) as string | null;
        } else if (raised.error.kind !== 'conflict') throw refusalProblem(raised.error);
      }
    }
  }
  if (excursion) {
    const deviationId = randomUUID();
    const description = excursionText(condition as ConditionSummary, row.id);
    await trx
      .insertInto('custody_deviations')
      .values({
        id: deviationId,
        case_id: row.case_id,
        chain_of_identity: row.chain_of_identity,
        kind: 'temperature_excursion',
        description,
        source_type: HANDOFF_RECORD_TYPE,
        source_id: row.id,
        raised_by: actor.id,
        raised_at: now,
      })
      .execute();
    await appendLedgerEntry(
      trx,
      {
        stream: custodyStream(row.chain_of_identity),
        actor,
        action: 'custody.deviation_recorded',
        recordType: 'custody_deviation',
        recordId: deviationId,
        after: {
          kind: 'temperature_excursion',
          handoffId: row.id,
          description,
          exceptionId: outcome.exceptionId,
        },
        reason: description,
      },
      now,
    );
    await alertCustodyEvent(trx, row.case_id, ['qa'], {
      key: `custody:excursion:${row.id}`,
      subject: `Temperature excursion: chain of identity ${row.chain_of_identity}`,
      body: `${description}. The product is quarantined until QA decides.`,
      record: { type: 'custody_deviation', id: deviationId },
    });
    outcome.deviationId = deviationId;
  }
  await trx
    .updateTable('custody_handoffs')
    .set({ status, completed_by: actor.id, completed_at: now, exception_id: outcome.exceptionId })
    .where('id', '=', row.id)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: custodyStream(row.chain_of_identity),
      actor,
      action: excursion ? 'custody.handoff_completed_with_excursion' : 'custody.handoff_completed',
      recordType: HANDOFF_RECORD_TYPE,
      recordId: row.id,
      before: { status: row.status },
      after: {
        recordHash: row.record_hash,
        units: loaded.items.map((i) => i.unit_code),
        custodian: { partnerId: row.to_partner_id, userId: row.to_user_id, siteId: row.to_site_id },
        signatures: loaded.signatures.map((s) => s.id),
        ...outcome,
      },
    },
    now,
  );
  return {
    outcome,
    loaded: {
      ...loaded,
      row: { ...row, status, completed_by: actor.id, completed_at: now, exception_id: outcome.exceptionId },
    },
  };
}

/**
 * When the hand-off belongs to a step whose gate asks for the same signatures on the step (the
 * receipt of the product, signed by the receiving nurses), the people who signed the hand-off have
 * signed the step: their signatures are entered on the case too, so nobody signs twice. Only once
 * the step's tasks are done (a step signature binds the complete step record); otherwise the step
 * is signed on the case as usual. A gate given on the hand-off (`on: 'handoff'`) is not copied:
 * the step never asks for it.
 */
async function signStepWithHandoff(
  trx: Tx,
  loaded: LoadedHandoff,
  step: string,
  now: Date,
  unchanged?: CaseNow,
): Promise<number> {
  const { current, requirement } = handoffStatus(loaded);
  let recorded = 0;
  for (const signature of current) {
    // The case as read by the caller while nothing has changed it since; read again after each signature.
    const caseNow =
      recorded === 0 && unchanged ? unchanged : await caseNowOf(trx, loaded.caseOf, loaded.row.case_id);
    const waiting = caseNow.state.waitingFor[step]?.signatures;
    if (caseNow.state.status !== 'active' || !waiting || waiting.meaning !== requirement.meaning) break;
    if (caseNow.state.waitingFor[step]?.tasks.length) break;
    const signer = await staffActor(trx, { id: signature.signerUserId });
    if (!signer) continue;
    const result = await runCaseCommand(
      trx,
      signer,
      loaded.row.case_id,
      { type: 'record_signature', step, meaning: waiting.meaning, recordHash: waiting.recordHash },
      now,
    );
    if (result.ok) recorded += 1;
  }
  return recorded;
}

function excursionText(condition: ConditionSummary, handoffId: string): string {
  return `Temperature excursion on hand-off ${handoffId}: ${condition.excursionCount} of ${condition.count} readings outside ${condition.allowed?.label ?? 'the allowed range'} (min ${condition.minCelsius} °C, max ${condition.maxCelsius} °C)`;
}
