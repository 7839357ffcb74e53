import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { carT, validFields } from '../../src/cases/case-test-kit.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import { recordHashOf } from '../../src/signatures/sign-record.ts';
import { templateRecordHash } from '../../src/therapy/template-hash.ts';
import { type AccessTestServer, call, startAccessTestServer } from '../access/access-test-server.ts';
import { CaseHttpKit, type Json, userFor } from '../cases/case-http-kit.ts';
import { describeEachDatabase } from '../support/test-databases.ts';

const COORDINATOR = 'coordinator@aurora.example';
const QA = 'qa@aurora-leiden.example';
const QA2 = 'qa2@aurora-leiden.example';
const NURSE = 'nurse@st-elisabeth.example';

/** Everything a person can find about their signing attempts: the ledger and the signature rows. */
async function signingTrail(server: AccessTestServer, email: string) {
  const db = server.database.db;
  const user = await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  const entries = await db
    .selectFrom('ledger_entries')
    .select(['action', 'after', 'reason', 'stream'])
    .where('actor_id', '=', user.id)
    .where('action', 'like', 'signature.%')
    .orderBy('position')
    .execute();
  const signatures = await db
    .selectFrom('signatures')
    .selectAll()
    .where('signer_user_id', '=', user.id)
    .execute();
  return {
    userId: user.id,
    entries: entries.map((e) => ({ ...e, after: e.after ? JSON.parse(e.after) : null })),
    signatures,
  };
}

async function draftVersion2(kit: CaseHttpKit, title: string): Promise<Json> {
  const v1 = await kit.as(COORDINATOR, 'GET', '/api/therapy/templates/car-t-autologous/versions/1');
  const document = { ...v1.body.template.document, version: 2, title };
  const draft = await kit.as(COORDINATOR, 'POST', '/api/therapy/templates', { document });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  return draft.body.template.document;
}

const PUBLISH_V2 = '/api/therapy/templates/car-t-autologous/versions/2/publish';

describeEachDatabase('electronic signatures (21 CFR Part 11)', (target) => {
  let server: AccessTestServer;
  let kit: CaseHttpKit;
  const code = () => totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(server.clock.now()));
  const publish = async (email: string, body: unknown) =>
    call(server, 'POST', PUBLISH_V2, { cookie: await kit.cookie(email), body });

  before(async () => {
    server = await startAccessTestServer(target);
    kit = await new CaseHttpKit(server).init();
  });
  after(() => server.close());

  describe('template publication is signed', () => {
    let document: Json;
    before(async () => {
      document = await draftVersion2(kit, 'Autologous CAR-T (signed v2)');
    });

    test('without a signature → 422 naming body.signature; the draft stays a draft', async () => {
      const response = await publish(COORDINATOR, { reason: 'go live' });
      assert.equal(response.status, 422);
      assert.ok(response.body.errors.some((e: Json) => e.field.startsWith('body.signature')));
      const version = await kit.as(COORDINATOR, 'GET', '/api/therapy/templates/car-t-autologous/versions/2');
      assert.equal(version.body.template.status, 'draft');
    });

    test('wrong password → 401, nothing signed or published, the failure is in the ledger', async () => {
      const before = await signingTrail(server, COORDINATOR);
      const response = await publish(COORDINATOR, {
        reason: 'go live',
        signature: { password: 'not my password', oneTimeCode: code() },
      });
      assert.equal(response.status, 401, JSON.stringify(response.body));
      assert.match(response.body.detail, /password is not correct.*Nothing was signed/);
      // Not "signed out": the session is fine, only the signing credentials were wrong.
      assert.equal(response.body.type, 'urn:cellway:problem:signature-refused');
      const afterwards = await signingTrail(server, COORDINATOR);
      assert.equal(afterwards.signatures.length, before.signatures.length);
      const failure = afterwards.entries.at(-1);
      assert.equal(failure?.action, 'signature.failed');
      assert.equal(failure?.after.recordId, 'car-t-autologous@2');
      assert.equal(failure?.after.failure, 'wrong_password');
      const version = await kit.as(COORDINATOR, 'GET', '/api/therapy/templates/car-t-autologous/versions/2');
      assert.equal(version.body.template.status, 'draft');
    });

    test('the one-time code is asked for when the signer enrolled an authenticator; a wrong one is a failure', async () => {
      const requirements = await kit.as(COORDINATOR, 'GET', '/api/signatures/requirements');
      assert.deepEqual(requirements.body, {
        canSign: true,
        secondFactorRequired: true,
        signingLockedUntil: null,
      });
      const missing = await publish(COORDINATOR, {
        reason: 'go live',
        signature: { password: DEMO_PASSWORD },
      });
      assert.equal(missing.status, 401);
      assert.equal(missing.body.secondFactorRequired, true);
      const wrongCode = String((Number(code()) + 1) % 1_000_000).padStart(6, '0');
      const wrong = await publish(COORDINATOR, {
        reason: 'go live',
        signature: { password: DEMO_PASSWORD, oneTimeCode: wrongCode },
      });
      assert.equal(wrong.status, 401);
      assert.equal(
        (await signingTrail(server, COORDINATOR)).entries.at(-1)?.after.failure,
        'wrong_one_time_code',
      );
    });

    test('password and code → published with a signature bound to the exact version, shown with its manifestation', async () => {
      const response = await publish(COORDINATOR, {
        reason: 'go live',
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal(response.body.template.status, 'published');
      const signature = response.body.signature;
      assert.equal(signature.recordType, 'therapy_template_version');
      assert.equal(signature.recordId, 'car-t-autologous@2');
      assert.equal(signature.recordHash, templateRecordHash(document));
      assert.equal(signature.meaning, 'Approved for use');
      assert.equal(signature.signerName, 'Priya Raman');
      assert.equal(signature.signerRole, 'program_coordinator');
      assert.equal(signature.signedAt, server.clock.now().toISOString());
      // Aurora Bio's site is in New York: the manifestation gives both UTC and local time.
      assert.equal(signature.signedAtLocal, '2026-03-02 04:00 EST (America/New_York)');
      assert.equal(
        signature.manifestation,
        'Priya Raman — 2026-03-02 09:00:00 UTC / 2026-03-02 04:00 EST (America/New_York) — Approved for use',
      );
      const entry = await server.database.db
        .selectFrom('ledger_entries')
        .selectAll()
        .where('id', '=', signature.ledgerEntryId)
        .executeTakeFirstOrThrow();
      assert.equal(entry.action, 'signature.applied');
      const recorded = JSON.parse(entry.after as string);
      assert.equal(recorded.recordHash, signature.recordHash);
      assert.equal(recorded.manifestation, signature.manifestation);
      assert.equal(recorded.signer.name, 'Priya Raman');

      // Wherever the version is shown, so is its signature.
      const version = await kit.as(NURSE, 'GET', '/api/therapy/templates/car-t-autologous/versions/2');
      assert.equal(version.body.template.publication.manifestation, signature.manifestation);
      const listed = await kit.as(
        NURSE,
        'GET',
        '/api/signatures?recordType=therapy_template_version&recordId=car-t-autologous@2',
      );
      assert.equal(listed.status, 200);
      assert.deepEqual(
        listed.body.signatures.map((s: Json) => s.manifestation),
        [signature.manifestation],
      );
    });

    test('publishing again → 409 before any password check', async () => {
      const before = await signingTrail(server, COORDINATOR);
      const again = await publish(COORDINATOR, {
        reason: 'again',
        signature: { password: 'wrong anyway', oneTimeCode: code() },
      });
      assert.equal(again.status, 409);
      assert.deepEqual(await signingTrail(server, COORDINATOR), before);
    });
  });

  describe('signing a case step', () => {
    let caseId: string;
    before(async () => {
      caseId = await kit.openCarT();
      await kit.runUntil(caseId, 'qa_release');
      for (const task of kit.openStep(await kit.detail(caseId), 'qa_release').waitingFor.tasks)
        await kit.command(caseId, userFor(task.role), {
          type: 'complete_task',
          step: 'qa_release',
          task: task.key,
          fields: validFields(carT, 'qa_release', task.key),
        });
    });
    const waiting = async (id = caseId) =>
      kit.openStep(await kit.detail(id), 'qa_release').waitingFor.signatures;
    const sign = async (email: string, body: Record<string, unknown>) =>
      call(server, 'POST', `/api/cases/${caseId}/commands`, { cookie: await kit.cookie(email), body });

    test('a signer without the role → 403 before the password is checked; nothing changes', async () => {
      const signatures = await waiting();
      const counts = await kit.counts(caseId);
      const response = await sign(NURSE, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(response.status, 403, JSON.stringify(response.body));
      assert.match(response.body.detail, /qa/);
      assert.deepEqual(await kit.counts(caseId), counts);
    });

    test('a portal user cannot sign', async () => {
      const signatures = await waiting();
      const response = await sign('provider@st-elisabeth.example', {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: DEMO_PASSWORD },
      });
      assert.equal(response.status, 403, JSON.stringify(response.body));
    });

    test('without credentials → 422; with a wrong password → 401 and the step stays unsigned', async () => {
      const signatures = await waiting();
      const bare = await sign(QA, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
      });
      assert.equal(bare.status, 422);
      assert.ok(bare.body.errors.some((e: Json) => e.field === 'body.signature'));
      const counts = await kit.counts(caseId);
      const wrong = await sign(QA, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: 'Wrong-password-1', oneTimeCode: code() },
      });
      assert.equal(wrong.status, 401);
      const afterwards = await kit.counts(caseId);
      // Only the failure's own ledger entry was written; the case did not move.
      assert.equal(afterwards.events, counts.events);
      assert.equal(afterwards.ledger, (counts.ledger ?? 0) + 1);
      assert.equal((await waiting()).given, 0);
      assert.equal((await signingTrail(server, QA)).entries.at(-1)?.action, 'signature.failed');
    });

    test('a signature for another version of the record is refused (409) and records nothing', async () => {
      const signatures = await waiting();
      const counts = await kit.counts(caseId);
      const response = await sign(QA, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: recordHashOf({ someOtherVersion: true }),
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(response.status, 409, JSON.stringify(response.body));
      assert.deepEqual(await kit.counts(caseId), counts);
    });

    test('QA signs with password and code: the signature names the step record and shows its manifestation', async () => {
      const signatures = await waiting();
      const response = await sign(QA, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(response.status, 200, JSON.stringify(response.body));
      assert.equal((await waiting()).given, 1);
      const listed = await kit.as(
        'case.manager@aurora.example',
        'GET',
        `/api/signatures?recordType=case_step&recordId=${caseId}:qa_release`,
      );
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      const [signature] = listed.body.signatures;
      assert.equal(signature.signerName, 'Pieter de Vries');
      assert.equal(signature.signerRole, 'qa');
      assert.equal(signature.meaning, signatures.meaning);
      assert.equal(signature.recordHash, signatures.recordHash);
      assert.match(signature.signedAtLocal, /\(Europe\/Amsterdam\)$/);
      assert.match(
        signature.manifestation,
        /^Pieter de Vries — 2026-\d\d-\d\d \d\d:\d\d:\d\d UTC \/ .* — Release of the batch/,
      );
      // The signature entry joins the case's own ledger stream.
      const entry = await server.database.db
        .selectFrom('ledger_entries')
        .select(['stream', 'action'])
        .where('id', '=', signature.ledgerEntryId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(entry, { stream: `case:${caseId}`, action: 'signature.applied' });
      // Outside the case's partners, its signatures are not there at all.
      const outsider = await kit.as(
        'centre.coordinator@lakeside.example',
        'GET',
        `/api/signatures?recordType=case_step&recordId=${caseId}:qa_release`,
      );
      assert.equal(outsider.status, 404);
    });

    test('the same person cannot give the second signature; a second QA can', async () => {
      const signatures = await waiting();
      const again = await sign(QA, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(again.status, 409);
      const second = await sign(QA2, {
        type: 'record_signature',
        step: 'qa_release',
        meaning: signatures.meaning,
        recordHash: signatures.recordHash,
        signature: { password: DEMO_PASSWORD, oneTimeCode: code() },
      });
      assert.equal(second.status, 200, JSON.stringify(second.body));
      const listed = await kit.as(
        QA,
        'GET',
        `/api/signatures?recordType=case_step&recordId=${caseId}:qa_release`,
      );
      assert.deepEqual(
        listed.body.signatures.map((s: Json) => s.signerName),
        ['Pieter de Vries', 'Maarten Bakker'],
      );
    });
  });
});

describeEachDatabase('signing lockout, and signing with the second factor off', (target) => {
  let server: AccessTestServer;
  let kit: CaseHttpKit;
  before(async () => {
    server = await startAccessTestServer(target, { signatureSecondFactor: 'off' });
    kit = await new CaseHttpKit(server).init();
    await draftVersion2(kit, 'Autologous CAR-T (lockout v2)');
  });
  after(() => server.close());
  const publish = async (password: string) =>
    call(server, 'POST', PUBLISH_V2, {
      cookie: await kit.cookie(COORDINATOR),
      body: { reason: 'release', signature: { password } },
    });

  test('three wrong passwords lock signing (423), record the lock and alert the partner’s administrators', async () => {
    assert.equal((await publish('wrong-1')).status, 401);
    server.clock.advance(60_000);
    assert.equal((await publish('wrong-2')).status, 401);
    server.clock.advance(60_000);
    const locked = await publish('wrong-3');
    assert.equal(locked.status, 423, JSON.stringify(locked.body));
    const until = new Date(server.clock.now().getTime() + 15 * 60_000).toISOString();
    assert.equal(locked.body.signingLockedUntil, until);
    assert.match(locked.body.detail, /Signing is locked/);

    // The right password does not help while locked, and is not counted.
    const stillLocked = await publish(DEMO_PASSWORD);
    assert.equal(stillLocked.status, 423);

    const trail = await signingTrail(server, COORDINATOR);
    assert.deepEqual(
      trail.entries.map((e) => e.action),
      ['signature.failed', 'signature.failed', 'signature.failed', 'signature.locked'],
    );
    assert.equal(trail.entries.at(-1)?.after.signingLockedUntil, until);
    const admin = await server.database.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'admin@aurora.example')
      .executeTakeFirstOrThrow();
    const alerts = await server.database.db
      .selectFrom('outbox_messages')
      .select(['recipient', 'channel', 'body'])
      .where('related_record_id', '=', trail.userId)
      .execute();
    assert.deepEqual(
      alerts.map((a) => [a.channel, a.recipient]),
      [['in_app', admin.id]],
    );
    assert.match(alerts[0]?.body ?? '', /Priya Raman/);

    const requirements = await kit.as(COORDINATOR, 'GET', '/api/signatures/requirements');
    assert.equal(requirements.body.signingLockedUntil, until);
    assert.equal(requirements.body.canSign, false);

    // Sign-in is not locked by a signing lock.
    const login = await call(server, 'POST', '/api/auth/login', {
      body: { email: COORDINATOR, password: DEMO_PASSWORD },
    });
    assert.equal(login.status, 200, JSON.stringify(login.body));
  });

  test('once the lock has run out, the password alone signs (second factor off)', async () => {
    server.clock.advance(16 * 60_000);
    const requirements = await kit.as(COORDINATOR, 'GET', '/api/signatures/requirements');
    assert.equal(requirements.body.secondFactorRequired, false);
    const published = await publish(DEMO_PASSWORD);
    assert.equal(published.status, 200, JSON.stringify(published.body));
    assert.equal(published.body.template.status, 'published');
  });
});
