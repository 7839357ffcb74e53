// Test support shared by the case tests: parties, actors of every partner, valid field values
// and a driver that walks a case to its end the way real users would.
import type { PartnerType } from '../partners/partner-tables.ts';
import type { Role } from '../platform/access/roles.ts';
import { carTAutologousTemplate } from '../therapy/demo-templates/car-t-autologous.ts';
import { indexTemplate, taskPartnerType, taskRole } from '../therapy/template-index.ts';
import type { FieldDefinition, TherapyTemplate, TherapyTemplateInput } from '../therapy/template-schema.ts';
import { validateTemplate } from '../therapy/template-validation.ts';
import { type Actor, type CaseParties, partyFor } from './case-authorisation.ts';
import { applyCommand, type CaseCommand, type DecideResult } from './case-commands.ts';
import type { CaseEvent } from './case-events.ts';
import type { CaseState } from './case-state.ts';

export function parsed(input: TherapyTemplateInput): TherapyTemplate {
  const result = validateTemplate(input);
  if (!result.ok) throw new Error(`invalid template: ${JSON.stringify(result.errors)}`);
  return result.template;
}

export const carT = parsed(carTAutologousTemplate);

export const PARTIES: CaseParties = {
  sponsorPartnerId: 'p-sponsor',
  treatmentCentrePartnerId: 'p-hospital',
  collectionCentrePartnerId: 'p-apheresis',
  manufacturingSitePartnerId: 'p-plant',
  courierPartnerId: 'p-courier',
  laboratoryPartnerId: 'p-lab',
};

const PARTNER_TYPE_OF: Record<string, PartnerType> = {
  'p-sponsor': 'sponsor',
  'p-hospital': 'treatment_centre',
  'p-apheresis': 'collection_centre',
  'p-plant': 'manufacturing_site',
  'p-courier': 'courier',
  'p-lab': 'laboratory',
  'p-other-hospital': 'treatment_centre',
  'p-other-plant': 'manufacturing_site',
};

export function actor(partnerId: string, role: Role, n = 1): Actor {
  const partnerType = PARTNER_TYPE_OF[partnerId];
  if (!partnerType) throw new Error(`unknown test partner ${partnerId}`);
  return { userId: `u-${partnerId.slice(2)}-${role}-${n}`, partnerId, partnerType, roles: [role] };
}

/** The person of the right partner for a role and partner type in this case. */
export function rightActor(role: Role, partnerType: PartnerType, n = 1): Actor {
  const partnerId = partyFor(PARTIES, partnerType);
  if (!partnerId) throw new Error(`no ${partnerType} in the test parties`);
  return actor(partnerId, role, n);
}

export const T0 = new Date('2026-03-02T08:00:00Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function ctx(who: Actor, now: Date = T0) {
  return { actor: who, now, caseParties: PARTIES };
}

/** A string matching the simple patterns templates use: literals, [classes] and {n}. */
export function sampleForPattern(pattern: string): string {
  let out = '';
  const body = pattern.replace(/^\^/, '').replace(/\$$/, '');
  let i = 0;
  while (i < body.length) {
    let unit: string;
    if (body[i] === '[') {
      const end = body.indexOf(']', i);
      const cls = body.slice(i + 1, end);
      unit = cls.startsWith('0-9') ? '7' : cls.startsWith('A-Z') ? 'K' : (cls[0] ?? 'X');
      i = end + 1;
    } else if (body[i] === '\\') {
      unit = body[i + 1] ?? '';
      i += 2;
    } else {
      unit = body[i] as string;
      i += 1;
    }
    const quantifier = /^\{(\d+)\}/.exec(body.slice(i));
    if (quantifier) {
      out += unit.repeat(Number(quantifier[1]));
      i += quantifier[0].length;
    } else out += unit;
  }
  return out;
}

export function validValue(field: FieldDefinition): unknown {
  switch (field.type) {
    case 'text':
      return 'recorded';
    case 'number':
      return field.min !== undefined && field.max !== undefined
        ? Math.round((field.min + field.max) / 2)
        : (field.min ?? 0) + 1;
    case 'date':
      return '2026-03-10';
    case 'datetime':
      return '2026-03-10T09:30:00Z';
    case 'boolean':
      return true;
    case 'choice':
      return field.options[0];
    case 'identifier':
      return sampleForPattern(field.pattern);
  }
}

export function validFields(template: TherapyTemplate, step: string, task: string): Record<string, unknown> {
  const definition = indexTemplate(template)
    .step.get(step)
    ?.tasks.find((t) => t.key === task);
  if (!definition) throw new Error(`no task ${step}.${task}`);
  return Object.fromEntries(definition.fields.map((f) => [f.key, validValue(f)]));
}

/** A case driven by commands; throws on any refusal so a test reads as the journey. */
export class CaseDriver {
  state: CaseState | null = null;
  events: CaseEvent[] = [];
  minutes = 0;
  constructor(
    readonly template: TherapyTemplate,
    readonly where: { country: string; siteId: string } = { country: 'NL', siteId: 'site-amsterdam' },
  ) {}

  get current(): CaseState {
    if (!this.state) throw new Error('no case yet');
    return this.state;
  }

  try(command: CaseCommand, who: Actor): DecideResult {
    this.minutes += 30;
    const result = applyCommand(this.template, this.state, command, ctx(who, at(this.minutes)));
    if (!result.ok) return result;
    this.state = result.state;
    this.events.push(...result.events);
    return { ok: true, events: result.events };
  }

  do(command: CaseCommand, who: Actor): CaseEvent[] {
    const result = this.try(command, who);
    if (!result.ok) throw new Error(`${command.type} refused: ${JSON.stringify(result.error)}`);
    return result.events;
  }

  open(): this {
    this.do(
      { type: 'open_case', caseId: 'case-1', patientId: 'patient-1', caseOwnerUserId: 'u-cm', ...this.where },
      actor('p-hospital', 'centre_coordinator'),
    );
    return this;
  }

  /** Does everything an open step waits for, by the right people, and completes it. */
  finishStep(step: string): void {
    const definition = indexTemplate(this.template).step.get(step);
    if (!definition) throw new Error(`no step ${step}`);
    for (const task of definition.tasks)
      if (this.current.steps[step]?.tasks[task.key]?.status === 'open')
        this.do(
          { type: 'complete_task', step, task: task.key, fields: validFields(this.template, step, task.key) },
          rightActor(taskRole(definition, task), taskPartnerType(definition, task)),
        );
    for (const approval of this.current.waitingFor[step]?.approvals ?? [])
      for (let n = approval.given; n < approval.needed; n++)
        this.do(
          { type: 'give_approval', step, role: approval.role },
          rightActor(approval.role, approval.partnerType, n + 1),
        );
    if (this.current.waitingFor[step]?.custody)
      this.do(
        { type: 'confirm_custody', step, custodyRecordId: `custody-${step}` },
        rightActor(definition.role, definition.partnerType),
      );
    let signatures = this.current.waitingFor[step]?.signatures;
    while (signatures) {
      const role = signatures.nextRoles[0] as Role;
      this.do(
        { type: 'record_signature', step, meaning: signatures.meaning, recordHash: signatures.recordHash },
        rightActor(
          role,
          definition.gates.signatures?.partnerType ?? definition.partnerType,
          signatures.given + 1,
        ),
      );
      signatures = this.current.waitingFor[step]?.signatures;
    }
    this.do({ type: 'complete_step', step }, rightActor(definition.role, definition.partnerType));
  }

  /** Finishes open steps in template order until `until` is open (or the case ends). */
  runUntil(until?: string): this {
    for (let guard = 0; guard < 200; guard++) {
      const open = this.current.openSteps;
      if (open.length === 0 || (until && open.includes(until))) return this;
      this.finishStep(open[0] as string);
    }
    throw new Error('the case did not progress');
  }
}

export function newCase(
  template: TherapyTemplate = carT,
  where?: { country: string; siteId: string },
): CaseDriver {
  return new CaseDriver(template, where).open();
}
