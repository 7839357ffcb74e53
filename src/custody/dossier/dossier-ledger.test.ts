import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../../test/support/cli-process.ts';
import { appendSampleEntries, tempInstallationKey } from '../../../test/support/ledger-fixtures.ts';
import { describeEachDatabase, type FreshDatabase } from '../../../test/support/test-databases.ts';
import { createCheckpoint } from '../../platform/audit/checkpointer.ts';
import type { InstallationKey } from '../../platform/audit/installation-key.ts';
import type { Database } from '../../platform/db/database.ts';
import { migrate } from '../../platform/db/migrations.ts';
import { verifyProofBundle } from '../../platform/ledger/proof-bundle.ts';
import { displayChainOfIdentity, formatChainOfIdentity } from '../identity/chain-of-identity.ts';
import { buildDossierFile, dossierFileName } from './dossier-file.ts';
import { collectDossierLedger } from './dossier-ledger.ts';

const coiParts = { facility: 'W9999', year: 26, sequence: 1 };
const coi = formatChainOfIdentity(coiParts);

describeEachDatabase('dossier file from the database, verified by the real CLI', (target) => {
  let fresh: FreshDatabase;
  let database: Database;
  let key: InstallationKey;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cellway-dossier-'));
  const env = { CELLWAY_DATA_DIR: path.join(dir, 'data') };

  before(async () => {
    fresh = await target.create();
    database = await fresh.open();
    await migrate(database);
    key = tempInstallationKey();
    await appendSampleEntries(database, key, 4, 3);
    await createCheckpoint(database, key);
    // Written after the last checkpoint: the dossier must get them under one itself.
    await appendSampleEntries(database, key, 4, 2);
  });

  after(async () => {
    await database.close();
    await fresh.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function writeDossier(): Promise<string> {
    const ledger = await collectDossierLedger(
      database,
      ['case:sample-1', 'case:sample-3', `custody:${coi}`],
      key,
    );
    const text = buildDossierFile({
      ...ledger,
      header: {
        caseId: 'sample-1',
        caseReference: 'CW-2026-0001',
        chainOfIdentity: coi,
        therapy: 'CAR-T autologous',
        generatedAt: '2026-11-22T12:00:00.000Z',
        generatedBy: 'Quality Assurance (qa)',
      },
      privateKeyPem: key.privateKeyPem,
    });
    const file = path.join(dir, dossierFileName('CW-2026-0001'));
    fs.writeFileSync(file, text);
    return file;
  }

  test('collects each stream complete from seq 1, checkpoints the newest entries, proves every entry', async () => {
    const ledger = await collectDossierLedger(database, ['case:sample-1', 'case:sample-3'], key);
    // 3 entries per stream before the checkpoint, 2 after: all 5 are in, each with a proof.
    assert.equal(ledger.entries.length, 10);
    assert.deepEqual(
      ledger.entries.filter((e) => e.stream === 'case:sample-1').map((e) => e.seq),
      [1, 2, 3, 4, 5],
    );
    assert.equal(ledger.checkpoint.treeSize, 20, 'a new checkpoint covers all 20 entries of the ledger');
    assert.equal(ledger.proofs.size, 10);
    const again = await collectDossierLedger(database, ['case:sample-1'], key);
    assert.equal(again.checkpoint.treeSize, 20, 'nothing new: no further checkpoint');
  });

  test('`cellway ledger verify --file` accepts the dossier file offline, and refuses it after one byte changes', async () => {
    const file = await writeDossier();
    const original = fs.readFileSync(file);
    assert.ok(verifyProofBundle(original).ok);
    const publicKey = path.join(dir, 'public.pem');
    fs.writeFileSync(publicKey, key.publicKeyPem);

    const verified = runCli(['ledger', 'verify', '--file', file, '--public-key', publicKey], env);
    assert.equal((await verified.exited).code, 0, verified.stderr());
    assert.match(
      verified.stderr(),
      new RegExp(
        `Dossier file verified: Custody dossier CW-2026-0001, chain of identity ${displayChainOfIdentity(coiParts)}\\. ` +
          `10 ledger entries in 3 complete streams \\(case:sample-1: 5, case:sample-3: 5, custody:${coi}: 0\\), ` +
          'each proven included in the checkpoint signed at tree size 20 .*\\(the trusted key\\)',
      ),
    );

    // One hex digit of an inclusion proof node.
    const text = original.toString('utf8');
    const at = text.indexOf('"proof":["') + '"proof":["'.length;
    const flipped = Buffer.from(original);
    flipped[at] = flipped[at] === 0x61 ? 0x62 : 0x61;
    fs.writeFileSync(file, flipped);
    const broken = runCli(['ledger', 'verify', '--file', file], env);
    assert.equal((await broken.exited).code, 1);
    assert.match(
      broken.stderr(),
      /DOSSIER FILE BROKEN at line 3, entry [0-9a-f-]+ \(stream case:sample-1, seq 1\): inclusion proof does not lead to the signed root/,
    );

    // A space where canonical JSON has none: harmless to a JSON parser, still a changed file.
    const spaced = text.replace('"generatedBy":', '"generatedBy": ');
    fs.writeFileSync(file, spaced);
    const reformatted = runCli(['ledger', 'verify', '--file', file], env);
    assert.equal((await reformatted.exited).code, 1);
    assert.match(reformatted.stderr(), /DOSSIER FILE BROKEN at line 1: .*altered/);

    fs.writeFileSync(file, original);
    fs.writeFileSync(publicKey, tempInstallationKey().publicKeyPem);
    const otherKey = runCli(['ledger', 'verify', '--file', file, '--public-key', publicKey], env);
    assert.equal((await otherKey.exited).code, 1);
    assert.match(otherKey.stderr(), /not with the trusted installation key/);
  });
});
