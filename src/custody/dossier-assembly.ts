import { sql } from 'kysely';
import type { Actor } from '../platform/access/actor.ts';
import { visiblePatients } from '../platform/access/scope.ts';
import type { InstallationKey } from '../platform/audit/installation-key.ts';
import type { Database } from '../platform/db/database.ts';
import type { LedgerEntry } from '../platform/ledger/ledger-entry.ts';
import { CASE_STEP_RECORD, caseStepRecordId } from '../signatures/signed-records.ts';
import { custodyStream } from './chain-of-identity-store.ts';
import { type ConditionSummary, outOfRange, type TemperatureReading } from './condition.ts';
import { caseForCustody } from './custody-items.ts';
import { labelPrintsOfCase } from './custody-timeline.ts';
import { buildDossierFile, type DossierLedger, dossierFileName } from './dossier/dossier-file.ts';
import { collectDossierLedger } from './dossier/dossier-ledger.ts';
import type {
  DossierCondition,
  DossierLedgerRef,
  DossierModel,
  DossierSite,
  DossierTemperatureExcursion,
} from './dossier/dossier-model.ts';
import { HANDOFF_RECORD_TYPE } from './handoffs.ts';

/*
 * The inspection dossier of one case, assembled from the database: the ledger of the case's
 * streams (the case and its chain of identity) with inclusion proofs, and the model the PDF
 * renders — every hand-off, signature, bedside check, deviation and label print, each naming the
 * ledger entries that back it.
 */

export type AssembledDossier = {
  model: DossierModel;
  file: string;
  fileName: string;
  patientIdShown: string | null;
};

const SIGNING_RECORD_TYPES = [HANDOFF_RECORD_TYPE];

/** Runs of consecutive readings outside the range, each with its extreme and the limit crossed. */
export function excursionRuns(
  readings: readonly TemperatureReading[],
  range: ConditionSummary['allowed'],
): DossierTemperatureExcursion[] {
  const runs: DossierTemperatureExcursion[] = [];
  let current: TemperatureReading[] = [];
  const close = () => {
    if (current.length === 0 || !range) return;
    const above = range.max !== null && current.some((r) => r.celsius > (range.max as number));
    const extreme = above
      ? Math.max(...current.map((r) => r.celsius))
      : Math.min(...current.map((r) => r.celsius));
    runs.push({
      from: (current[0] as TemperatureReading).at,
      to: (current[current.length - 1] as TemperatureReading).at,
      extremeC: extreme,
      limit: above ? `above ${range.max} °C` : `below ${range.min} °C`,
    });
    current = [];
  };
  for (const reading of [...readings].sort((a, b) => a.at.localeCompare(b.at))) {
    if (outOfRange(reading, range)) current.push(reading);
    else close();
  }
  close();
  return runs;
}

export async function assembleDossier(
  database: Database,
  actor: Exclude<Actor, { kind: 'system' }>,
  caseId: string,
  key: InstallationKey,
  now: Date,
): Promise<AssembledDossier> {
  const db = database.db;
  const found = await caseForCustody(db, actor, caseId);
  const coiRow = await db
    .selectFrom('chains_of_identity')
    .select('chain_of_identity')
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  const chainOfIdentity = coiRow?.chain_of_identity ?? '';
  const streams = [`case:${caseId}`, ...(coiRow ? [custodyStream(chainOfIdentity)] : [])];
  const ledger: DossierLedger = await collectDossierLedger(database, streams, key, now);
  const refsByRecord = new Map<string, DossierLedgerRef[]>();
  const refsByEntry = new Map<string, DossierLedgerRef>();
  for (const entry of ledger.entries as LedgerEntry[]) {
    const ref = { entryId: entry.id, hash: entry.hash, stream: entry.stream, seq: entry.seq };
    refsByEntry.set(entry.id, ref);
    const list = refsByRecord.get(entry.recordId) ?? [];
    list.push(ref);
    refsByRecord.set(entry.recordId, list);
  }
  const refs = (recordId: string) => refsByRecord.get(recordId) ?? [];

  const template = await db
    .selectFrom('therapy_templates')
    .select(['title', 'version'])
    .where('code', '=', found.template_code)
    .where('version', '=', found.template_version)
    .executeTakeFirstOrThrow();
  const patient = await visiblePatients(db, actor)
    .select([
      'patients.id',
      'patients.given_name',
      'patients.family_name',
      'patients.mrn',
      sql<string>`patients.birth_date::text`.as('birth_date'),
    ])
    .where('patients.id', '=', found.patient_id)
    .executeTakeFirst();
  const partners = new Map(
    (await db.selectFrom('partners').select(['id', 'name']).execute()).map((p) => [p.id, p.name] as const),
  );
  const sites = await db
    .selectFrom('sites')
    .select(['id', 'name', 'partner_id', 'time_zone', 'code'])
    .orderBy('code')
    .execute();
  const siteOf = (siteId: string | null, partnerId: string): DossierSite => {
    const site = sites.find((s) => s.id === siteId) ?? sites.find((s) => s.partner_id === partnerId);
    return site
      ? { name: site.name, timeZone: site.time_zone }
      : { name: partners.get(partnerId) ?? partnerId };
  };
  const users = new Map(
    (await db.selectFrom('users').select(['id', 'display_name']).execute()).map(
      (u) => [u.id, u.display_name] as const,
    ),
  );
  const person = (partnerId: string, userId: string | null) =>
    `${partners.get(partnerId) ?? partnerId}${userId && users.get(userId) ? ` (${users.get(userId)})` : ''}`;

  const items = await db.selectFrom('custody_items').selectAll().where('case_id', '=', caseId).execute();
  const itemLabel = new Map(
    items.map((i) => [i.id, `${i.description} ${i.unit_code}${i.lot ? `, lot ${i.lot}` : ''}`]),
  );
  const handoffs = await db
    .selectFrom('custody_handoffs')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('handed_over_at')
    .orderBy('opened_at')
    .execute();
  const handOffs: DossierModel['handOffs'] = [];
  for (const h of handoffs) {
    const members = await db
      .selectFrom('custody_handoff_items')
      .select('item_id')
      .where('handoff_id', '=', h.id)
      .execute();
    const scans = await db
      .selectFrom('custody_scans')
      .selectAll()
      .where('handoff_id', '=', h.id)
      .orderBy('scanned_at')
      .execute();
    const readings = (
      await db
        .selectFrom('custody_temperature_readings')
        .select(['at', 'celsius'])
        .where('handoff_id', '=', h.id)
        .orderBy('at')
        .execute()
    ).map((r) => ({ at: r.at.toISOString(), celsius: Number(r.celsius) }));
    const summary = h.condition as unknown as ConditionSummary | null;
    const condition: DossierCondition = {};
    if (summary)
      condition.temperature = {
        readings: summary.count,
        minC: summary.minCelsius,
        maxC: summary.maxCelsius,
        ...(summary.allowed ? { acceptedRange: summary.allowed.label } : {}),
        excursions: excursionRuns(readings, summary.allowed),
      };
    if (summary?.fileName && summary.fileSha256)
      condition.dataLogger = { fileName: summary.fileName, sha256: summary.fileSha256 };
    if (h.shipper_code)
      condition.shipper = { id: h.shipper_code, qualificationStatus: h.shipper_qualification ?? 'unknown' };
    if (h.seal_intact !== null) condition.sealIntact = h.seal_intact;
    handOffs.push({
      id: h.id,
      occurredAt: (h.completed_at ?? h.handed_over_at).toISOString(),
      site: siteOf(h.to_site_id, h.to_partner_id),
      fromCustodian: person(h.from_partner_id, h.from_user_id),
      toCustodian: person(h.to_partner_id, h.to_user_id),
      items: members.map((m) => itemLabel.get(m.item_id) ?? m.item_id),
      status: h.status === 'draft' ? 'open (not completed)' : h.status.replaceAll('_', ' '),
      condition,
      scans: scans.map((s) => ({
        label: s.result === 'chain_of_identity' ? 'Chain of identity' : 'Unit',
        expected: s.matched_item_id
          ? (items.find((i) => i.id === s.matched_item_id)?.unit_code ?? '')
          : s.result === 'chain_of_identity'
            ? chainOfIdentity
            : 'a unit of this hand-off',
        scanned: s.normalised,
        matched: s.result !== 'mismatch',
      })),
      ledger: refs(h.id),
    });
  }

  // The hand-offs' signatures and the case steps' ("Collected by", the QA release, the bedside
  // check): the custody chain is signed on both.
  const signatureRows = await db
    .selectFrom('signatures')
    .innerJoin('users', 'users.id', 'signatures.signer_user_id')
    .selectAll('signatures')
    .select('users.partner_id as signer_partner_id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('signatures.record_type', 'in', SIGNING_RECORD_TYPES),
          eb(
            'signatures.record_id',
            'in',
            handoffs.length
              ? handoffs.flatMap((h) => Array.from({ length: h.version }, (_, v) => `${h.id}:v${v + 1}`))
              : ['-'],
          ),
        ]),
        eb.and([
          eb('signatures.record_type', '=', CASE_STEP_RECORD),
          eb('signatures.record_id', 'like', caseStepRecordId(caseId, '%')),
        ]),
      ]),
    )
    .orderBy('signatures.signed_at')
    .orderBy('signatures.id')
    .execute();
  const signatures: DossierModel['signatures'] = signatureRows.map((s) => {
    const handoff =
      s.record_type === HANDOFF_RECORD_TYPE ? handoffs.find((h) => s.record_id.startsWith(h.id)) : undefined;
    const ledgerRef = refsByEntry.get(s.ledger_entry_id);
    return {
      id: s.id,
      signedAt: s.signed_at.toISOString(),
      site: {
        ...(handoff ? siteOf(handoff.to_site_id, handoff.to_partner_id) : siteOf(null, s.signer_partner_id)),
        timeZone: s.site_time_zone,
      },
      printedName: s.signer_name,
      role: s.signer_role,
      meaning: s.meaning,
      recordType: s.record_type,
      recordId: s.record_id,
      recordHash: s.record_hash,
      ledger: ledgerRef ? [ledgerRef] : [],
    };
  });

  const bedside = await db
    .selectFrom('bedside_verifications')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('verified_at')
    .execute();
  const treatmentSite = siteOf(
    null,
    (
      await db
        .selectFrom('cases')
        .select('treatment_centre_partner_id')
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow()
    ).treatment_centre_partner_id,
  );
  const bedsideVerifications: DossierModel['bedsideVerifications'] = bedside.map((b) => ({
    id: b.id,
    occurredAt: b.verified_at.toISOString(),
    site: treatmentSite,
    performedBy: users.get(b.verified_by) ?? b.verified_by,
    result: b.result,
    checks: (
      (b.checks as { checks: Array<{ check: string; ok: boolean; detail: string }> }).checks ?? []
    ).map((c) => ({
      label: c.check.replaceAll('_', ' '),
      scanned: c.detail,
      matched: c.ok,
    })),
    ledger: refs(b.id),
  }));

  const deviationRows = await db
    .selectFrom('custody_deviations')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('raised_at')
    .execute();
  const deviations: DossierModel['deviations'] = deviationRows.map((d) => ({
    id: d.id,
    openedAt: d.raised_at.toISOString(),
    kind: d.kind.replaceAll('_', ' '),
    description: d.description,
    status: 'open: QA decides',
    ledger: refs(d.id),
  }));

  const prints = await labelPrintsOfCase(db, caseId);
  const labelPrints: DossierModel['labelPrints'] = prints.map((p) => ({
    id: p.id,
    printedAt: p.printed_at.toISOString(),
    labelType: p.label_kind,
    subject: itemLabel.get(p.item_id) ?? p.unit_code,
    printedBy: users.get(p.printed_by) ?? p.printed_by,
    reprint: p.print_number - 1,
    ...(p.reason ? { reason: p.reason } : {}),
    ledger: refs(p.item_id),
  }));

  const fileName = dossierFileName(found.reference);
  const generatedAt = now.toISOString();
  const model: DossierModel = {
    caseReference: found.reference,
    caseId,
    therapy: { name: template.title, version: String(template.version) },
    chainOfIdentity,
    ...(patient
      ? {
          patient: {
            identifiers: [
              { label: 'Name', value: `${patient.given_name} ${patient.family_name}` },
              { label: 'MRN', value: patient.mrn },
              { label: 'Date of birth', value: patient.birth_date },
            ],
          },
        }
      : {}),
    generatedAt,
    generatedBy: { name: actor.displayName, role: actor.roles.join(', ') },
    installationKeyId: key.keyId,
    checkpoint: {
      treeSize: ledger.checkpoint.treeSize,
      rootHash: ledger.checkpoint.rootHash,
      issuedAt: ledger.checkpoint.issuedAt,
    },
    ledgerFileName: fileName,
    handOffs,
    signatures,
    bedsideVerifications,
    deviations,
    labelPrints,
  };
  const file = buildDossierFile({
    ...ledger,
    privateKeyPem: key.privateKeyPem,
    header: {
      caseId,
      caseReference: found.reference,
      chainOfIdentity,
      therapy: `${template.title} v${template.version}`,
      generatedAt,
      generatedBy: actor.displayName,
    },
  });
  return { model, file, fileName, patientIdShown: patient?.id ?? null };
}
