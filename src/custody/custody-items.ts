import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { visibleCases } from '../cases/case-store.ts';
import type { Actor } from '../platform/access/actor.ts';
import type { Role } from '../platform/access/roles.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem, invalidInput, notFound } from '../platform/http/problem.ts';
import { custodyStream, ensureChainOfIdentity } from './chain-of-identity-store.ts';
import type { CustodyItemType } from './custody-tables.ts';
import { canonicalChainOfIdentity } from './identity/chain-of-identity.ts';
import {
  formatDonationIdentificationNumber,
  parseDonationIdentificationNumber,
} from './identity/donation-identification-number.ts';
import { normaliseScan } from './identity/scan-text.ts';

type Db = Kysely<Schema>;
type StaffActor = Exclude<Actor, { kind: 'system' }>;

/** Who records which kind of unit: the people who physically make or pack it. */
export const ITEM_CREATOR_ROLES: Record<CustodyItemType, readonly Role[]> = {
  apheresis_bag: ['collection_staff'],
  sample: ['collection_staff', 'lab', 'manufacturing'],
  final_product_bag: ['manufacturing', 'qa'],
  shipper: ['courier', 'manufacturing', 'collection_staff'],
};

const UNIT_PREFIX: Record<CustodyItemType, string> = {
  apheresis_bag: 'A',
  sample: 'S',
  final_product_bag: 'P',
  shipper: 'H',
};

/**
 * What a scan is compared by: the scanner's prefixes and line ends removed, and an ISBT 128
 * identifier (DIN or chain of identity, scanned with its bar-code flags or typed eye-readable)
 * reduced to its compact form with the check character, so every way of reading one label agrees.
 */
export function canonicalScan(raw: string): string {
  const text = normaliseScan(raw);
  const din = parseDonationIdentificationNumber(text);
  if (din.ok) return formatDonationIdentificationNumber(din.value);
  return canonicalChainOfIdentity(text) ?? text;
}

export type NewItemInput = {
  itemType: CustodyItemType;
  din?: string | undefined;
  lot?: string | undefined;
  description?: string | undefined;
  expiresAt?: string | undefined;
  parentItemId?: string | undefined;
  siteId?: string | undefined;
};

export type CaseForCustody = {
  id: string;
  patient_id: string;
  reference: string;
  template_code: string;
  template_version: number;
  country: string;
  site_id: string;
};

/** The case, if the actor's partner takes part in it (else 404: it does not exist for them). */
export async function caseForCustody(db: Db, actor: Actor, caseId: string): Promise<CaseForCustody> {
  const row = /^[0-9a-f-]{36}$/i.test(caseId)
    ? await visibleCases(db, actor)
        .select([
          'cases.id',
          'cases.patient_id',
          'cases.reference',
          'cases.template_code',
          'cases.template_version',
          'cases.country',
          'cases.site_id',
        ])
        .where('cases.id', '=', caseId)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('The case');
  return row;
}

/** Records a physical unit in the actor's custody; the first unit of a case assigns its chain of identity. */
export async function createCustodyItem(
  trx: Tx,
  actor: StaffActor,
  caseId: string,
  input: NewItemInput,
  facility: string,
  now: Date,
): Promise<string> {
  const found = await caseForCustody(trx, actor, caseId);
  const allowed = ITEM_CREATOR_ROLES[input.itemType];
  if (!allowed.some((role) => actor.roles.includes(role)))
    throw new HttpProblem(
      403,
      `a ${input.itemType.replace('_', ' ')} is recorded by ${allowed.join(' or ')}`,
    );
  const errors: Array<{ field: string; reason: string }> = [];
  let din: string | null = null;
  if (input.din !== undefined) {
    const parsed = parseDonationIdentificationNumber(input.din);
    if (parsed.ok) din = formatDonationIdentificationNumber(parsed.value);
    else errors.push({ field: 'body.din', reason: parsed.reason });
  } else if (input.itemType === 'apheresis_bag')
    errors.push({
      field: 'body.din',
      reason: 'is required: a collection carries its donation identification number',
    });
  if (input.itemType === 'final_product_bag') {
    if (!input.lot)
      errors.push({ field: 'body.lot', reason: 'is required for a final product bag (the batch)' });
    if (!input.expiresAt)
      errors.push({ field: 'body.expiresAt', reason: 'is required for a final product bag' });
  }
  if (input.expiresAt && Date.parse(input.expiresAt) <= now.getTime())
    errors.push({ field: 'body.expiresAt', reason: 'must be in the future' });
  if (errors.length > 0) throw invalidInput(errors);
  if (din) {
    const taken = await trx
      .selectFrom('custody_items')
      .select('id')
      .where('din', '=', din)
      .executeTakeFirst();
    if (taken) throw new HttpProblem(409, `donation identification number ${din} is already recorded`);
  }
  if (input.parentItemId) {
    const parent = await trx
      .selectFrom('custody_items')
      .select('id')
      .where('id', '=', input.parentItemId)
      .where('case_id', '=', caseId)
      .executeTakeFirst();
    if (!parent) throw invalidInput([{ field: 'body.parentItemId', reason: 'no such item in this case' }]);
  }
  if (input.siteId) {
    const site = await trx
      .selectFrom('sites')
      .select('id')
      .where('id', '=', input.siteId)
      .where('partner_id', '=', actor.partnerId)
      .executeTakeFirst();
    if (!site) throw invalidInput([{ field: 'body.siteId', reason: 'must be a site of your partner' }]);
  }
  const { chainOfIdentity } = await ensureChainOfIdentity(trx, actor, found, facility, now);
  const count = await trx
    .selectFrom('custody_items')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('case_id', '=', caseId)
    .where('item_type', '=', input.itemType)
    .executeTakeFirstOrThrow();
  const unitCode =
    din ?? `${chainOfIdentity}-${UNIT_PREFIX[input.itemType]}${String(Number(count.n) + 1).padStart(2, '0')}`;
  const id = randomUUID();
  const row = {
    id,
    case_id: caseId,
    chain_of_identity: chainOfIdentity,
    item_type: input.itemType,
    unit_code: unitCode,
    din,
    lot: input.lot ?? null,
    description: input.description ?? defaultDescription(input.itemType),
    status: 'in_custody' as const,
    release_status:
      input.itemType === 'final_product_bag' ? ('pending' as const) : ('not_applicable' as const),
    expires_at: input.expiresAt ? new Date(input.expiresAt) : null,
    parent_item_id: input.parentItemId ?? null,
    custodian_partner_id: actor.partnerId,
    custodian_user_id: actor.kind === 'user' ? actor.id : null,
    site_id: input.siteId ?? null,
    label_prints: 0,
    created_at: now,
    updated_at: now,
  };
  await trx.insertInto('custody_items').values(row).execute();
  await appendLedgerEntry(
    trx,
    {
      stream: custodyStream(chainOfIdentity),
      actor,
      action: 'custody.item_recorded',
      recordType: 'custody_item',
      recordId: id,
      after: {
        ...row,
        expires_at: row.expires_at?.toISOString() ?? null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      },
    },
    now,
  );
  return id;
}

function defaultDescription(type: CustodyItemType): string {
  switch (type) {
    case 'apheresis_bag':
      return 'Leukapheresis bag (fresh)';
    case 'sample':
      return 'Sample';
    case 'final_product_bag':
      return 'Final product bag (cryopreserved)';
    case 'shipper':
      return 'Shipper';
  }
}

export type ItemRow = Awaited<ReturnType<typeof itemQuery>>[number];

function itemQuery(db: Db, actor: Actor) {
  return db
    .selectFrom('custody_items')
    .selectAll('custody_items')
    .where('custody_items.case_id', 'in', visibleCases(db, actor).select('cases.id'))
    .orderBy('custody_items.created_at')
    .orderBy('custody_items.unit_code')
    .execute();
}

/** One item of a case the actor takes part in, or 404. */
export async function findVisibleItem(db: Db, actor: Actor, itemId: string, forUpdate = false) {
  if (!/^[0-9a-f-]{36}$/i.test(itemId)) throw notFound('The custody item');
  let query = db
    .selectFrom('custody_items')
    .selectAll('custody_items')
    .where('custody_items.id', '=', itemId)
    .where('custody_items.case_id', 'in', visibleCases(db, actor).select('cases.id'));
  if (forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('The custody item');
  return row;
}

/** QA releases a final product bag for infusion, once the case's QA release step is complete. */
export async function releaseItem(
  trx: Tx,
  actor: StaffActor,
  itemId: string,
  reason: string,
  qaReleaseCompleted: (caseId: string) => Promise<boolean>,
  now: Date,
): Promise<void> {
  const item = await findVisibleItem(trx, actor, itemId, true);
  if (!actor.roles.includes('qa')) throw new HttpProblem(403, 'a product is released by QA');
  if (item.item_type !== 'final_product_bag')
    throw new HttpProblem(
      409,
      `only a final product bag is released, this is a ${item.item_type.replace('_', ' ')}`,
    );
  if (item.release_status === 'released') throw new HttpProblem(409, 'the product is already released');
  if (!(await qaReleaseCompleted(item.case_id)))
    throw new HttpProblem(409, 'the batch has not been released by QA on the case yet (the QA release step)');
  await trx
    .updateTable('custody_items')
    .set({ release_status: 'released', updated_at: now })
    .where('id', '=', itemId)
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream: custodyStream(item.chain_of_identity),
      actor,
      actingRole: 'qa',
      action: 'custody.item_released',
      recordType: 'custody_item',
      recordId: itemId,
      before: { releaseStatus: item.release_status },
      after: { releaseStatus: 'released' },
      reason,
    },
    now,
  );
}
