import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import {
  appendSampleEntries,
  queryOnce,
  tamper,
  tempInstallationKey,
} from '../../../test/support/ledger-fixtures.ts';
import { describeEachDatabase, type FreshDatabase } from '../../../test/support/test-databases.ts';
import { systemActor } from '../access/actor.ts';
import type { Database } from '../db/database.ts';
import { migrate } from '../db/migrations.ts';
import { inTransaction } from '../db/transaction.ts';
import type { LedgerEntry } from '../ledger/ledger-entry.ts';
import { verifyInclusion } from '../ledger/merkle-tree.ts';
import { verifyExportFile } from '../ledger/offline-verify.ts';
import { createCheckpoint } from './checkpointer.ts';
import { inclusionProofFor } from './inclusion-proof-store.ts';
import type { InstallationKey } from './installation-key.ts';
import { exportLedgerToFile } from './ledger-db-export.ts';
import { verifyLedgerInDatabase } from './ledger-db-verify.ts';
import { appendLedgerEntry } from './ledger-writer.ts';

const COLUMNS: Array<[string, (entry: LedgerEntry) => unknown]> = [
  ['id', () => '00000000-0000-4000-8000-000000000000'],
  ['recorded_at', () => new Date('2020-01-01T00:00:00.000Z')],
  ['actor_type', () => 'user'],
  ['actor_id', () => 'someone-else'],
  ['actor_partner_id', () => 'another-partner'],
  ['actor_role', () => 'qa'],
  ['action', () => 'case.cancelled'],
  ['record_type', () => 'shipment'],
  ['record_id', () => 'another-record'],
  ['before', () => '{"step":99}'],
  ['after', (e) => (e.after ?? '').replace('step', 'stop')],
  ['reason', () => 'because I said so'],
  ['prev_hash', () => 'a'.repeat(64)],
  ['hash', () => 'b'.repeat(64)],
];

describeEachDatabase('ledger in the database', (target) => {
  let fresh: FreshDatabase;
  let database: Database;
  let key: InstallationKey;
  let entries: LedgerEntry[];
  before(async () => {
    fresh = await target.create();
    database = await fresh.open();
    await migrate(database);
    key = tempInstallationKey();
    entries = await appendSampleEntries(database, key);
    await createCheckpoint(database, key);
  });
  after(async () => {
    await database.close();
    await fresh.drop();
  });

  test('an untouched ledger verifies: every chain and the signed checkpoint', async () => {
    const result = await verifyLedgerInDatabase(database);
    assert.deepEqual(result, { ok: true, entries: 20, streams: 4, checkpoints: 1, uncheckpointed: 0 });
  });

  test('the database refuses UPDATE, DELETE and TRUNCATE on the ledger', async () => {
    const target = entries[3] as LedgerEntry;
    for (const statement of [
      `update ledger_entries set reason = 'edited' where id = '${target.id}'`,
      `delete from ledger_entries where id = '${target.id}'`,
      'truncate ledger_entries cascade',
      'delete from ledger_checkpoints',
      'update ledger_leaves set leaf_index = leaf_index + 100',
    ]) {
      const client = await database.connectRaw();
      try {
        await assert.rejects(client.query(statement), /the ledger is append-only/, statement);
      } finally {
        client.release();
      }
    }
    assert.equal((await verifyLedgerInDatabase(database)).ok, true);
  });

  for (const [column, forged] of COLUMNS) {
    test(`changing ${column} of one entry is detected and the entry is named`, async () => {
      const victim = entries[9] as LedgerEntry; // stream sample-1, seq 3
      const rows = await queryOnce(database, `select ${column} as value from ledger_entries where id = $1`, [
        victim.id,
      ]);
      const original = rows[0]?.value;
      const idAfter = column === 'id' ? (forged(victim) as string) : victim.id;
      await tamper(database, `update ledger_entries set ${column} = $1 where id = $2`, [
        forged(victim),
        victim.id,
      ]);
      try {
        const result = await verifyLedgerInDatabase(database);
        assert.equal(result.ok, false);
        if (!result.ok) {
          assert.equal(result.problem.stream, victim.stream);
          // A changed hash surfaces at the entry itself; everything else too, since its content no longer matches.
          assert.equal(result.problem.entryId, idAfter, JSON.stringify(result.problem));
          assert.equal(result.problem.seq, victim.seq);
        }
      } finally {
        await tamper(database, `update ledger_entries set ${column} = $1 where id = $2`, [original, idAfter]);
      }
      assert.equal((await verifyLedgerInDatabase(database)).ok, true, 'restored');
    });
  }

  /** Deletes an entry as an insider would; returns how to put it back exactly as it was. */
  async function deleteEntry(id: string): Promise<() => Promise<void>> {
    const [row] = await queryOnce(database, 'select * from ledger_entries where id = $1', [id]);
    await tamper(database, 'delete from ledger_entries where id = $1', [id]);
    const columns = Object.keys(row as object).filter((c) => c !== 'position');
    const placeholders = columns.map((_, i) => `$${i + 1}`).join(', ');
    return () =>
      tamper(
        database,
        `insert into ledger_entries (${columns.join(', ')}) overriding system value values (${placeholders})`,
        columns.map((c) => (row as Record<string, unknown>)[c]),
      );
  }

  test('deleting an entry in the middle of a stream names the gap', async () => {
    const victim = entries[6] as LedgerEntry; // sample-2, seq 2
    const restore = await deleteEntry(victim.id);
    try {
      const result = await verifyLedgerInDatabase(database);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.problem.stream, victim.stream);
        assert.equal(result.problem.seq, 3);
        assert.match(result.problem.reason, /missing/);
      }
    } finally {
      await restore();
    }
    assert.equal((await verifyLedgerInDatabase(database)).ok, true, 'restored');
  });

  test("deleting a stream's last entry is caught by the checkpoint and names the entry", async () => {
    const victim = entries[19] as LedgerEntry; // sample-3, seq 5: no later entry would show a gap
    const restore = await deleteEntry(victim.id);
    try {
      const result = await verifyLedgerInDatabase(database);
      assert.equal(result.ok, false);
      if (!result.ok) {
        assert.equal(result.problem.entryId, victim.id);
        assert.match(result.problem.reason, /no longer exists/);
      }
    } finally {
      await restore();
    }
  });

  test('swapping the order of two entries of a stream is detected', async () => {
    const [a, b] = [entries[1] as LedgerEntry, entries[5] as LedgerEntry]; // sample-1 seq 1 and 2
    const swapSeq = async () => {
      // Through a spare value: unique (stream, seq) is checked row by row.
      await tamper(database, 'update ledger_entries set seq = 1000 where id = $1', [a.id]);
      await tamper(database, 'update ledger_entries set seq = 1 where id = $1', [b.id]);
      await tamper(database, 'update ledger_entries set seq = 2 where id = $1', [a.id]);
    };
    await swapSeq();
    try {
      const result = await verifyLedgerInDatabase(database);
      assert.equal(result.ok, false);
      if (!result.ok) assert.equal(result.problem.stream, a.stream);
    } finally {
      await tamper(database, 'update ledger_entries set seq = 1000 where id = $1', [a.id]);
      await tamper(database, 'update ledger_entries set seq = 2 where id = $1', [b.id]);
      await tamper(database, 'update ledger_entries set seq = 1 where id = $1', [a.id]);
    }
    assert.equal((await verifyLedgerInDatabase(database)).ok, true, 'restored');
  });

  test('swapping two leaves of the Merkle tree breaks the signed root', async () => {
    const swapLeaves = async () => {
      await tamper(database, 'update ledger_leaves set leaf_index = 1000000 where leaf_index = 0');
      await tamper(database, 'update ledger_leaves set leaf_index = 0 where leaf_index = 1');
      await tamper(database, 'update ledger_leaves set leaf_index = 1 where leaf_index = 1000000');
    };
    await swapLeaves();
    try {
      const result = await verifyLedgerInDatabase(database);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.problem.reason, /no longer produce its signed root/);
    } finally {
      await swapLeaves();
    }
    assert.equal((await verifyLedgerInDatabase(database)).ok, true, 'restored');
  });

  test('an inclusion proof shows an entry is in the signed tree', async () => {
    const entry = entries[7] as LedgerEntry;
    const proof = await inclusionProofFor(database, entry.id);
    assert.ok(proof);
    const ok = verifyInclusion(
      Buffer.from(entry.hash, 'hex'),
      proof.leafIndex,
      proof.checkpoint.treeSize,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(proof.checkpoint.rootHash, 'hex'),
    );
    assert.equal(ok, true);
    const forged = verifyInclusion(
      Buffer.from((entries[8] as LedgerEntry).hash, 'hex'),
      proof.leafIndex,
      proof.checkpoint.treeSize,
      proof.proof.map((h) => Buffer.from(h, 'hex')),
      Buffer.from(proof.checkpoint.rootHash, 'hex'),
    );
    assert.equal(forged, false, 'the proof of one entry does not prove another');
  });

  test('an export verifies offline; one changed byte in it fails verification', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-export-'));
    const file = path.join(dir, 'ledger.ndjson');
    const summary = await exportLedgerToFile(database, key, file);
    assert.equal(summary.entries, entries.length);
    const verified = await verifyExportFile(file, { trustedPublicKeyPem: key.publicKeyPem });
    assert.equal(verified.ok, true, JSON.stringify(verified));

    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf('step 3 of case 2');
    assert.ok(at > 0);
    bytes[at + 5] = '4'.charCodeAt(0);
    fs.writeFileSync(file, bytes);
    const broken = await verifyExportFile(file);
    assert.equal(broken.ok, false);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('later checkpoints extend the tree from the stored frontier and still verify from the entries', async () => {
    await appendSampleEntries(database, key, 3, 2);
    const second = await createCheckpoint(database, key);
    assert.equal(second?.treeSize, 26);
    await appendSampleEntries(database, key, 1, 1);
    assert.equal((await createCheckpoint(database, key))?.treeSize, 27);
    assert.equal(await createCheckpoint(database, key), null, 'nothing new, no checkpoint');
    const result = await verifyLedgerInDatabase(database);
    assert.deepEqual(result, { ok: true, entries: 27, streams: 4, checkpoints: 3, uncheckpointed: 0 });
  });
});

describeEachDatabase('ledger encoding', (target) => {
  test('the database and the application hash any text identically (property)', async () => {
    const fresh = await target.create();
    const database = await fresh.open();
    try {
      await migrate(database);
      const text = fc
        .string({ unit: 'binary', minLength: 1, maxLength: 40 })
        .filter((t) => !t.includes('\u0000'));
      const json = fc.jsonValue({ maxDepth: 2 }).filter((v) => !JSON.stringify(v).includes('\\u0000'));
      await fc.assert(
        fc.asyncProperty(
          text,
          text,
          fc.option(text),
          json,
          json,
          async (stream, action, reason, before, after) => {
            // appendLedgerEntry recomputes the database's hash and throws if the encodings differ.
            const entry = await inTransaction(database, (trx) =>
              appendLedgerEntry(trx, {
                stream,
                actor: systemActor('property'),
                action,
                recordType: 'any',
                recordId: action,
                before,
                after,
                reason,
              }),
            );
            assert.match(entry.hash, /^[0-9a-f]{64}$/);
          },
        ),
        { numRuns: 150 },
      );
      assert.equal((await verifyLedgerInDatabase(database)).ok, true);
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});

describeEachDatabase('ledger under concurrency', (target) => {
  test('16 concurrent writers on different streams and on one stream leave gap-free chains, no errors', async () => {
    const fresh = await target.create();
    const database = await fresh.open();
    try {
      await migrate(database);
      const perWriter = 15;
      const write = (stream: string, n: number) =>
        inTransaction(database, (trx) =>
          appendLedgerEntry(trx, {
            stream,
            actor: systemActor('test'),
            action: 'sample.changed',
            recordType: 'sample',
            recordId: stream,
            after: { n },
          }),
        );
      const writers = (streamOf: (w: number) => string) =>
        Array.from({ length: 16 }, async (_, w) => {
          for (let n = 0; n < perWriter; n++) await write(streamOf(w), n);
        });
      await Promise.all([...writers((w) => `own:${w}`), ...writers(() => 'shared:hot')]);

      const result = await verifyLedgerInDatabase(database);
      assert.deepEqual(result, {
        ok: true,
        entries: 32 * perWriter,
        streams: 17,
        checkpoints: 0,
        uncheckpointed: 32 * perWriter,
      });
      const hot = await database.db
        .selectFrom('ledger_entries')
        .select('seq')
        .where('stream', '=', 'shared:hot')
        .orderBy('seq')
        .execute();
      assert.deepEqual(
        hot.map((r) => r.seq),
        Array.from({ length: 16 * perWriter }, (_, i) => i + 1),
      );
    } finally {
      await database.close();
      await fresh.drop();
    }
  });
});
