import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { createCheckpoint } from '../../src/platform/audit/checkpointer.ts';
import { loadOrCreateInstallationKey } from '../../src/platform/audit/installation-key.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrations.ts';
import type { LedgerEntry } from '../../src/platform/ledger/ledger-entry.ts';
import { runCli } from '../support/cli-process.ts';
import { appendSampleEntries, tamper } from '../support/ledger-fixtures.ts';

describe('cellway ledger verify / export on the embedded database', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-ledger-cli-'));
  const env = {
    CELLWAY_DATA_DIR: path.join(dir, 'data'),
    CELLWAY_LEDGER_KEY_FILE: path.join(dir, 'key.pem'),
  };
  const settings = { kind: 'pglite' as const, dataDir: env.CELLWAY_DATA_DIR };
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('verifies, exports, and names the entry an insider changed, in the database and in the file', async () => {
    const key = loadOrCreateInstallationKey(env.CELLWAY_LEDGER_KEY_FILE);
    let entries: LedgerEntry[];
    {
      const database = await openDatabase(settings);
      await migrate(database);
      entries = await appendSampleEntries(database, key);
      await createCheckpoint(database, key);
      await database.close();
    }

    const verified = runCli(['ledger', 'verify'], env);
    assert.equal((await verified.exited).code, 0, verified.stderr());
    assert.match(verified.stderr(), /Ledger verified: 20 entries in 4 streams, 1 signed checkpoints/);

    const exportFile = path.join(dir, 'ledger.ndjson');
    const exported = runCli(['ledger', 'export', '--out', exportFile], env);
    assert.equal((await exported.exited).code, 0, exported.stderr());
    const publicKey = path.join(dir, 'public.pem');
    fs.writeFileSync(publicKey, key.publicKeyPem);
    const offline = runCli(['ledger', 'verify', '--file', exportFile, '--public-key', publicKey], env);
    assert.equal((await offline.exited).code, 0, offline.stderr());
    assert.match(offline.stderr(), /Ledger export verified: 20 entries .* \(the trusted key\)/);

    const victim = entries[10] as LedgerEntry;
    {
      const database = await openDatabase(settings);
      await tamper(database, 'update ledger_entries set reason = $1 where id = $2', [
        'edited afterwards',
        victim.id,
      ]);
      await database.close();
    }
    const broken = runCli(['ledger', 'verify'], env);
    assert.equal((await broken.exited).code, 1);
    assert.match(
      broken.stderr(),
      new RegExp(`LEDGER BROKEN at entry ${victim.id} \\(stream ${victim.stream}, seq ${victim.seq}\\)`),
    );

    const text = fs.readFileSync(exportFile, 'utf8');
    fs.writeFileSync(exportFile, text.replace('step 2 of case 2', 'step 2 of case 3'));
    const brokenFile = runCli(['ledger', 'verify', '--file', exportFile], env);
    assert.equal((await brokenFile.exited).code, 1);
    assert.match(
      brokenFile.stderr(),
      /LEDGER EXPORT BROKEN at line \d+, entry [0-9a-f-]{36} \(stream case:sample-2, seq 3\)/,
    );
  });
});
