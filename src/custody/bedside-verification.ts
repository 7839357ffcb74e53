import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Tx } from '../platform/db/transaction.ts';
import { HttpProblem } from '../platform/http/problem.ts';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import { jsonbValue } from '../platform/jobs/jsonb-value.ts';
import { custodyStream } from './chain-of-identity-store.ts';
import { canonicalScan, caseForCustody } from './custody-items.ts';
import { alertCustodyEvent } from './handoffs.ts';
import { normaliseScan } from './identity/scan-text.ts';

/*
 * Bedside verification before infusion: the wristband and the product bag are scanned, and the
 * chain of identity, two independent patient identifiers (MRN and date of birth), the product's
 * expiry and its QA release must all agree. Any disagreement is a hard stop, recorded as a
 * deviation and alerted to QA and the case manager. The decision (`bedsideChecks`) is pure.
 */

export type BedsideScans = {
  wristband: { chainOfIdentity: string; mrn: string; birthDate: string };
  bag: { unitCode: string; chainOfIdentity: string; mrn: string; birthDate: string };
};

export type BedsideCheck = {
  check:
    | 'bag_identified'
    | 'chain_of_identity'
    | 'patient_mrn'
    | 'patient_birth_date'
    | 'product_expiry'
    | 'release_status';
  ok: boolean;
  detail: string;
};

export type BedsideFacts = {
  chainOfIdentity: string | null;
  patient: { mrn: string; birthDate: string };
  /** The scanned bag as found among this case's final product bags; null: not one of them. */
  bag: { unitCode: string; chainOfIdentity: string; expiresAt: string | null; releaseStatus: string } | null;
  /** Whether the scanned bag code belongs to a unit of another case (another patient's cells). */
  bagOfAnotherCase: boolean;
};

/** A date of birth as scanned: 'YYYY-MM-DD', 'YYYYMMDD' or 'DD.MM.YYYY', compared as 'YYYY-MM-DD'. */
export function canonicalBirthDate(text: string): string {
  const value = normaliseScan(text);
  let match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(value);
  if (match) return `${match[1]}-${match[2]}-${match[3]}`;
  match = /^(\d{2})[./](\d{2})[./](\d{4})$/.exec(value);
  if (match) return `${match[3]}-${match[2]}-${match[1]}`;
  return value;
}

export function bedsideChecks(scans: BedsideScans, facts: BedsideFacts, now: Date): BedsideCheck[] {
  const wristCoi = canonicalScan(scans.wristband.chainOfIdentity);
  const bagCoi = canonicalScan(scans.bag.chainOfIdentity);
  const checks: BedsideCheck[] = [];
  const bag = facts.bag;
  checks.push({
    check: 'bag_identified',
    ok: bag !== null,
    detail: bag
      ? `bag ${bag.unitCode} is a final product bag of this patient's therapy`
      : facts.bagOfAnotherCase
        ? 'the scanned bag belongs to another patient’s therapy'
        : 'the scanned bag is not a final product bag of this therapy',
  });
  const coiOk =
    facts.chainOfIdentity !== null &&
    wristCoi === facts.chainOfIdentity &&
    bagCoi === facts.chainOfIdentity &&
    (bag === null || bag.chainOfIdentity === facts.chainOfIdentity);
  checks.push({
    check: 'chain_of_identity',
    ok: coiOk,
    detail: coiOk
      ? `wristband and bag carry chain of identity ${facts.chainOfIdentity}`
      : wristCoi !== facts.chainOfIdentity
        ? 'the wristband’s chain of identity is not this therapy’s'
        : 'the bag’s chain of identity does not match the wristband',
  });
  const mrnWrist = normaliseScan(scans.wristband.mrn);
  const mrnBag = normaliseScan(scans.bag.mrn);
  const mrn = normaliseScan(facts.patient.mrn);
  checks.push({
    check: 'patient_mrn',
    ok: mrnWrist === mrn && mrnBag === mrn,
    detail:
      mrnWrist !== mrn
        ? 'the wristband’s medical record number is not the patient’s'
        : mrnBag !== mrn
          ? 'the bag’s medical record number does not match the wristband'
          : 'medical record number matches on wristband, bag and patient record',
  });
  const dobWrist = canonicalBirthDate(scans.wristband.birthDate);
  const dobBag = canonicalBirthDate(scans.bag.birthDate);
  checks.push({
    check: 'patient_birth_date',
    ok: dobWrist === facts.patient.birthDate && dobBag === facts.patient.birthDate,
    detail:
      dobWrist !== facts.patient.birthDate
        ? 'the wristband’s date of birth is not the patient’s'
        : dobBag !== facts.patient.birthDate
          ? 'the bag’s date of birth does not match the wristband'
          : 'date of birth matches on wristband, bag and patient record',
  });
  const expired = !bag?.expiresAt || Date.parse(bag.expiresAt) <= now.getTime();
  checks.push({
    check: 'product_expiry',
    ok: bag !== null && !expired,
    detail: !bag
      ? 'no expiry: the bag is not identified'
      : expired
        ? `the product expired at ${bag.expiresAt ?? '(no expiry recorded)'}`
        : `the product is in date (expires ${bag.expiresAt})`,
  });
  checks.push({
    check: 'release_status',
    ok: bag?.releaseStatus === 'released',
    detail: !bag
      ? 'no release status: the bag is not identified'
      : bag.releaseStatus === 'released'
        ? 'the product is released by QA'
        : 'the product is not released by QA',
  });
  return checks;
}

export type BedsideOutcome = {
  id: string;
  result: 'pass' | 'stop';
  checks: BedsideCheck[];
  failedChecks: BedsideCheck['check'][];
  deviationId: string | null;
};

export async function verifyAtBedside(
  trx: Tx,
  actor: Exclude<Actor, { kind: 'system' }>,
  caseId: string,
  scans: BedsideScans,
  now: Date,
): Promise<BedsideOutcome> {
  const found = await caseForCustody(trx, actor, caseId);
  const caseRow = await trx
    .selectFrom('cases')
    .selectAll()
    .where('id', '=', found.id)
    .executeTakeFirstOrThrow();
  if (!actor.roles.includes('infusion_nurse'))
    throw new HttpProblem(403, 'bedside verification is done by the infusion nurse');
  if (actor.partnerId !== caseRow.treatment_centre_partner_id)
    throw new HttpProblem(403, 'bedside verification is done at the case’s treatment centre');
  const patient = await trx
    .selectFrom('patients')
    .select(['mrn', sql<string>`birth_date::text`.as('birth_date')])
    .where('id', '=', caseRow.patient_id)
    .executeTakeFirstOrThrow();
  const coi = await trx
    .selectFrom('chains_of_identity')
    .select('chain_of_identity')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const unitCode = canonicalScan(scans.bag.unitCode);
  const bagRow = await trx
    .selectFrom('custody_items')
    .selectAll()
    .where('unit_code', '=', unitCode)
    .executeTakeFirst();
  const ours =
    bagRow && bagRow.case_id === caseId && bagRow.item_type === 'final_product_bag' ? bagRow : undefined;
  const checks = bedsideChecks(
    scans,
    {
      chainOfIdentity: coi?.chain_of_identity ?? null,
      patient: { mrn: patient.mrn, birthDate: patient.birth_date },
      bag: ours
        ? {
            unitCode: ours.unit_code,
            chainOfIdentity: ours.chain_of_identity,
            expiresAt: ours.expires_at?.toISOString() ?? null,
            releaseStatus: ours.release_status,
          }
        : null,
      bagOfAnotherCase: Boolean(bagRow && bagRow.case_id !== caseId),
    },
    now,
  );
  const failed = checks.filter((c) => !c.ok);
  const result = failed.length === 0 ? ('pass' as const) : ('stop' as const);
  const id = randomUUID();
  const stream = custodyStream(coi?.chain_of_identity ?? `case-${caseId}`);
  await trx
    .insertInto('bedside_verifications')
    .values({
      id,
      case_id: caseId,
      item_id: ours?.id ?? null,
      result,
      checks: jsonbValue({ checks, scannedBag: unitCode } as unknown as JsonObject).value,
      verified_by: actor.id,
      verified_at: now,
    })
    .execute();
  await appendLedgerEntry(
    trx,
    {
      stream,
      actor,
      actingRole: 'infusion_nurse',
      action: result === 'pass' ? 'custody.bedside_verified' : 'custody.bedside_stopped',
      recordType: 'bedside_verification',
      recordId: id,
      after: { result, itemId: ours?.id ?? null, scannedBag: unitCode, checks },
      reason: result === 'stop' ? failed.map((c) => c.detail).join('; ') : null,
    },
    now,
  );
  let deviationId: string | null = null;
  if (result === 'stop') {
    deviationId = randomUUID();
    const description = `Bedside verification stopped: ${failed.map((c) => c.detail).join('; ')}`;
    await trx
      .insertInto('custody_deviations')
      .values({
        id: deviationId,
        case_id: caseId,
        chain_of_identity: coi?.chain_of_identity ?? null,
        kind: 'bedside_mismatch',
        description,
        source_type: 'bedside_verification',
        source_id: id,
        raised_by: actor.id,
        raised_at: now,
      })
      .execute();
    await appendLedgerEntry(
      trx,
      {
        stream,
        actor,
        action: 'custody.deviation_recorded',
        recordType: 'custody_deviation',
        recordId: deviationId,
        after: { kind: 'bedside_mismatch', verificationId: id, failedChecks: failed.map((c) => c.check) },
        reason: description,
      },
      now,
    );
    await alertCustodyEvent(trx, caseId, ['qa'], {
      key: `custody:bedside:${id}`,
      subject: `HARD STOP at the bedside: case ${caseRow.reference}`,
      body: `${description}. The infusion must not proceed.`,
      record: { type: 'custody_deviation', id: deviationId },
    });
  }
  return { id, result, checks, failedChecks: failed.map((c) => c.check), deviationId };
}
