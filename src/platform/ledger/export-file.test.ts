import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import {
  type Checkpoint,
  generateInstallationKeyPair,
  keyIdOf,
  ledgerOrigin,
  signCheckpoint,
} from './checkpoint.ts';
import { entryPayloadText } from './entry-hash.ts';
import { exampleLedger } from './example-ledger.ts';
import {
  entryLine,
  exportHeader,
  exportLines,
  headerLine,
  parseEntryLine,
  writeExport,
} from './export-file.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { MerkleAccumulator } from './merkle-tree.ts';
import { verifyExportBytes } from './offline-verify.ts';

const keys = generateInstallationKeyPair();
const origin = ledgerOrigin('export-test');
const header = exportHeader({
  origin,
  publicKeyPem: keys.publicKeyPem,
  exportedAt: '2026-11-22T13:00:00.000Z',
});
const entries = exampleLedger({ entries: 30, streams: 4 });

function checkpointAt(size: number, issuedAt = '2026-11-22T12:00:00.000Z'): Checkpoint {
  const tree = new MerkleAccumulator();
  for (const entry of entries.slice(0, size)) tree.appendHex(entry.hash);
  return signCheckpoint({ origin, treeSize: size, rootHash: tree.rootHex(), issuedAt }, keys.privateKeyPem);
}

async function collect(source: Parameters<typeof exportLines>[0]): Promise<string> {
  let text = '';
  for await (const line of exportLines(source)) text += line;
  return text;
}

describe('export file format', () => {
  test('the header names the format, the log, its key and the entry fields', () => {
    assert.deepEqual(JSON.parse(headerLine(header)), {
      entryFields: [
        'version',
        'prevHash',
        'stream',
        'seq',
        'id',
        'recordedAt',
        'actorType',
        'actorId',
        'actorPartnerId',
        'actorRole',
        'action',
        'recordType',
        'recordId',
        'before',
        'after',
        'reason',
      ],
      exportedAt: '2026-11-22T13:00:00.000Z',
      format: 'cellway-ledger-export',
      keyId: keyIdOf(keys.publicKeyPem),
      origin,
      publicKeyPem: keys.publicKeyPem,
      version: 1,
    });
  });

  test('an entry line holds the exact payload its hash covers', () => {
    const entry = entries[3] as LedgerEntry;
    assert.equal(entryLine(entry), `{"entry":${entryPayloadText(entry)},"hash":"${entry.hash}"}`);
    assert.deepEqual(parseEntryLine(entryLine(entry)), entry);
  });

  test('a line that is not an entry is refused when read back', () => {
    assert.throws(() => parseEntryLine('{"entry":[],"hash":"00"}'), /not an entry line: no hash/);
    assert.throws(() => parseEntryLine(`{"entry":[1],"hash":"${'0'.repeat(64)}"}`), /array of 16 fields/);
    assert.throws(() => parseEntryLine('nope'), /not JSON/);
  });

  test('an entry without a proper hash cannot be exported', () => {
    assert.throws(
      () => entryLine({ ...(entries[0] as LedgerEntry), hash: '"},{"x":"' }),
      /has no valid hash/,
    );
  });

  test('checkpoints may come in any order; a re-signed copy of one is written once', async () => {
    const at10 = checkpointAt(10);
    const again = checkpointAt(10, '2026-11-22T12:30:00.000Z');
    const at20 = checkpointAt(20);
    const text = await collect({ header, entries, checkpoints: [at20, again, at10] });
    assert.equal(text.match(/^\{"checkpoint":/gm)?.length, 2);
    assert.equal(verifyExportBytes(Buffer.from(text)).ok, true);
  });

  test('two checkpoints that disagree about the same tree are refused: that would be a forked log', async () => {
    const forked = { ...checkpointAt(10), rootHash: 'a'.repeat(64) };
    await assert.rejects(
      collect({ header, entries, checkpoints: [checkpointAt(10), forked] }),
      /two checkpoints at tree size 10 disagree on the root/,
    );
  });

  test('a checkpoint of another log or another key is refused', async () => {
    const foreign = signCheckpoint(
      {
        origin: ledgerOrigin('elsewhere'),
        treeSize: 1,
        rootHash: 'a'.repeat(64),
        issuedAt: '2026-11-22T12:00:00.000Z',
      },
      keys.privateKeyPem,
    );
    await assert.rejects(
      collect({ header, entries, checkpoints: [foreign] }),
      /belongs to cellway-ledger\/elsewhere/,
    );
    const otherKey = signCheckpoint(
      { origin, treeSize: 1, rootHash: 'a'.repeat(64), issuedAt: '2026-11-22T12:00:00.000Z' },
      generateInstallationKeyPair().privateKeyPem,
    );
    await assert.rejects(collect({ header, entries, checkpoints: [otherKey] }), /signed by another key/);
  });

  test('writing waits for a slow destination and loses nothing', async () => {
    const expected = await collect({ header, entries, checkpoints: [checkpointAt(25)] });
    const received: Buffer[] = [];
    let waits = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        received.push(chunk);
        waits++;
        setTimeout(done, 1);
      },
    });
    // A million-entry export is written in ~1 MB batches; force several by streaming many entries.
    const many = exampleLedger({ entries: 3000, streams: 7 });
    const summary = await writeExport(slow, {
      header,
      entries: (async function* () {
        yield* many;
      })(),
      checkpoints: [],
    });
    slow.end();
    await once(slow, 'finish');
    const written = Buffer.concat(received);
    assert.equal(summary.entries, 3000);
    assert.equal(summary.bytes, written.length);
    assert.ok(waits >= 2);
    assert.equal(verifyExportBytes(written).ok, true);
    assert.equal(verifyExportBytes(Buffer.from(expected)).ok, true);
  });
});
