import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { carT, validFields } from '../../src/cases/case-test-kit.ts';
import { formatDonationIdentificationNumber } from '../../src/custody/identity/donation-identification-number.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import { CaseHttpKit, type Json, userFor } from '../cases/case-http-kit.ts';

/** Custody work through the HTTP API only, by the demo accounts of each partner. */
export class CustodyHttpKit extends CaseHttpKit {
  #din = 100;

  /** A valid ISBT 128 DIN of St. Elisabeth's apheresis unit (FIN W1234), unique within the run. */
  nextDin(): string {
    this.#din += 1;
    return formatDonationIdentificationNumber({ facility: 'W1234', year: 26, sequence: this.#din });
  }

  /** The code the signer's authenticator shows now (by the server's test clock). */
  oneTimeCode(): string {
    return totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(this.server.clock.now()));
  }

  async ok(email: string, method: string, path: string, body?: unknown, expected = 200): Promise<Json> {
    const response = await this.as(email, method, path, body);
    assert.equal(
      response.status,
      expected,
      `${method} ${path} by ${email}: ${JSON.stringify(response.body)}`,
    );
    return response.body;
  }

  async createItem(caseId: string, email: string, body: Record<string, unknown>): Promise<Json> {
    return (await this.ok(email, 'POST', `/api/cases/${caseId}/custody/items`, body, 201)).item;
  }

  async openHandoff(email: string, body: Record<string, unknown>): Promise<Json> {
    return (await this.ok(email, 'POST', '/api/custody/handoffs', body, 201)).handoff;
  }

  async scan(email: string, handoffId: string, scan: string): Promise<Json> {
    return this.ok(email, 'POST', `/api/custody/handoffs/${handoffId}/scans`, { scan });
  }

  async condition(email: string, handoffId: string, body: Record<string, unknown>): Promise<Json> {
    return (await this.ok(email, 'PUT', `/api/custody/handoffs/${handoffId}/condition`, body)).handoff;
  }

  async handoff(handoffId: string, email = 'case.manager@aurora.example'): Promise<Json> {
    return (await this.ok(email, 'GET', `/api/custody/handoffs/${handoffId}`)).handoff;
  }

  signBody(recordHash: string, password = DEMO_PASSWORD) {
    return { recordHash, password, oneTimeCode: this.oneTimeCode() };
  }

  async sign(email: string, handoffId: string, expected = 201, password = DEMO_PASSWORD) {
    const current = await this.handoff(handoffId, email);
    return this.as(
      email,
      'POST',
      `/api/custody/handoffs/${handoffId}/signatures`,
      this.signBody(current.recordHash, password),
    ).then((r) => {
      assert.equal(r.status, expected, `sign by ${email}: ${JSON.stringify(r.body)}`);
      return r;
    });
  }

  async complete(email: string, handoffId: string, expected = 200) {
    const response = await this.as(email, 'POST', `/api/custody/handoffs/${handoffId}/complete`);
    assert.equal(response.status, expected, `complete by ${email}: ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** Temperature readings every 30 minutes from the test clock's now, all at `celsius` unless overridden. */
  readings(celsius: number, count = 6, override: Record<number, number> = {}) {
    const start = this.server.clock.now().getTime() - count * 30 * 60_000;
    return Array.from({ length: count }, (_, i) => ({
      at: new Date(start + i * 30 * 60_000).toISOString(),
      celsius: override[i] ?? celsius,
    }));
  }

  /** Completes the open tasks of a step with valid values (some fields given), without completing the step. */
  async doTasks(caseId: string, step: string, fields: Record<string, Record<string, unknown>> = {}) {
    const open = this.openStep(await this.detail(caseId), step);
    assert.ok(open, `step ${step} is not open`);
    for (const task of open.waitingFor.tasks)
      if (!task.done)
        await this.command(caseId, userFor(task.role), {
          type: 'complete_task',
          step,
          task: task.key,
          fields: { ...validFields(carT, step, task.key), ...(fields[task.key] ?? {}) },
        });
  }

  async custody(caseId: string, email = 'case.manager@aurora.example'): Promise<Json> {
    return this.ok(email, 'GET', `/api/cases/${caseId}/custody`);
  }

  /** Rows a refused custody request must leave as they were. */
  async custodyCounts(): Promise<Record<string, number>> {
    const { rows } = await sql<Record<string, number>>`
      select (select count(*)::int from ledger_entries where action not like 'signature.fail%' and action not like 'auth.%') as ledger,
             (select count(*)::int from signatures) as signatures,
             (select count(*)::int from custody_handoffs where status <> 'draft') as completed_handoffs,
             (select coalesce(sum(version), 0)::int from custody_handoffs) as versions,
             (select count(*)::int from custody_deviations) as deviations,
             (select count(*)::int from case_events) as events,
             (select count(*)::int from outbox_messages) as messages,
             (select string_agg(custodian_partner_id::text || status, ',' order by id) from custody_items) as custody
    `.execute(this.server.database.db);
    return rows[0] as Record<string, number>;
  }

  partner(code: string): string {
    const id = this.ids.partner[code];
    assert.ok(id, `no partner ${code}`);
    return id;
  }
  user(email: string): string {
    const id = this.ids.user[email];
    assert.ok(id, `no user ${email}`);
    return id;
  }

  /**
   * A German CAR-T case driven to the receipt step (so receipt needs two nurse signatures), with
   * `bags` final product bags at the plant, released by QA.
   */
  async caseAtReceipt(
    bags = 2,
  ): Promise<{ caseId: string; bagIds: string[]; unitCodes: string[]; coi: string }> {
    const caseId = await this.openCarT();
    await this.runUntil(caseId, 'qa_release');
    const apheresis = await this.createItem(caseId, 'apheresis@st-elisabeth.example', {
      itemType: 'apheresis_bag',
      din: this.nextDin(),
    });
    const made = [];
    for (let n = 0; n < bags; n++)
      made.push(
        await this.createItem(caseId, 'manufacturing@aurora-leiden.example', {
          itemType: 'final_product_bag',
          lot: 'B20260301',
          expiresAt: '2027-03-01T00:00:00Z',
          parentItemId: apheresis.id,
        }),
      );
    await this.runUntil(caseId, 'receipt_storage');
    for (const bag of made)
      await this.ok('qa@aurora-leiden.example', 'POST', `/api/custody/items/${bag.id}/release`, {});
    return {
      caseId,
      bagIds: made.map((b) => b.id),
      unitCodes: made.map((b) => b.unitCode),
      coi: apheresis.chainOfIdentity,
    };
  }
}
