import { type Kysely, sql } from 'kysely';
import { ROLES, type Role } from '../platform/access/roles.ts';
import type { Schema } from '../platform/db/schema.ts';
import { indexTemplate } from '../therapy/template-index.ts';
import { partyFor } from './case-authorisation.ts';
import type { CaseStatus } from './case-state.ts';
import {
  type LoadedCase,
  loadCase,
  openFields,
  partnerNamesOf,
  patientEntitled,
  type StaffActor,
  visibleCases,
} from './case-store.ts';
import type { CurrentStep } from './case-tables.ts';
import { partyForRole, stepDueAt } from './work-queue-items.ts';

/*
 * What the case list and the case page read. The list reads the `cases` projection only (no
 * events are folded); the page folds the case's events (a few hundred at most, see the bench).
 * The patient's name appears only for actors entitled to it (scope.ts); everyone else sees the
 * case reference. Callers log the patients whose names they showed (PHI access accounting).
 */
type Db = Kysely<Schema>;

export type CaseSummary = {
  id: string;
  reference: string;
  patientLabel: string;
  templateCode: string;
  templateVersion: number;
  therapyType: string;
  status: CaseStatus;
  treatmentCentre: { id: string; name: string };
  openedAt: string;
  currentSteps: Array<CurrentStep & { overdue: boolean }>;
  waitingFor: string;
};

export type CaseFilters = {
  therapyType?: string | undefined;
  stage?: string | undefined;
  partnerId?: string | undefined;
  siteId?: string | undefined;
  overdue?: boolean | undefined;
  status?: string | undefined;
  limit?: number | undefined;
};

function summaries(db: Db, actor: StaffActor) {
  return visibleCases(db, actor)
    .innerJoin('patients', 'patients.id', 'cases.patient_id')
    .innerJoin('partners as centre', 'centre.id', 'cases.treatment_centre_partner_id')
    .select([
      'cases.id',
      'cases.reference',
      'cases.patient_id',
      'cases.template_code',
      'cases.template_version',
      'cases.therapy_type',
      'cases.status',
      'cases.treatment_centre_partner_id',
      'centre.name as centre_name',
      'cases.opened_at',
      'cases.current_steps',
      'cases.waiting_for',
      'patients.given_name',
      'patients.family_name',
      patientEntitled(actor).as('entitled'),
    ]);
}

type SummaryRow = Awaited<ReturnType<ReturnType<typeof summaries>['executeTakeFirstOrThrow']>>;

function toSummary(row: SummaryRow, now: Date): CaseSummary {
  const steps = (row.current_steps as { steps?: CurrentStep[] }).steps ?? [];
  const active = row.status === 'active';
  return {
    id: row.id,
    reference: row.reference,
    patientLabel: row.entitled ? `${row.given_name} ${row.family_name}` : row.reference,
    templateCode: row.template_code,
    templateVersion: row.template_version,
    therapyType: row.therapy_type,
    status: row.status as CaseStatus,
    treatmentCentre: { id: row.treatment_centre_partner_id, name: row.centre_name },
    openedAt: new Date(row.opened_at).toISOString(),
    currentSteps: steps.map((s) => ({
      ...s,
      overdue: active && s.dueAt !== null && Date.parse(s.dueAt) < now.getTime(),
    })),
    waitingFor: row.waiting_for,
  };
}

export async function listCases(
  db: Db,
  actor: StaffActor,
  filters: CaseFilters,
  now: Date,
): Promise<{ cases: CaseSummary[]; patientIdsShown: string[] }> {
  let query = summaries(db, actor);
  if (filters.therapyType) query = query.where('cases.therapy_type', '=', filters.therapyType);
  if (filters.status) query = query.where('cases.status', '=', filters.status);
  if (filters.siteId) query = query.where('cases.site_id', '=', filters.siteId);
  if (filters.stage) query = query.where(sql<boolean>`${filters.stage} = any(cases.current_stages)`);
  if (filters.overdue)
    query = query.where('cases.status', '=', 'active').where('cases.next_due_at', '<', now);
  if (filters.partnerId) {
    const p = filters.partnerId;
    query = query.where((eb) =>
      eb.or([
        eb('cases.treatment_centre_partner_id', '=', p),
        eb('cases.collection_centre_partner_id', '=', p),
        eb('cases.manufacturing_site_partner_id', '=', p),
        eb('cases.courier_partner_id', '=', p),
        eb('cases.laboratory_partner_id', '=', p),
        eb('cases.sponsor_partner_id', '=', p),
      ]),
    );
  }
  const rows = await query
    .orderBy('cases.opened_at', 'desc')
    .orderBy('cases.id')
    .limit(filters.limit ?? 200)
    .execute();
  return {
    cases: rows.map((r) => toSummary(r, now)),
    patientIdsShown: [...new Set(rows.filter((r) => r.entitled).map((r) => r.patient_id))],
  };
}

type Person = { userId: string; name: string; partnerName: string; role: string };

export type CaseDetail = {
  case: CaseSummary;
  openSteps: unknown[];
  openExceptions: unknown[];
  timeline: Array<{ seq: number; at: string; type: string; summary: string; by: Person | null }>;
  heldBy: { partnerName: string; role: string; since: string; waitingMinutes: number } | null;
};

/** The case page: summary, open steps with what each waits for, the timeline and who holds the case. */
export async function caseDetail(
  db: Db,
  actor: StaffActor,
  caseId: string,
  now: Date,
): Promise<{ detail: CaseDetail; patientIdsShown: string[] } | undefined> {
  const loaded = await loadCase(db, actor, caseId);
  if (!loaded) return undefined;
  const row = await summaries(db, actor).where('cases.id', '=', caseId).executeTakeFirstOrThrow();
  const summary = toSummary(row, now);
  const { template, state, parties } = loaded;
  const index = indexTemplate(template);
  const firings = await db
    .selectFrom('case_timer_firings')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('fired_at')
    .execute();
  const userIds = new Set<string>();
  for (const h of state.history) if (h.by) userIds.add(h.by.userId);
  const users = userIds.size
    ? await db
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('id', 'in', [...userIds])
        .execute()
    : [];
  const userName = new Map(users.map((u) => [u.id, u.display_name]));
  const partnerIds = [
    ...Object.values(parties),
    ...state.history.flatMap((h) => (h.by ? [h.by.partnerId] : [])),
  ];
  const partnerName = await partnerNamesOf(db, partnerIds);
  const active = state.status === 'active';

  const openSteps = state.openSteps.map((key) => {
    const step = index.step.get(key);
    const run = state.steps[key];
    const waiting = state.waitingFor[key];
    if (!step || !run || !waiting) throw new Error(`open step ${key} without its definition`);
    const dueAt = stepDueAt(template, state, key);
    const responsibleId = partyFor(parties, step.partnerType) ?? null;
    const done = (task: string) => run.tasks[task]?.status === 'done';
    return {
      key,
      title: step.title,
      stage: index.stageOf.get(key)?.key ?? '',
      attempt: run.attempt,
      openedAt: run.openedAt,
      dueAt,
      overdue: active && dueAt !== null && Date.parse(dueAt) < now.getTime(),
      responsible: {
        partnerType: step.partnerType,
        partnerId: responsibleId,
        partnerName: responsibleId ? (partnerName.get(responsibleId) ?? '') : '',
        role: step.role,
      },
      waitingFor: {
        fields: openFields(template, state, key),
        tasks: step.tasks.map((t) => ({
          key: t.key,
          title: t.title,
          role: t.role ?? step.role,
          partnerType: t.partnerType ?? step.partnerType,
          done: done(t.key),
        })),
        approvals: step.gates.approvals.map((a) => ({
          role: a.role,
          partnerType: a.partnerType ?? step.partnerType,
          needed: a.count,
          given: run.approvals.filter((g) => g.role === a.role).length,
        })),
        signatures: {
          required: waiting.signatures?.needed ?? run.signatures.length,
          given: run.signatures.length,
          ...(waiting.signatures
            ? {
                recordHash: waiting.signatures.recordHash,
                meaning: waiting.signatures.meaning,
                nextRoles: waiting.signatures.nextRoles,
              }
            : {}),
        },
        custody: waiting.custody,
        ready: waiting.ready,
      },
      exceptions: step.exceptions.map((e) => ({
        code: e.code,
        reasonCodes: e.reasonCodes,
        raisedBy: e.raisedBy,
      })),
    };
  });

  const openExceptions = state.openExceptions.map((e) => {
    const definition = index.step.get(e.step)?.exceptions.find((d) => d.code === e.code);
    return {
      exceptionId: e.exceptionId,
      step: e.step,
      attempt: e.attempt,
      code: e.code,
      reasonCode: e.reasonCode,
      reason: e.reason,
      quarantine: e.quarantine,
      raisedAt: e.raisedAt,
      branches: (definition?.branches ?? []).map((b) => ({
        key: b.key,
        title: b.title,
        kind: b.kind,
        decidedBy: b.decidedBy,
        ...(b.toStep ? { toStep: b.toStep } : {}),
      })),
    };
  });

  const person = (by: { userId: string; partnerId: string; role: string } | null): Person | null =>
    by
      ? {
          userId: by.userId,
          name: userName.get(by.userId) ?? '',
          partnerName: partnerName.get(by.partnerId) ?? '',
          role: by.role,
        }
      : null;
  // Timer firings are not case events (they change nothing a decision depends on); they are shown
  // in the timeline after the event they followed, with that event's seq.
  const timeline: CaseDetail['timeline'] = state.history.map((h) => ({
    seq: h.seq,
    at: h.at,
    type: h.type,
    summary: h.summary,
    by: person(h.by),
  }));
  for (const f of firings) {
    const at = new Date(f.fired_at).toISOString();
    const after = [...state.history].reverse().find((h) => h.at <= at);
    timeline.push({
      seq: after?.seq ?? 1,
      at,
      type: f.kind === 'due' ? 'step_overdue' : 'escalation_fired',
      summary:
        f.kind === 'due'
          ? `step ${f.step} overdue (due ${new Date(f.due_at).toISOString()})`
          : `escalated to ${ROLES[f.to_role as Role]?.label ?? f.to_role}: step ${f.step} overdue`,
      by: null,
    });
  }
  timeline.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));

  return {
    detail: {
      case: summary,
      openSteps,
      openExceptions,
      timeline,
      heldBy: heldBy(loaded, partnerName, now),
    },
    patientIdsShown: row.entitled ? [row.patient_id] : [],
  };
}

/** Who holds the case now: the partner and role of the longest-waiting open step. */
function heldBy(loaded: LoadedCase, partnerName: Map<string, string>, now: Date): CaseDetail['heldBy'] {
  const { template, state, parties } = loaded;
  const index = indexTemplate(template);
  const candidates = state.openSteps
    .map((key) => ({ key, run: state.steps[key], step: index.step.get(key) }))
    .filter((c) => c.run && c.step)
    .sort((a, b) => ((a.run?.openedAt ?? '') < (b.run?.openedAt ?? '') ? -1 : 1));
  const first = candidates[0];
  if (!first?.step || !first.run) return null;
  const exception = state.openExceptions.find((e) => e.step === first.key);
  const role = exception
    ? (first.step.exceptions.find((e) => e.code === exception.code)?.branches[0]?.decidedBy[0] ??
      first.step.role)
    : first.step.role;
  const partnerId = exception ? partyForRole(parties, role) : partyFor(parties, first.step.partnerType);
  const since = exception ? exception.raisedAt : first.run.openedAt;
  return {
    partnerName: partnerName.get(partnerId ?? '') ?? '',
    role,
    since,
    waitingMinutes: Math.max(0, Math.floor((now.getTime() - Date.parse(since)) / 60_000)),
  };
}
