import { randomBytes, randomUUID } from 'node:crypto';
import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { PartnerType } from '../partners/partner-tables.ts';
import { type Actor, systemActor } from '../platform/access/actor.ts';
import { ROLES, type Role } from '../platform/access/roles.ts';
import { patientScopeOf, visiblePatients } from '../platform/access/scope.ts';
import { appendLedgerEntry } from '../platform/audit/ledger-writer.ts';
import type { Schema } from '../platform/db/schema.ts';
import type { Tx } from '../platform/db/transaction.ts';
import type { JsonObject } from '../platform/jobs/job-tables.ts';
import { jsonbValue } from '../platform/jobs/jsonb-value.ts';
import { recordSignature, type VerifiedSigner } from '../signatures/sign-record.ts';
import { CASE_STEP_RECORD, caseStepRecordId } from '../signatures/signed-records.ts';
import { resolveStep } from '../therapy/override-resolution.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import type { TherapyTemplate } from '../therapy/template-schema.ts';
import { findTemplate, latestPublished } from '../therapy/template-store.ts';
import { canStartCase } from '../therapy/template-versions.ts';
import type { Actor as CaseActor, CaseParties } from './case-authorisation.ts';
import { partyFor } from './case-authorisation.ts';
import { type CaseCommand, type DecideError, decide, describeWaiting } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import { type CaseState, caseState, evolve, TERMINAL_STATUSES } from './case-state.ts';
import type { CurrentStep } from './case-tables.ts';
import { scheduleCaseTimers } from './case-timers.ts';
import { stepDueAt } from './work-queue-items.ts';
import { replaceWorkItems } from './work-queue-store.ts';

/*
 * The case store: loads a case (row lock, events, pinned template), runs the pure engine
 * (decide → evolve) and writes, in one transaction, the new events, one ledger entry per event on
 * the stream `case:<id>`, the projections (`cases`, `case_work_items`) and the timers. A refused
 * command returns before anything is written. Partner scoping is applied here: a case outside the
 * actor's scope is not found.
 */
type Db = Kysely<Schema>;
export type StaffActor = Exclude<Actor, { kind: 'system' }>;

// biome-ignore lint/complexity/noBannedTypes: Kysely's "nothing selected yet"
type Unselected = {};

const PARTY_COLUMNS = [
  'cases.treatment_centre_partner_id',
  'cases.collection_centre_partner_id',
  'cases.manufacturing_site_partner_id',
  'cases.courier_partner_id',
  'cases.laboratory_partner_id',
] as const;

/**
 * `select … from cases` within the actor's scope: the sponsor runs the programme and sees every
 * case; any other partner sees the cases it is a party to (treatment centre, collection centre,
 * plant, courier, laboratory).
 */
export function visibleCases(db: Db, actor: Actor): SelectQueryBuilder<Schema, 'cases', Unselected> {
  const query = db.selectFrom('cases');
  if (actor.kind === 'system' || actor.partnerType === 'sponsor') return query;
  const partnerId = actor.partnerId;
  return query.where((eb) => eb.or(PARTY_COLUMNS.map((column) => eb(column, '=', partnerId))));
}

/** Whether the actor may see the patient's identity on a case (joined as `patients`): PHI rules of scope.ts. */
export function patientEntitled(actor: Actor) {
  const scope = patientScopeOf(actor);
  switch (scope.kind) {
    case 'all':
      return sql<boolean>`true`;
    case 'partner':
      return sql<boolean>`(patients.treatment_centre_partner_id = ${scope.partnerId})`;
    case 'self':
      return sql<boolean>`(patients.id = ${scope.patientId})`;
    case 'provider':
      return sql<boolean>`exists (select 1 from provider_patients pp where pp.patient_id = patients.id and pp.provider_id = ${scope.providerId})`;
    case 'none':
      return sql<boolean>`false`;
  }
}

export function toCaseActor(actor: StaffActor): CaseActor {
  return { userId: actor.id, partnerId: actor.partnerId, partnerType: actor.partnerType, roles: actor.roles };
}

type CaseRow = Selectable<Schema['cases']>;

export function partiesOf(row: {
  treatment_centre_partner_id: string;
  sponsor_partner_id: string | null;
  collection_centre_partner_id: string | null;
  manufacturing_site_partner_id: string | null;
  courier_partner_id: string | null;
  laboratory_partner_id: string | null;
}): CaseParties {
  const parties: CaseParties = { treatmentCentrePartnerId: row.treatment_centre_partner_id };
  if (row.sponsor_partner_id) parties.sponsorPartnerId = row.sponsor_partner_id;
  if (row.collection_centre_partner_id) parties.collectionCentrePartnerId = row.collection_centre_partner_id;
  if (row.manufacturing_site_partner_id)
    parties.manufacturingSitePartnerId = row.manufacturing_site_partner_id;
  if (row.courier_partner_id) parties.courierPartnerId = row.courier_partner_id;
  if (row.laboratory_partner_id) parties.laboratoryPartnerId = row.laboratory_partner_id;
  return parties;
}

export type LoadedCase = {
  row: CaseRow;
  template: TherapyTemplate;
  events: CaseEvent[];
  state: CaseState;
  parties: CaseParties;
};

export async function loadEvents(db: Db, caseId: string): Promise<CaseEvent[]> {
  const rows = await db
    .selectFrom('case_events')
    .select('event')
    .where('case_id', '=', caseId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.event as unknown as CaseEvent);
}

/** A case the actor may see (or any, for the system), optionally locked for a transition. */
export async function loadCase(
  db: Db,
  actor: Actor,
  caseId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoadedCase | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) return undefined;
  let query = visibleCases(db, actor).selectAll('cases').where('cases.id', '=', caseId);
  // The row lock serialises transitions of one case, so its events stay gap-free.
  if (options.forUpdate) query = query.forUpdate();
  const row = (await query.executeTakeFirst()) as CaseRow | undefined;
  if (!row) return undefined;
  const stored = await findTemplate(db, row.template_code, row.template_version);
  if (!stored)
    throw new Error(`case ${caseId}: template ${row.template_code} v${row.template_version} is missing`);
  const events = await loadEvents(db, caseId);
  return {
    row,
    template: stored.document,
    events,
    state: caseState(stored.document, events),
    parties: partiesOf(row),
  };
}

export type CaseRefusal = DecideError | { kind: 'not_found' };
export type CaseResult = { ok: true; caseId: string } | { ok: false; error: CaseRefusal };

const engine = systemActor('case-engine');

function ledgerReason(event: CaseEvent): string | null {
  switch (event.type) {
    case 'exception_raised':
      return `${event.reasonCode}: ${event.reason}`;
    case 'branch_taken':
      return event.reason ?? null;
    case 'step_abandoned':
    case 'case_held':
    case 'case_resumed':
    case 'case_cancelled':
      return event.reason;
    case 'case_closed':
      return `${event.reason}: ${event.note}`;
    default:
      return null;
  }
}

/** Appends events with their ledger entries and rewrites the projections; the caller holds the row lock. */
async function recordTransition(
  trx: Tx,
  actor: Actor,
  loaded: { template: TherapyTemplate; parties: CaseParties; caseId: string; before: CaseState | null },
  events: CaseEvent[],
  now: Date,
): Promise<CaseState> {
  const { template, parties, caseId, before } = loaded;
  const state = before ? evolve(template, before, events) : caseState(template, events);
  if (events.length === 0) return state;
  await trx
    .insertInto('case_events')
    .values(
      events.map((event) => ({
        case_id: caseId,
        seq: event.seq,
        type: event.type,
        at: new Date(event.at),
        event: jsonbValue(event as unknown as JsonObject).value,
      })),
    )
    .execute();
  for (const event of events)
    await appendLedgerEntry(
      trx,
      {
        stream: `case:${caseId}`,
        actor: event.by && actor.kind !== 'system' && event.by.userId === actor.id ? actor : engine,
        ...(event.by ? { actingRole: event.by.role } : {}),
        action: `case.${event.type}`,
        recordType: 'case',
        recordId: caseId,
        after: event,
        reason: ledgerReason(event),
      },
      now,
    );
  await writeCaseProjection(trx, template, state, parties, now);
  await scheduleCaseTimers(trx, template, state, now);
  return state;
}

export async function writeCaseProjection(
  trx: Tx,
  template: TherapyTemplate,
  state: CaseState,
  parties: CaseParties,
  now: Date,
): Promise<void> {
  const index = indexTemplate(template);
  const currentSteps: CurrentStep[] = state.openSteps.map((key) => ({
    key,
    title: index.step.get(key)?.title ?? key,
    stage: index.stageOf.get(key)?.key ?? '',
    openedAt: state.steps[key]?.openedAt ?? state.openedAt,
    dueAt: stepDueAt(template, state, key),
  }));
  const dues = currentSteps.flatMap((s) => (s.dueAt ? [s.dueAt] : [])).sort();
  const partnerNames = await partnerNamesOf(trx, Object.values(parties));
  await trx
    .updateTable('cases')
    .set({
      status: state.status,
      last_seq: state.lastSeq,
      updated_at: now,
      current_stages: state.currentStages,
      current_steps: jsonbValue({ steps: currentSteps }).value,
      waiting_for: waitingSentence(template, state, parties, partnerNames),
      next_due_at: state.status === 'active' && dues[0] ? new Date(dues[0]) : null,
    })
    .where('id', '=', state.caseId)
    .execute();
  await replaceWorkItems(trx, template, state, parties);
}

export async function partnerNamesOf(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(ids.filter(Boolean))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('partners').select(['id', 'name']).where('id', 'in', unique).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** "Who must do what": a sentence for the case list, from the open steps and their gates. */
export function waitingSentence(
  template: TherapyTemplate,
  state: CaseState,
  parties: CaseParties,
  partnerNames: Map<string, string>,
): string {
  if (TERMINAL_STATUSES.includes(state.status)) return `Nothing: the case is ${state.status}.`;
  if (state.status === 'on_hold') {
    const held = [...state.history].reverse().find((h) => h.type === 'case_held');
    return `On hold${held ? ` (${held.summary.replace(/^case held: /, '')})` : ''}; a case manager or coordinator resumes it.`;
  }
  const index = indexTemplate(template);
  const parts = state.openSteps.map((key) => {
    const step = index.step.get(key);
    const waiting = state.waitingFor[key];
    if (!step || !waiting) return key;
    const exception = state.openExceptions.find((e) => e.step === key);
    if (exception) {
      const role = step.exceptions.find((e) => e.code === exception.code)?.branches[0]?.decidedBy[0];
      return `${step.title}: a decision${role ? ` by ${ROLES[role].label}` : ''} on ${exception.code.replaceAll('_', ' ')}`;
    }
    const partner = partnerNames.get(partyFor(parties, step.partnerType) ?? '') ?? step.partnerType;
    const title = (task: string) => step.tasks.find((t) => t.key === task)?.title ?? task;
    const what = waiting.ready
      ? 'complete the step'
      : describeWaiting(waiting, title).replace(/^waits for /, '');
    return `${step.title}: waiting for ${partner} (${ROLES[step.role].label}): ${what}`;
  });
  return `${state.status === 'quarantined' ? 'Quarantined. ' : ''}${parts.join('; ')}`;
}

export type OpenCaseInput = {
  patientId: string;
  templateCode: string;
  treatmentCentrePartnerId: string;
  country: string;
  siteId?: string | undefined;
  caseOwnerUserId: string;
  parties: {
    collectionCentrePartnerId: string;
    manufacturingPartnerId: string;
    courierPartnerId: string;
    laboratoryPartnerId?: string | undefined;
  };
};

const invalid = (field: string, reason: string): { ok: false; error: CaseRefusal } => ({
  ok: false,
  error: { kind: 'invalid_input', fields: [{ field, reason }] },
});

/** Opens a case on the highest published version of its template. */
export async function openCase(
  trx: Tx,
  actor: StaffActor,
  input: OpenCaseInput,
  now: Date,
): Promise<CaseResult> {
  // A patient the actor may not see does not exist for them (the same answer as an unknown id).
  const patient = await visiblePatients(trx, actor)
    .select(['patients.id', 'patients.treatment_centre_partner_id'])
    .where('patients.id', '=', input.patientId)
    .executeTakeFirst();
  if (!patient) return invalid('body.patientId', 'no such patient');
  if (patient.treatment_centre_partner_id !== input.treatmentCentrePartnerId)
    return invalid('body.treatmentCentrePartnerId', 'must be the treatment centre of the patient');
  const wanted: Array<[string, string | undefined, PartnerType]> = [
    ['body.treatmentCentrePartnerId', input.treatmentCentrePartnerId, 'treatment_centre'],
    ['body.parties.collectionCentrePartnerId', input.parties.collectionCentrePartnerId, 'collection_centre'],
    ['body.parties.manufacturingPartnerId', input.parties.manufacturingPartnerId, 'manufacturing_site'],
    ['body.parties.courierPartnerId', input.parties.courierPartnerId, 'courier'],
    ['body.parties.laboratoryPartnerId', input.parties.laboratoryPartnerId, 'laboratory'],
  ];
  const ids = wanted.flatMap(([, id]) => (id && /^[0-9a-f-]{36}$/i.test(id) ? [id] : []));
  const partners = ids.length
    ? await trx.selectFrom('partners').select(['id', 'type']).where('id', 'in', ids).execute()
    : [];
  for (const [field, id, type] of wanted) {
    if (!id) continue;
    const partner = partners.find((p) => p.id === id);
    if (!partner) return invalid(field, 'no such partner');
    // A hospital may collect its own cells: its apheresis unit fills the collection-centre party.
    const fits =
      partner.type === type || (type === 'collection_centre' && partner.type === 'treatment_centre');
    if (!fits)
      return invalid(field, `must be a ${type.replaceAll('_', ' ')} (this partner is a ${partner.type})`);
  }
  const owner = /^[0-9a-f-]{36}$/i.test(input.caseOwnerUserId)
    ? await trx.selectFrom('users').select('id').where('id', '=', input.caseOwnerUserId).executeTakeFirst()
    : undefined;
  if (!owner) return invalid('body.caseOwnerUserId', 'no such user');
  let siteId = input.siteId;
  if (siteId) {
    const site = /^[0-9a-f-]{36}$/i.test(siteId)
      ? await trx
          .selectFrom('sites')
          .select('id')
          .where('id', '=', siteId)
          .where('partner_id', 'in', [
            input.treatmentCentrePartnerId,
            input.parties.collectionCentrePartnerId,
          ])
          .executeTakeFirst()
      : undefined;
    if (!site) return invalid('body.siteId', 'must be a site of the treatment centre');
  } else {
    const site = await trx
      .selectFrom('sites')
      .select('id')
      .where('partner_id', '=', input.treatmentCentrePartnerId)
      .orderBy('code')
      .executeTakeFirst();
    siteId = site?.id ?? input.treatmentCentrePartnerId;
  }
  const stored = await latestPublished(trx, input.templateCode);
  if (!stored) return invalid('body.templateCode', 'no published version of this template');
  const startable = canStartCase({
    code: stored.code,
    version: stored.version,
    status: stored.status,
    template: stored.document,
  });
  if (!startable.ok) return invalid('body.templateCode', startable.reason);
  // The programme's sponsor is a party of every case (enrolment, approvals, the control tower).
  const sponsor =
    actor.partnerType === 'sponsor'
      ? { id: actor.partnerId }
      : await trx
          .selectFrom('partners')
          .select('id')
          .where('type', '=', 'sponsor')
          .orderBy('created_at')
          .orderBy('code')
          .executeTakeFirst();
  const parties: CaseParties = {
    treatmentCentrePartnerId: input.treatmentCentrePartnerId,
    collectionCentrePartnerId: input.parties.collectionCentrePartnerId,
    manufacturingSitePartnerId: input.parties.manufacturingPartnerId,
    courierPartnerId: input.parties.courierPartnerId,
    ...(sponsor ? { sponsorPartnerId: sponsor.id } : {}),
    ...(input.parties.laboratoryPartnerId ? { laboratoryPartnerId: input.parties.laboratoryPartnerId } : {}),
  };
  const caseId = randomUUID();
  const decided = decide(
    stored.document,
    null,
    {
      type: 'open_case',
      caseId,
      patientId: input.patientId,
      country: input.country,
      siteId,
      caseOwnerUserId: input.caseOwnerUserId,
    },
    { actor: toCaseActor(actor), now, caseParties: parties },
  );
  if (!decided.ok)
    return decided.error.kind === 'invalid_input'
      ? {
          ok: false,
          error: {
            kind: 'invalid_input',
            fields: decided.error.fields.map((f) => ({ ...f, field: `body.${f.field}` })),
          },
        }
      : decided;
  const state = caseState(stored.document, decided.events);
  await trx
    .insertInto('cases')
    .values({
      id: caseId,
      reference: `CW-${randomBytes(4).toString('hex').toUpperCase()}`,
      patient_id: input.patientId,
      template_code: stored.code,
      template_version: stored.version,
      therapy_type: stored.therapyType,
      treatment_centre_partner_id: parties.treatmentCentrePartnerId,
      sponsor_partner_id: parties.sponsorPartnerId ?? null,
      collection_centre_partner_id: parties.collectionCentrePartnerId ?? null,
      manufacturing_site_partner_id: parties.manufacturingSitePartnerId ?? null,
      courier_partner_id: parties.courierPartnerId ?? null,
      laboratory_partner_id: parties.laboratoryPartnerId ?? null,
      country: input.country,
      site_id: siteId,
      case_owner_user_id: input.caseOwnerUserId,
      status: state.status,
      last_seq: state.lastSeq,
      opened_at: now,
      updated_at: now,
      current_stages: [],
      current_steps: jsonbValue({ steps: [] }).value,
      waiting_for: '',
      next_due_at: null,
    })
    .execute();
  await recordTransition(
    trx,
    actor,
    { template: stored.document, parties, caseId, before: null },
    decided.events,
    now,
  );
  return { ok: true, caseId };
}

/** One command on one case: locked, decided, recorded; a refusal writes nothing. */
export async function runCaseCommand(
  trx: Tx,
  actor: StaffActor,
  caseId: string,
  command: CaseCommand & { expectedSeq?: number },
  now: Date,
  options: { signer?: VerifiedSigner } = {},
): Promise<CaseResult> {
  const loaded = await loadCase(trx, actor, caseId, { forUpdate: true });
  if (!loaded) return { ok: false, error: { kind: 'not_found' } };
  const { expectedSeq, ...rest } = command as CaseCommand & { expectedSeq?: unknown };
  if (expectedSeq !== undefined && expectedSeq !== loaded.state.lastSeq)
    return {
      ok: false,
      error: {
        kind: 'conflict',
        reason: `the case has moved on: expectedSeq ${String(expectedSeq)}, but its last event is ${loaded.state.lastSeq}`,
      },
    };
  if ((rest as { type?: unknown }).type === 'open_case')
    return invalid('body.type', 'open a case with POST /api/cases');
  const decided = decide(loaded.template, loaded.state, rest as CaseCommand, {
    actor: toCaseActor(actor),
    now,
    caseParties: loaded.parties,
  });
  if (!decided.ok) {
    if (decided.error.kind === 'invalid_input')
      return {
        ok: false,
        error: {
          kind: 'invalid_input',
          fields: decided.error.fields.map((f) => ({ ...f, field: `body.${f.field}` })),
        },
      };
    return decided;
  }
  const command_ = rest as CaseCommand;
  if (command_.type === 'record_signature' && options.signer) {
    const signed = options.signer.request;
    // The verified signature must name exactly the step record the engine just accepted.
    if (
      signed.recordType !== CASE_STEP_RECORD ||
      signed.recordId !== caseStepRecordId(caseId, command_.step) ||
      signed.recordHash !== command_.recordHash ||
      signed.meaning !== command_.meaning
    )
      return { ok: false, error: { kind: 'conflict', reason: 'the signature was given on another record' } };
    await recordSignature(trx, options.signer, now);
  }
  await recordTransition(
    trx,
    actor,
    { template: loaded.template, parties: loaded.parties, caseId, before: loaded.state },
    decided.events,
    now,
  );
  return { ok: true, caseId };
}

/** Fields of the open tasks of a step, with their optionality as resolved for this case. */
export function openFields(template: TherapyTemplate, state: CaseState, step: string) {
  const definition = indexTemplate(template).step.get(step);
  const run = state.steps[step];
  if (!definition || !run) return [];
  const { fieldRequired } = resolveStep(template, step, { country: state.country, siteId: state.siteId });
  return definition.tasks
    .filter((t) => run.tasks[t.key]?.status !== 'done')
    .flatMap((t) =>
      t.fields.map((f) => ({
        key: f.key,
        task: t.key,
        label: f.label,
        type: f.type,
        ...(f.type === 'number' ? { unit: f.unit } : {}),
        ...(f.type === 'choice' ? { options: f.options } : {}),
        ...(f.type === 'identifier' ? { pattern: f.pattern } : {}),
        required: fieldRequired[f.key] ?? f.required,
      })),
    );
}

export type RoleName = Role;
