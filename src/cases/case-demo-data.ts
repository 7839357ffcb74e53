import type { PartnerType } from '../partners/partner-tables.ts';
import { systemActor } from '../platform/access/actor.ts';
import { permissionsOf } from '../platform/access/permissions.ts';
import type { Role } from '../platform/access/roles.ts';
import type { Database } from '../platform/db/database.ts';
import { inTransaction, type Tx } from '../platform/db/transaction.ts';
import { DEMO_TEMPLATES } from '../therapy/demo-templates/demo-template-list.ts';
import { indexTemplate, taskPartnerType, taskRole } from '../therapy/template-index.ts';
import { changeTemplateStatus, createTemplateDraft, findTemplate } from '../therapy/template-store.ts';

import { partyFor } from './case-authorisation.ts';
import type { CaseCommand } from './case-commands.ts';
import { loadCase, openCase, runCaseCommand, type StaffActor } from './case-store.ts';
import { validFields } from './case-test-kit.ts';

const seedActor = systemActor('demo-seed');

/** The four demo therapies, published. Safe to repeat: a version that exists is left as it is. */
export async function seedDemoTemplates(database: Database, now = new Date()): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (const document of DEMO_TEMPLATES) {
      const code = document.code;
      const version = document.version;
      let stored = await findTemplate(trx, code, version);
      if (!stored) {
        const created = await createTemplateDraft(trx, seedActor, document, now);
        if (!created.ok) throw new Error(`demo template ${code}: ${JSON.stringify(created.error)}`);
        stored = created.template;
      }
      if (stored.status === 'draft') {
        const published = await changeTemplateStatus(
          trx,
          seedActor,
          { code, version, to: 'published', reason: 'demo data' },
          now,
        );
        if (!published.ok) throw new Error(`demo template ${code}: ${JSON.stringify(published.error)}`);
      }
    }
  });
}

type DemoCase = {
  mrn: string;
  partners: { centre: string; collection: string; country: string };
  openedDaysAgo: number;
  /** Run open steps in order until this one is open (or the case waits for a partner without demo users). */
  until: string;
  exception?: { step: string; code: string; reasonCode: string; raisedBy: string };
};

/**
 * Cases at different points of the CAR-T journey, so the case list, the case page and every demo
 * user's work queue have something real on them: one in manufacturing, one quarantined after a
 * temperature excursion on its way to the hospital, one waiting at a collection centre, and one
 * referral that nobody has picked up (overdue, so its escalation fires once the server runs).
 */
export const DEMO_CASES: DemoCase[] = [
  {
    mrn: 'STE-100234',
    partners: { centre: 'ST-ELISABETH', collection: 'ST-ELISABETH', country: 'DE' },
    openedDaysAgo: 9,
    until: 'manufacturing',
  },
  {
    mrn: 'STE-100871',
    partners: { centre: 'ST-ELISABETH', collection: 'ST-ELISABETH', country: 'DE' },
    openedDaysAgo: 24,
    until: 'ship_to_site',
    exception: {
      step: 'ship_to_site',
      code: 'temperature_excursion',
      reasonCode: 'above_range',
      raisedBy: 'courier@coldpath.example',
    },
  },
  {
    mrn: 'LCC-55821',
    partners: { centre: 'LAKESIDE-CC', collection: 'NORTHBRIDGE-APH', country: 'US' },
    openedDaysAgo: 6,
    until: 'apheresis',
  },
  {
    mrn: 'SRO-77310',
    partners: { centre: 'SAINT-ROCH', collection: 'SAINT-ROCH', country: 'FR' },
    openedDaysAgo: 4,
    until: 'referral',
  },
];

async function staffActor(trx: Tx, email: string): Promise<StaffActor | undefined> {
  const user = await trx
    .selectFrom('users')
    .innerJoin('partners', 'partners.id', 'users.partner_id')
    .select(['users.id', 'users.display_name', 'users.partner_id', 'users.roles', 'partners.type'])
    .where('users.email', '=', email)
    .executeTakeFirst();
  if (!user) return undefined;
  const roles = user.roles as Role[];
  return {
    kind: 'user',
    id: user.id,
    displayName: user.display_name,
    partnerId: user.partner_id,
    partnerType: user.type as PartnerType,
    roles,
    permissions: permissionsOf(roles),
  };
}

/** The demo user who does work of a role for a partner, if the demo has one there. */
async function personFor(trx: Tx, partnerId: string, role: Role, n: number): Promise<StaffActor | undefined> {
  const rows = await trx
    .selectFrom('users')
    .select('email')
    .where('partner_id', '=', partnerId)
    .where('demo', '=', true)
    .where((eb) => eb(eb.val(role), '=', eb.fn.any('roles')))
    .orderBy('email')
    .execute();
  const row = rows[Math.min(n, rows.length) - 1];
  return row ? staffActor(trx, row.email) : undefined;
}

/** Does what a step waits for as the demo users of its partners would; false when nobody can. */
async function finishDemoStep(trx: Tx, caseId: string, step: string, clock: () => Date): Promise<boolean> {
  const run = async (who: StaffActor | undefined, command: CaseCommand) => {
    if (!who) return false;
    const result = await runCaseCommand(trx, who, caseId, command, clock());
    if (!result.ok)
      throw new Error(`demo case ${caseId}: ${command.type} on ${step}: ${JSON.stringify(result.error)}`);
    return true;
  };
  const load = async () => {
    const loaded = await loadCase(trx, seedActor, caseId);
    if (!loaded) throw new Error(`demo case ${caseId} vanished`);
    return loaded;
  };
  let { template, state, parties } = await load();
  const definition = indexTemplate(template).step.get(step);
  if (!definition) return false;
  for (const task of definition.tasks)
    if (state.steps[step]?.tasks[task.key]?.status === 'open') {
      const partnerId = partyFor(parties, taskPartnerType(definition, task));
      const who = partnerId ? await personFor(trx, partnerId, taskRole(definition, task), 1) : undefined;
      if (
        !(await run(who, {
          type: 'complete_task',
          step,
          task: task.key,
          fields: validFields(template, step, task.key),
        }))
      )
        return false;
    }
  ({ state } = await load());
  for (const approval of state.waitingFor[step]?.approvals ?? [])
    for (let n = approval.given; n < approval.needed; n++) {
      const partnerId = partyFor(parties, approval.partnerType);
      const who = partnerId ? await personFor(trx, partnerId, approval.role, n + 1) : undefined;
      if (!(await run(who, { type: 'give_approval', step, role: approval.role }))) return false;
    }
  const stepPartner = partyFor(parties, definition.partnerType);
  const responsible = stepPartner ? await personFor(trx, stepPartner, definition.role, 1) : undefined;
  ({ state } = await load());
  if (state.waitingFor[step]?.custody)
    if (!(await run(responsible, { type: 'confirm_custody', step, custodyRecordId: `demo-custody-${step}` })))
      return false;
  for (let guard = 0; guard < 6; guard++) {
    ({ state } = await load());
    const signatures = state.waitingFor[step]?.signatures;
    if (!signatures) break;
    const signerPartner = partyFor(
      parties,
      definition.gates.signatures?.partnerType ?? definition.partnerType,
    );
    const who = signerPartner
      ? await personFor(trx, signerPartner, signatures.nextRoles[0] as Role, signatures.given + 1)
      : undefined;
    const signed = await run(who, {
      type: 'record_signature',
      step,
      meaning: signatures.meaning,
      recordHash: signatures.recordHash,
    });
    if (!signed) return false;
  }
  return run(responsible, { type: 'complete_step', step });
}

/** The demo cases; a patient who has a case already is left as they are. */
export async function seedDemoCases(database: Database, now = new Date()): Promise<void> {
  for (const demo of DEMO_CASES)
    await inTransaction(database, async (trx) => {
      const patient = await trx
        .selectFrom('patients')
        .select('id')
        .where('mrn', '=', demo.mrn)
        .executeTakeFirst();
      if (!patient) return;
      if (await trx.selectFrom('cases').select('id').where('patient_id', '=', patient.id).executeTakeFirst())
        return;
      const partnerId = async (code: string) =>
        (await trx.selectFrom('partners').select('id').where('code', '=', code).executeTakeFirstOrThrow()).id;
      const manager = await staffActor(trx, 'case.manager@aurora.example');
      if (!manager) return;
      let at = now.getTime() - demo.openedDaysAgo * 86_400_000;
      // Each piece of work an hour or two after the one before, so the timeline reads like a real one.
      const clock = () => {
        at += 90 * 60_000;
        return new Date(Math.min(at, now.getTime()));
      };
      const opened = await openCase(
        trx,
        manager,
        {
          patientId: patient.id,
          templateCode: 'car-t-autologous',
          treatmentCentrePartnerId: await partnerId(demo.partners.centre),
          country: demo.partners.country,
          caseOwnerUserId: manager.id,
          parties: {
            collectionCentrePartnerId: await partnerId(demo.partners.collection),
            manufacturingPartnerId: await partnerId('AURORA-LEIDEN'),
            courierPartnerId: await partnerId('COLDPATH'),
          },
        },
        clock(),
      );
      if (!opened.ok) throw new Error(`demo case for ${demo.mrn}: ${JSON.stringify(opened.error)}`);
      for (let guard = 0; guard < 40; guard++) {
        const loaded = await loadCase(trx, seedActor, opened.caseId);
        const open = loaded?.state.openSteps ?? [];
        if (open.length === 0 || open.includes(demo.until)) break;
        if (!(await finishDemoStep(trx, opened.caseId, open[0] as string, clock))) break;
      }
      if (demo.exception) {
        const who = await staffActor(trx, demo.exception.raisedBy);
        if (who) {
          const raised = await runCaseCommand(
            trx,
            who,
            opened.caseId,
            {
              type: 'raise_exception',
              step: demo.exception.step,
              code: demo.exception.code as never,
              reasonCode: demo.exception.reasonCode,
              reason: 'Shipper logger shows 12 minutes above -150 °C',
            },
            clock(),
          );
          if (!raised.ok) throw new Error(`demo case for ${demo.mrn}: ${JSON.stringify(raised.error)}`);
        }
      }
    });
}
