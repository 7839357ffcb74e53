import type { Kysely } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { visiblePatients } from '../platform/access/scope.ts';
import type { Schema } from '../platform/db/schema.ts';
import { caseForCustody } from './custody-items.ts';
import { handoffView, loadHandoff } from './handoffs.ts';

type Db = Kysely<Schema>;

/**
 * The custody record of a case as one time-ordered view: its chain of identity, every unit and
 * where it is, every hand-off (scans, condition, signatures with their manifestation), bedside
 * checks, deviations and label prints. The patient's name appears only for those entitled to it;
 * the supply chain sees the chain of identity and the case reference.
 */
/** Every print and reprint of the labels of a case's units, oldest first. */
export function labelPrintsOfCase(db: Db, caseId: string) {
  return db
    .selectFrom('custody_label_prints as l')
    .innerJoin('custody_items as i', 'i.id', 'l.item_id')
    .select([
      'l.id',
      'l.item_id',
      'l.print_number',
      'l.label_kind',
      'l.reason',
      'l.printed_by',
      'l.printed_at',
      'i.unit_code',
      'i.custodian_partner_id',
    ])
    .where('i.case_id', '=', caseId)
    .orderBy('l.printed_at')
    .execute();
}

export async function custodyTimeline(db: Db, actor: Actor, caseId: string) {
  const found = await caseForCustody(db, actor, caseId);
  const patient = await visiblePatients(db, actor)
    .select(['patients.id', 'patients.given_name', 'patients.family_name'])
    .where('patients.id', '=', found.patient_id)
    .executeTakeFirst();
  const coi = await db
    .selectFrom('chains_of_identity')
    .select(['chain_of_identity', 'assigned_at'])
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const items = await db
    .selectFrom('custody_items as i')
    .innerJoin('partners as p', 'p.id', 'i.custodian_partner_id')
    .leftJoin('sites as s', 's.id', 'i.site_id')
    .selectAll('i')
    .select(['p.name as custodian_name', 's.name as site_name'])
    .where('i.case_id', '=', caseId)
    .orderBy('i.created_at')
    .orderBy('i.unit_code')
    .execute();
  const handoffIds = await db
    .selectFrom('custody_handoffs')
    .select('id')
    .where('case_id', '=', caseId)
    .orderBy('handed_over_at')
    .orderBy('opened_at')
    .execute();
  const handoffs = [];
  for (const { id } of handoffIds) handoffs.push(handoffView(await loadHandoff(db, actor, id)));
  const bedside = await db
    .selectFrom('bedside_verifications')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('verified_at')
    .execute();
  const deviations = await db
    .selectFrom('custody_deviations')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('raised_at')
    .execute();
  const prints = await labelPrintsOfCase(db, caseId);
  const events: Array<{ at: string; type: string; summary: string; recordId: string }> = [];
  if (coi)
    events.push({
      at: coi.assigned_at.toISOString(),
      type: 'chain_of_identity_assigned',
      summary: `chain of identity ${coi.chain_of_identity} assigned`,
      recordId: coi.chain_of_identity,
    });
  for (const item of items)
    events.push({
      at: item.created_at.toISOString(),
      type: 'item_recorded',
      summary: `${item.description} ${item.unit_code} recorded`,
      recordId: item.id,
    });
  for (const h of handoffs) {
    events.push({
      at: h.openedAt,
      type: 'handoff_opened',
      summary: `hand-off of ${h.items.map((i) => i.unitCode).join(', ')} opened`,
      recordId: h.id,
    });
    for (const s of h.signatures)
      events.push({ at: s.signedAt, type: 'handoff_signed', summary: s.manifestation, recordId: h.id });
    if (h.completedAt)
      events.push({
        at: h.completedAt,
        type: h.status === 'completed' ? 'handoff_completed' : 'handoff_completed_with_excursion',
        summary: `hand-off ${h.status.replaceAll('_', ' ')}`,
        recordId: h.id,
      });
  }
  for (const b of bedside)
    events.push({
      at: b.verified_at.toISOString(),
      type: b.result === 'pass' ? 'bedside_pass' : 'bedside_stop',
      summary: b.result === 'pass' ? 'bedside verification passed' : 'bedside verification: HARD STOP',
      recordId: b.id,
    });
  for (const d of deviations)
    events.push({ at: d.raised_at.toISOString(), type: 'deviation', summary: d.description, recordId: d.id });
  for (const p of prints)
    events.push({
      at: p.printed_at.toISOString(),
      type: p.print_number === 1 ? 'label_printed' : 'label_reprinted',
      summary: `${p.label_kind} label of ${p.unit_code} printed (${p.print_number === 1 ? 'first print' : `reprint ${p.print_number - 1}: ${p.reason}`})`,
      recordId: p.item_id,
    });
  events.sort((a, b) => a.at.localeCompare(b.at));
  return {
    patientIdsShown: patient ? [patient.id] : [],
    view: {
      caseId,
      reference: found.reference,
      patientLabel: patient ? `${patient.given_name} ${patient.family_name}` : found.reference,
      chainOfIdentity: coi?.chain_of_identity ?? null,
      items: items.map((i) => ({
        id: i.id,
        itemType: i.item_type,
        unitCode: i.unit_code,
        din: i.din,
        lot: i.lot,
        description: i.description,
        status: i.status,
        releaseStatus: i.release_status,
        expiresAt: i.expires_at?.toISOString() ?? null,
        parentItemId: i.parent_item_id,
        custodian: {
          partnerId: i.custodian_partner_id,
          partnerName: i.custodian_name,
          userId: i.custodian_user_id,
        },
        site: i.site_id ? { id: i.site_id, name: i.site_name } : null,
        labelPrints: i.label_prints,
      })),
      handoffs,
      bedsideVerifications: bedside.map((b) => ({
        id: b.id,
        result: b.result,
        itemId: b.item_id,
        checks: (b.checks as { checks: unknown[] }).checks,
        verifiedBy: b.verified_by,
        verifiedAt: b.verified_at.toISOString(),
      })),
      deviations: deviations.map((d) => ({
        id: d.id,
        kind: d.kind,
        description: d.description,
        sourceType: d.source_type,
        sourceId: d.source_id,
        raisedAt: d.raised_at.toISOString(),
      })),
      events,
    },
  };
}
