import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { carT, validFields } from '../../src/cases/case-test-kit.ts';
import type { Role } from '../../src/platform/access/roles.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import {
  type AccessTestServer,
  call,
  type Response,
  sessionCookieFor,
} from '../access/access-test-server.ts';

/**
 * Drives cases through the HTTP API only, each command by a demo user of the partner and role
 * the step names (St. Elisabeth treats and collects, Aurora Leiden manufactures, ColdPath ships,
 * Aurora Bio is the sponsor).
 */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are read ad hoc, as in access-test-server.ts
export type Json = any;

export const USERS_BY_ROLE: Partial<Record<Role, string[]>> = {
  centre_coordinator: ['centre.coordinator@st-elisabeth.example'],
  collection_staff: ['apheresis@st-elisabeth.example'],
  infusion_nurse: ['nurse@st-elisabeth.example', 'nurse2@st-elisabeth.example'],
  provider: ['provider@st-elisabeth.example'],
  program_coordinator: ['coordinator@aurora.example'],
  case_manager: ['case.manager@aurora.example'],
  manufacturing: ['manufacturing@aurora-leiden.example'],
  lab: ['lab@aurora-leiden.example'],
  qa: ['qa@aurora-leiden.example', 'qa2@aurora-leiden.example'],
  courier: ['courier@coldpath.example'],
};

export function userFor(role: string, n = 1): string {
  const list = USERS_BY_ROLE[role as Role];
  const email = list?.[Math.min(n, list.length) - 1];
  if (!email) throw new Error(`no demo user for ${role}`);
  return email;
}

export class CaseHttpKit {
  readonly cookies = new Map<string, string>();
  ids = {
    partner: {} as Record<string, string>,
    user: {} as Record<string, string>,
    patient: {} as Record<string, string>,
  };
  constructor(readonly server: AccessTestServer) {}

  async init(): Promise<this> {
    const db = this.server.database.db;
    for (const r of await db.selectFrom('partners').select(['id', 'code']).execute())
      this.ids.partner[r.code] = r.id;
    for (const r of await db.selectFrom('users').select(['id', 'email']).execute())
      this.ids.user[r.email] = r.id;
    for (const r of await db.selectFrom('patients').select(['id', 'mrn']).execute())
      this.ids.patient[r.mrn] = r.id;
    return this;
  }

  async cookie(email: string): Promise<string> {
    let cookie = this.cookies.get(email);
    if (!cookie) {
      cookie = await sessionCookieFor(this.server, email);
      this.cookies.set(email, cookie);
    }
    return cookie;
  }

  async as(email: string, method: string, path: string, body?: unknown): Promise<Response> {
    const send = async () =>
      call(this.server, method, path, {
        cookie: await this.cookie(email),
        ...(body !== undefined ? { body } : method === 'GET' ? {} : { body: {} }),
      });
    const response = await send();
    if (response.status !== 401) return response;
    // The test moved the clock past the session's idle timeout: sign in again.
    this.cookies.delete(email);
    return send();
  }

  /** What a demo user types into the signature dialog now: the password and the authenticator's code. */
  signature(): { password: string; oneTimeCode: string } {
    return {
      password: DEMO_PASSWORD,
      oneTimeCode: totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(this.server.clock.now())),
    };
  }

  openBody(overrides: Record<string, unknown> = {}) {
    return {
      patientId: this.ids.patient['STE-100234'],
      templateCode: 'car-t-autologous',
      treatmentCentrePartnerId: this.ids.partner['ST-ELISABETH'],
      country: 'DE',
      caseOwnerUserId: this.ids.user['case.manager@aurora.example'],
      parties: {
        collectionCentrePartnerId: this.ids.partner['ST-ELISABETH'],
        manufacturingPartnerId: this.ids.partner['AURORA-LEIDEN'],
        courierPartnerId: this.ids.partner.COLDPATH,
      },
      ...overrides,
    };
  }

  async openCarT(overrides: Record<string, unknown> = {}): Promise<string> {
    const opened = await this.as(
      'centre.coordinator@st-elisabeth.example',
      'POST',
      '/api/cases',
      this.openBody(overrides),
    );
    assert.equal(opened.status, 201, JSON.stringify(opened.body));
    return opened.body.case.id as string;
  }

  async command(
    caseId: string,
    email: string,
    body: Record<string, unknown>,
    expected = 200,
  ): Promise<Response> {
    const response = await this.as(email, 'POST', `/api/cases/${caseId}/commands`, body);
    assert.equal(response.status, expected, `${body.type} by ${email}: ${JSON.stringify(response.body)}`);
    return response;
  }

  async detail(caseId: string, email = 'case.manager@aurora.example') {
    const response = await this.as(email, 'GET', `/api/cases/${caseId}`);
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }
  openStep(detail: Json, step: string): Json {
    return detail.openSteps.find((s: Json) => s.key === step);
  }

  /** Does everything an open step waits for, each by the right partner's user, then completes it. */
  async finishStep(caseId: string, step: string): Promise<void> {
    let detail = await this.detail(caseId);
    let open = this.openStep(detail, step);
    assert.ok(open, `step ${step} is not open: ${detail.case.waitingFor}`);
    for (const task of open.waitingFor.tasks)
      if (!task.done)
        await this.command(caseId, userFor(task.role), {
          type: 'complete_task',
          step,
          task: task.key,
          fields: validFields(carT, step, task.key),
        });
    for (const approval of open.waitingFor.approvals)
      for (let n = approval.given; n < approval.needed; n++)
        await this.command(caseId, userFor(approval.role, n + 1), {
          type: 'give_approval',
          step,
          role: approval.role,
        });
    detail = await this.detail(caseId);
    open = this.openStep(detail, step);
    if (open.waitingFor.custody)
      await this.command(caseId, userFor(open.responsible.role), {
        type: 'confirm_custody',
        step,
        custodyRecordId: `custody-${step}`,
      });
    for (let guard = 0; guard < 6; guard++) {
      detail = await this.detail(caseId);
      open = this.openStep(detail, step);
      const signatures = open.waitingFor.signatures;
      if (!signatures.recordHash) break;
      await this.command(caseId, userFor(signatures.nextRoles[0], signatures.given + 1), {
        type: 'record_signature',
        step,
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: this.signature(),
      });
    }
    await this.command(caseId, userFor(open.responsible.role), { type: 'complete_step', step });
  }

  /** Finishes open steps in order until `until` is open or the case has ended. */
  async runUntil(caseId: string, until?: string): Promise<void> {
    for (let guard = 0; guard < 60; guard++) {
      const detail = await this.detail(caseId);
      const open = detail.openSteps.map((s: Json) => s.key as string);
      if (open.length === 0 || (until && open.includes(until))) return;
      await this.finishStep(caseId, open[0]);
    }
    throw new Error('the case did not progress');
  }

  /** Everything a refused command must leave as it was. */
  async counts(caseId?: string): Promise<Record<string, number>> {
    const { rows } = await sql<Record<string, number>>`
      select (select count(*)::int from ledger_entries) as ledger,
             (select count(*)::int from case_events) as events,
             (select count(*)::int from cases) as cases,
             (select count(*)::int from jobs) as jobs,
             (select count(*)::int from case_work_items) as work,
             (select coalesce(max(last_seq), 0)::int from cases where id::text = ${caseId ?? ''}) as last_seq
    `.execute(this.server.database.db);
    return rows[0] as Record<string, number>;
  }
}
