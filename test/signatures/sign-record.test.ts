import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Actor } from '../../src/platform/access/actor.ts';
import { permissionsOf } from '../../src/platform/access/permissions.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from '../../src/platform/auth/demo-users.ts';
import { totpCodeForStep, totpStepAt } from '../../src/platform/auth/totp.ts';
import { findUserByEmail, userActor } from '../../src/platform/auth/user-store.ts';
import { inTransaction } from '../../src/platform/db/transaction.ts';
import { HttpProblem } from '../../src/platform/http/problem.ts';
import {
  recordHashOf,
  recordSignature,
  requireSignatureFor,
  type SignatureRequest,
  signatureStillValid,
  signaturesOf,
  verifySignerCredentials,
} from '../../src/signatures/sign-record.ts';
import {
  changeTemplateStatus,
  createTemplateDraft,
  findTemplate,
  PUBLICATION_MEANING,
  TEMPLATE_VERSION_RECORD,
  templateVersionRecordId,
} from '../../src/therapy/template-store.ts';
import { type AccessTestServer, startAccessTestServer } from '../access/access-test-server.ts';
import { describeEachDatabase } from '../support/test-databases.ts';

const problemWith = (status: number, detail?: RegExp) => (error: unknown) => {
  assert.ok(error instanceof HttpProblem, String(error));
  assert.equal(error.status, status, error.message);
  if (detail) assert.match(error.message, detail);
  return true;
};

describeEachDatabase('signRecord: binding a signature to one exact record version', (target) => {
  let server: AccessTestServer;
  let qa: Actor;
  const handoff = { bag: 'W9999 26 000123 K', from: 'courier', to: 'qa', sealIntact: true };
  const now = () => server.clock.now();
  const code = () => totpCodeForStep(DEMO_TOTP_SECRET, totpStepAt(now()));
  const requestBy = (signer: Actor, overrides: Partial<SignatureRequest> = {}): SignatureRequest => ({
    signer,
    credentials: { password: DEMO_PASSWORD, oneTimeCode: code() },
    meaning: 'Received by',
    recordType: 'custody_handoff',
    recordId: 'handoff-A',
    recordHash: recordHashOf(handoff),
    requiredRoles: ['qa'],
    siteTimeZone: 'Europe/Amsterdam',
    ...overrides,
  });

  before(async () => {
    server = await startAccessTestServer(target);
    const user = await findUserByEmail(server.database.db, 'qa@aurora-leiden.example');
    assert.ok(user);
    qa = userActor(user);
  });
  after(() => server.close());

  test('a signature counts for its record and version only: replayed onto another record or an edited one, it is refused', async () => {
    const verified = await verifySignerCredentials(server.database, requestBy(qa), now());
    const signature = await inTransaction(server.database, (trx) => recordSignature(trx, verified, now()));
    assert.equal(signature.signerName, 'Pieter de Vries');
    assert.equal(signature.signerRole, 'qa');
    assert.match(signature.signedAtLocal, /CET \(Europe\/Amsterdam\)$/);

    const same = { recordType: 'custody_handoff', recordId: 'handoff-A', recordHash: recordHashOf(handoff) };
    assert.equal((await requireSignatureFor(server.database, signature.id, same)).id, signature.id);
    await assert.rejects(
      requireSignatureFor(server.database, signature.id, { ...same, recordId: 'handoff-B' }),
      problemWith(409, /another record/),
    );
    await assert.rejects(
      requireSignatureFor(server.database, signature.id, { ...same, recordType: 'case_step' }),
      problemWith(409, /another record/),
    );
    // A verified signer edited to name another record is not a checked password.
    const rebound = { ...verified, request: { ...verified.request, recordId: 'handoff-B' } };
    await assert.rejects(
      inTransaction(server.database, (trx) => recordSignature(trx, rebound, now())),
      /only what verifySignerCredentials returned/,
    );
    assert.equal((await signaturesOf(server.database, 'custody_handoff', 'handoff-B')).length, 0);
    const edited = { ...handoff, sealIntact: false };
    assert.equal(signatureStillValid(signature, recordHashOf(edited)), false);
    await assert.rejects(
      requireSignatureFor(server.database, signature.id, { ...same, recordHash: recordHashOf(edited) }),
      problemWith(409, /changed after it was signed/),
    );
  });

  test('the same person cannot give the same meaning to the same version twice, even racing', async () => {
    const request = requestBy(qa, { recordId: 'handoff-C' });
    const verified = await verifySignerCredentials(server.database, request, now());
    const attempts = await Promise.allSettled([
      inTransaction(server.database, (trx) => recordSignature(trx, verified, now())),
      inTransaction(server.database, (trx) => recordSignature(trx, verified, now())),
    ]);
    assert.deepEqual(attempts.map((a) => a.status).sort(), ['fulfilled', 'rejected']);
    const refused = attempts.find((a) => a.status === 'rejected') as PromiseRejectedResult;
    problemWith(409, /already signed/)(refused.reason);
    assert.equal((await signaturesOf(server.database, 'custody_handoff', 'handoff-C')).length, 1);
    // A new version of the record is signed afresh.
    const next = await verifySignerCredentials(
      server.database,
      { ...request, recordHash: recordHashOf({ ...handoff, bag: 'other' }) },
      now(),
    );
    await inTransaction(server.database, (trx) => recordSignature(trx, next, now()));
    assert.equal((await signaturesOf(server.database, 'custody_handoff', 'handoff-C')).length, 2);
  });

  test('only people sign: API clients and portal users are refused (403), as is a signer without the role', async () => {
    const client: Actor = {
      kind: 'client',
      id: 'client-1',
      displayName: 'LIMS',
      partnerId: qa.kind === 'user' ? qa.partnerId : '',
      partnerType: 'manufacturing_site',
      roles: ['qa'],
      permissions: permissionsOf(['qa']),
      scopes: ['custody'],
    };
    await assert.rejects(
      verifySignerCredentials(server.database, requestBy(client), now()),
      problemWith(403),
    );
    const provider = await findUserByEmail(server.database.db, 'provider@st-elisabeth.example');
    assert.ok(provider);
    await assert.rejects(
      verifySignerCredentials(server.database, requestBy(userActor(provider), { requiredRoles: [] }), now()),
      problemWith(403, /Portal users/),
    );
    const nurse = await findUserByEmail(server.database.db, 'nurse@st-elisabeth.example');
    assert.ok(nurse);
    const ledgerBefore = await server.database.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    await assert.rejects(
      verifySignerCredentials(server.database, requestBy(userActor(nurse)), now()),
      problemWith(403, /must be signed by qa/),
    );
    const ledgerAfter = await server.database.db
      .selectFrom('ledger_entries')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(ledgerAfter.n), Number(ledgerBefore.n));
  });

  test('malformed requests are refused naming the field; a stale password check cannot be used', async () => {
    await assert.rejects(
      verifySignerCredentials(server.database, requestBy(qa, { recordHash: 'abc' }), now()),
      (error: unknown) => error instanceof HttpProblem && error.errors?.[0]?.field === 'recordHash',
    );
    await assert.rejects(
      verifySignerCredentials(server.database, requestBy(qa, { siteTimeZone: 'Nowhere/Land' }), now()),
      (error: unknown) => error instanceof HttpProblem && error.errors?.[0]?.field === 'siteTimeZone',
    );
    const verified = await verifySignerCredentials(
      server.database,
      requestBy(qa, { recordId: 'handoff-D' }),
      now(),
    );
    const later = new Date(now().getTime() + 10 * 60_000);
    await assert.rejects(
      inTransaction(server.database, (trx) => recordSignature(trx, verified, later)),
      problemWith(401, /expired/),
    );
    assert.equal((await signaturesOf(server.database, 'custody_handoff', 'handoff-D')).length, 0);
  });

  test('signatures cannot be changed or removed in the database', async () => {
    const [signature] = await signaturesOf(server.database, 'custody_handoff', 'handoff-A');
    assert.ok(signature);
    await assert.rejects(
      server.database.db
        .updateTable('signatures')
        .set({ meaning: 'Forged' })
        .where('id', '=', signature.id)
        .execute(),
      /signatures are permanent/,
    );
    await assert.rejects(
      server.database.db.deleteFrom('signatures').where('id', '=', signature.id).execute(),
      /signatures are permanent/,
    );
  });

  test('a publication signature for one template version cannot publish another', async () => {
    const coordinator = await findUserByEmail(server.database.db, 'coordinator@aurora.example');
    assert.ok(coordinator);
    const actor = userActor(coordinator);
    const v1 = await findTemplate(server.database.db, 'car-t-autologous', 1);
    assert.ok(v1);
    const drafts = await inTransaction(server.database, async (trx) => [
      await createTemplateDraft(trx, actor, { ...v1.document, version: 7, title: 'Seven' }, now()),
      await createTemplateDraft(trx, actor, { ...v1.document, version: 8, title: 'Eight' }, now()),
    ]);
    assert.ok(drafts.every((d) => d.ok));
    const seven = await findTemplate(server.database.db, 'car-t-autologous', 7);
    assert.ok(seven);
    const verified = await verifySignerCredentials(
      server.database,
      requestBy(actor, {
        meaning: PUBLICATION_MEANING,
        recordType: TEMPLATE_VERSION_RECORD,
        recordId: templateVersionRecordId('car-t-autologous', 7),
        recordHash: seven.recordHash,
        requiredRoles: ['program_coordinator'],
      }),
      now(),
    );
    const replayed = await inTransaction(server.database, (trx) =>
      changeTemplateStatus(
        trx,
        actor,
        { code: 'car-t-autologous', version: 8, to: 'published', reason: 'replay', signer: verified },
        now(),
      ),
    );
    assert.equal(replayed.ok, false);
    assert.equal((await findTemplate(server.database.db, 'car-t-autologous', 8))?.status, 'draft');
    assert.equal(
      (await signaturesOf(server.database, TEMPLATE_VERSION_RECORD, 'car-t-autologous@8')).length,
      0,
    );
    const published = await inTransaction(server.database, (trx) =>
      changeTemplateStatus(
        trx,
        actor,
        { code: 'car-t-autologous', version: 7, to: 'published', reason: 'release', signer: verified },
        now(),
      ),
    );
    assert.ok(published.ok);
    assert.equal(published.signature?.recordHash, seven.recordHash);
  });

  test('a one-time code older than the last one used for signing is refused and counts as a failure', async () => {
    const step = totpStepAt(now());
    await verifySignerCredentials(
      server.database,
      requestBy(qa, {
        credentials: { password: DEMO_PASSWORD, oneTimeCode: totpCodeForStep(DEMO_TOTP_SECRET, step) },
      }),
      now(),
    );
    // The same step again is a series of signings (the password is re-entered each time).
    await verifySignerCredentials(
      server.database,
      requestBy(qa, {
        credentials: { password: DEMO_PASSWORD, oneTimeCode: totpCodeForStep(DEMO_TOTP_SECRET, step) },
      }),
      now(),
    );
    await assert.rejects(
      verifySignerCredentials(
        server.database,
        requestBy(qa, {
          credentials: { password: DEMO_PASSWORD, oneTimeCode: totpCodeForStep(DEMO_TOTP_SECRET, step - 1) },
        }),
        now(),
      ),
      problemWith(401, /one-time code is not correct/),
    );
  });
});
