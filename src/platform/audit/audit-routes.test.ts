import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  type AccessTestServer,
  call,
  sessionCookieFor,
  startAccessTestServer,
} from '../../../test/access/access-test-server.ts';
import { describeEachDatabase } from '../../../test/support/test-databases.ts';
import { verifyCheckpoint } from '../ledger/checkpoint.ts';
import { verifyInclusion } from '../ledger/merkle-tree.ts';
import { createCheckpoint } from './checkpointer.ts';
import { loadOrCreateInstallationKey, registerPublicKey } from './installation-key.ts';

describeEachDatabase('audit trail over HTTP', (target) => {
  let server: AccessTestServer;
  let inspector: string;
  before(async () => {
    server = await startAccessTestServer(target);
    inspector = await sessionCookieFor(server, 'inspector@aurora.example');
  });
  after(() => server.close());

  test('an inspector filters the trail by record and sees who did what, with before and after', async () => {
    const admin = await sessionCookieFor(server, 'admin@aurora.example');
    const users = await call(server, 'GET', '/api/admin/users', { cookie: admin });
    const nurse = users.body.users.find((u: { email: string }) => u.email === 'nurse@st-elisabeth.example');
    const changed = await call(server, 'PATCH', `/api/admin/users/${nurse.id}`, {
      cookie: admin,
      body: { displayName: 'Nurse Renamed', reason: 'name changed after marriage' },
    });
    assert.equal(changed.status, 200);

    const trail = await call(server, 'GET', `/api/audit/entries?recordType=user&recordId=${nurse.id}`, {
      cookie: inspector,
    });
    assert.equal(trail.status, 200);
    const latest = trail.body.entries[0];
    assert.equal(latest.recordId, nurse.id);
    assert.equal(latest.reason, 'name changed after marriage');
    assert.equal(
      latest.actorName,
      users.body.users.find((u: { email: string }) => u.email === 'admin@aurora.example').displayName,
    );
    assert.notEqual(latest.before.displayName, latest.after.displayName);
    assert.equal(latest.after.displayName, 'Nurse Renamed');
  });

  test('paging with the cursor returns every entry once', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { body: { entries: Array<{ id: string }>; nextCursor: string | null } } = await call(
        server,
        'GET',
        `/api/audit/entries?limit=7${cursor ? `&before=${cursor}` : ''}`,
        { cookie: inspector },
      );
      for (const entry of page.body.entries) {
        assert.equal(seen.has(entry.id), false, 'no entry twice');
        seen.add(entry.id);
      }
      cursor = page.body.nextCursor;
    } while (cursor);
    const { total } = (await server.database.db
      .selectFrom('ledger_entries')
      .select(({ fn }) => fn.countAll<number>().as('total'))
      .executeTakeFirstOrThrow()) as { total: number };
    assert.equal(seen.size, Number(total));
  });

  test('bad filters are a 422 naming the field; roles without audit:read get 403', async () => {
    const bad = await call(server, 'GET', '/api/audit/entries?from=yesterday', { cookie: inspector });
    assert.equal(bad.status, 422);
    assert.equal(bad.body.errors[0].field, 'querystring.from');
    const reversed = await call(
      server,
      'GET',
      '/api/audit/entries?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
      { cookie: inspector },
    );
    assert.equal(reversed.status, 422);
    const courier = await sessionCookieFor(server, 'courier@coldpath.example');
    assert.equal((await call(server, 'GET', '/api/audit/entries', { cookie: courier })).status, 403);
    assert.equal((await call(server, 'GET', '/api/audit/entries')).status, 401);
  });

  test('an inclusion proof is served once a checkpoint covers the entry, and verifies', async () => {
    const trail = await call(server, 'GET', '/api/audit/entries?limit=1', { cookie: inspector });
    const entry = trail.body.entries[0];
    const before = await call(server, 'GET', `/api/audit/entries/${entry.id}/proof`, { cookie: inspector });
    assert.equal(before.status, 404);
    assert.match(before.body.detail, /not yet under a signed checkpoint/);

    const key = loadOrCreateInstallationKey(
      path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cw-key-')), 'k.pem'),
    );
    await registerPublicKey(server.database, key);
    await createCheckpoint(server.database, key);
    const proof = await call(server, 'GET', `/api/audit/entries/${entry.id}/proof`, { cookie: inspector });
    assert.equal(proof.status, 200);
    assert.equal(verifyCheckpoint(proof.body.checkpoint, key.publicKeyPem).ok, true);
    assert.equal(
      verifyInclusion(
        Buffer.from(entry.hash, 'hex'),
        proof.body.leafIndex,
        proof.body.checkpoint.treeSize,
        proof.body.proof.map((h: string) => Buffer.from(h, 'hex')),
        Buffer.from(proof.body.checkpoint.rootHash, 'hex'),
      ),
      true,
    );
  });
});
