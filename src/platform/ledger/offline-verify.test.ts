import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import {
  type Checkpoint,
  generateInstallationKeyPair,
  type InstallationKeyPair,
  ledgerOrigin,
  signCheckpoint,
} from './checkpoint.ts';
import { sealEntry } from './entry-hash.ts';
import { exampleLedger } from './example-ledger.ts';
import { ExportError, exportHeader, parseEntryLine, writeExport } from './export-file.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { MerkleAccumulator } from './merkle-tree.ts';
import {
  type ExportVerification,
  type VerifyExportOptions,
  verifyExportBytes,
  verifyExportFile,
} from './offline-verify.ts';

const keys = generateInstallationKeyPair();
const origin = ledgerOrigin('test-site');
const T0 = Date.parse('2026-11-22T12:00:00.000Z');

function checkpointsFor(
  entries: LedgerEntry[],
  sizes: number[],
  signWith: InstallationKeyPair = keys,
): Checkpoint[] {
  const tree = new MerkleAccumulator();
  const checkpoints: Checkpoint[] = [];
  const wanted = new Set(sizes);
  const sign = () =>
    checkpoints.push(
      signCheckpoint(
        {
          origin,
          treeSize: tree.size,
          rootHash: tree.rootHex(),
          issuedAt: new Date(T0 + tree.size).toISOString(),
        },
        signWith.privateKeyPem,
      ),
    );
  if (wanted.has(0)) sign();
  for (const entry of entries) {
    tree.appendHex(entry.hash);
    if (wanted.has(tree.size)) sign();
  }
  return checkpoints;
}

async function exportBytes(
  entries: LedgerEntry[],
  checkpoints: Checkpoint[],
  signWith: InstallationKeyPair = keys,
): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const header = exportHeader({
    origin,
    publicKeyPem: signWith.publicKeyPem,
    exportedAt: '2026-11-22T13:00:00.000Z',
  });
  await writeExport(sink, { header, entries, checkpoints });
  return Buffer.concat(chunks);
}

/** The ledger with one entry edited and re-sealed, and the rest of its stream re-linked: a clean rewrite. */
function rewrite(entries: LedgerEntry[], index: number, patch: Partial<LedgerEntry>): LedgerEntry[] {
  const rewritten = [...entries];
  rewritten[index] = sealEntry({ ...(entries[index] as LedgerEntry), ...patch });
  const heads = new Map<string, string>();
  for (let at = 0; at < rewritten.length; at++) {
    const entry = rewritten[at] as LedgerEntry;
    const previous = heads.get(entry.stream);
    if (at > index && previous !== undefined && entry.prevHash !== previous) {
      rewritten[at] = sealEntry({ ...entry, prevHash: previous });
    }
    heads.set(entry.stream, (rewritten[at] as LedgerEntry).hash);
  }
  return rewritten;
}

function lines(bytes: Buffer): string[] {
  return bytes.toString('utf8').split('\n').slice(0, -1);
}

function fromLines(list: string[]): Buffer {
  return Buffer.from(`${list.join('\n')}\n`, 'utf8');
}

function failure(result: ExportVerification) {
  assert.equal(result.ok, false, 'expected verification to fail');
  return (result as Extract<ExportVerification, { ok: false }>).firstError;
}

// Small enough to change every byte; with streams whose names need escaping and are not ASCII.
const small = exampleLedger({ entries: 8, streams: 1, unusualStreams: true });
const smallCheckpoints = checkpointsFor(small, [3, 6]);
let smallExport: Buffer;

const medium = exampleLedger({ entries: 120, streams: 5 });
const mediumCheckpoints = checkpointsFor(medium, [50, 100]);
let mediumExport: Buffer;

let dir: string;
before(async () => {
  smallExport = await exportBytes(small, smallCheckpoints);
  mediumExport = await exportBytes(medium, mediumCheckpoints);
  dir = await mkdtemp(path.join(tmpdir(), 'cellway-ledger-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function verifyBoth(bytes: Buffer, options: VerifyExportOptions = {}): Promise<ExportVerification> {
  const file = path.join(dir, `export-${Math.random().toString(36).slice(2)}.ndjson`);
  await writeFile(file, bytes);
  const inMemory = verifyExportBytes(bytes, options);
  const fromFileHere = await verifyExportFile(file, { ...options, hashInWorker: false });
  const fromFileWorker = await verifyExportFile(file, { ...options, hashInWorker: true });
  assert.deepEqual(fromFileHere, inMemory, 'file and in-memory verification disagree');
  assert.deepEqual(fromFileWorker, inMemory, 'verification in a worker disagrees');
  return inMemory;
}

describe('ledger export and offline verification', () => {
  test('an export verifies and reports what it covers', async () => {
    const result = await verifyBoth(mediumExport);
    assert.deepEqual(result, {
      ok: true,
      entries: 120,
      streams: 5,
      checkpoints: 2,
      uncheckpointed: 20,
      origin,
      keyId: mediumCheckpoints[0]?.keyId,
      lastCheckpoint: mediumCheckpoints[1],
    });
  });

  test('entries read back exactly as they were exported, in the same order', () => {
    const read = lines(mediumExport)
      .filter((line) => line.startsWith('{"entry":'))
      .map(parseEntryLine);
    assert.deepEqual(read, medium);
  });

  test('each checkpoint sits right after the last entry it covers', () => {
    const list = lines(mediumExport);
    assert.match(list[0] ?? '', /^\{"entryFields":/);
    assert.match(list[51] ?? '', /^\{"checkpoint":\{.*"treeSize":50\}\}$/);
    assert.match(list[102] ?? '', /^\{"checkpoint":\{.*"treeSize":100\}\}$/);
    assert.match(list.at(-1) ?? '', /^\{"end":\{"checkpoints":2,"entries":120,/);
  });

  test('an empty ledger and a ledger without checkpoints export and verify', async () => {
    assert.deepEqual(await verifyBoth(await exportBytes([], [])), {
      ok: true,
      entries: 0,
      streams: 0,
      checkpoints: 0,
      uncheckpointed: 0,
      origin,
      keyId: smallCheckpoints[0]?.keyId,
      lastCheckpoint: null,
    });
    const unsigned = await verifyBoth(await exportBytes(medium, []));
    assert.equal(unsigned.ok && unsigned.uncheckpointed, 120);
  });

  test('changing any single byte anywhere in the file makes it fail', () => {
    const survivors: string[] = [];
    for (let at = 0; at < smallExport.length; at++) {
      for (const flip of [0x01, 0x20]) {
        const altered = Buffer.from(smallExport);
        altered[at] = (altered[at] as number) ^ flip;
        if (verifyExportBytes(altered).ok) {
          survivors.push(`byte ${at} ^ 0x${flip.toString(16)} in ${JSON.stringify(smallLineAt(at))}`);
        }
      }
    }
    assert.deepEqual(survivors, []);
  });

  test('removing any line, or swapping any two neighbouring lines, makes it fail', () => {
    const list = lines(smallExport);
    for (let index = 0; index < list.length; index++) {
      const without = list.filter((_, i) => i !== index);
      assert.equal(verifyExportBytes(fromLines(without)).ok, false, `line ${index + 1} removed`);
      if (index + 1 < list.length) {
        const swapped = [...list];
        [swapped[index], swapped[index + 1]] = [list[index + 1] as string, list[index] as string];
        assert.equal(
          verifyExportBytes(fromLines(swapped)).ok,
          false,
          `lines ${index + 1} and ${index + 2} swapped`,
        );
      }
    }
  });

  test('a changed field names the entry, its stream, seq and line', async () => {
    const list = lines(mediumExport);
    const target = medium[30] as LedgerEntry;
    // Line 1 is the header; entries 0-49 are lines 2-51.
    list[31] = (list[31] as string).replace(`"${target.recordedAt}"`, '"2026-11-22T12:00:00.999Z"');
    assert.deepEqual(failure(await verifyBoth(fromLines(list))), {
      line: 32,
      entryId: target.id,
      stream: target.stream,
      seq: target.seq,
      reason: 'hash does not match its content',
    });
  });

  test('a written hash that was changed is named too', async () => {
    const list = lines(mediumExport);
    const target = medium[70] as LedgerEntry;
    // Entries 50-99 are lines 53-102 (line 52 is the first checkpoint).
    list[72] = (list[72] as string).replace(
      target.hash,
      `${target.hash.slice(0, 63)}${target.hash.endsWith('0') ? '1' : '0'}`,
    );
    const problem = failure(await verifyBoth(fromLines(list)));
    assert.deepEqual(problem, {
      line: 73,
      entryId: target.id,
      stream: target.stream,
      seq: target.seq,
      reason: 'hash does not match its content',
    });
  });

  test('a removed entry is named by the next entry of its stream', async () => {
    const list = lines(mediumExport);
    const gone = medium[10] as LedgerEntry;
    const nextIndex = medium.findIndex((e) => e.stream === gone.stream && e.seq === gone.seq + 1);
    const next = medium[nextIndex] as LedgerEntry;
    list.splice(11, 1);
    assert.deepEqual(failure(await verifyBoth(fromLines(list))), {
      line: nextIndex + 1,
      entryId: next.id,
      stream: gone.stream,
      seq: next.seq,
      reason: `seq ${next.seq} follows ${gone.seq - 1}: seq ${gone.seq} missing`,
    });
  });

  test('entries of different streams swapped under a checkpoint fail at that checkpoint', async () => {
    const list = lines(mediumExport);
    assert.notEqual(medium[20]?.stream, medium[21]?.stream);
    [list[21], list[22]] = [list[22] as string, list[21] as string];
    assert.deepEqual(failure(await verifyBoth(fromLines(list))), {
      line: 52,
      reason:
        'checkpoint at tree size 50: root does not match the entries before it ' +
        '(an entry was changed, removed, added or reordered)',
    });
  });

  test('the entries after the last checkpoint are protected against accidents by the end line', async () => {
    const list = lines(mediumExport);
    // Entries 100-119 are lines 104-123; the last line of a stream can go without breaking a chain.
    const lastOfStream = medium.findLastIndex((e) => e.stream === medium[119]?.stream);
    list.splice(lastOfStream + 3, 1);
    const problem = failure(await verifyBoth(fromLines(list)));
    assert.equal(problem.line, list.length);
    assert.match(problem.reason, /^end line counts 120 entries, the file holds 119$/);
  });

  test('a truncated file fails, whether cut between lines or inside one', async () => {
    const list = lines(mediumExport);
    assert.deepEqual(failure(await verifyBoth(fromLines(list.slice(0, 80)))), {
      line: 80,
      reason: 'the file ends without its end line: it was truncated',
    });
    assert.deepEqual(failure(await verifyBoth(mediumExport.subarray(0, mediumExport.length - 10))), {
      reason: 'the last line has no newline: the file was truncated or altered',
    });
    assert.equal(failure(await verifyBoth(Buffer.alloc(0))).reason, 'the file is empty');
  });

  test('anything after the end line fails', async () => {
    const list = lines(mediumExport);
    assert.deepEqual(failure(await verifyBoth(fromLines([...list, list[1] as string]))), {
      line: list.length + 1,
      reason: 'content after the end line',
    });
  });

  test('a file that is not an export says so', async () => {
    const problem = failure(await verifyBoth(Buffer.from('{"hello":"world"}\n')));
    assert.deepEqual(problem, {
      line: 1,
      reason: 'not a Cellway ledger export (the first line is not its header)',
    });
  });

  test('checked against the trusted installation key, an export signed with another key fails', async () => {
    const problem = failure(
      await verifyBoth(mediumExport, { trustedPublicKeyPem: generateInstallationKeyPair().publicKeyPem }),
    );
    assert.equal(problem.line, 1);
    assert.match(
      problem.reason,
      /^export is signed with key [0-9a-f]{64}, not with the trusted installation key/,
    );
    assert.equal((await verifyBoth(mediumExport, { trustedPublicKeyPem: keys.publicKeyPem })).ok, true);
  });

  test('a forger who edits an entry and re-signs with their own key only fools a check without the trusted key', async () => {
    const forgerKeys = generateInstallationKeyPair();
    const forged = rewrite(medium, 5, { reason: 'forged' });
    const bytes = await exportBytes(forged, checkpointsFor(forged, [50, 100], forgerKeys), forgerKeys);
    const unpinned = await verifyBoth(bytes);
    assert.equal(unpinned.ok, true);
    assert.notEqual(unpinned.ok && unpinned.keyId, mediumCheckpoints[0]?.keyId);
    assert.equal((await verifyBoth(bytes, { trustedPublicKeyPem: keys.publicKeyPem })).ok, false);
  });

  test('a checkpoint signed with another key fails even if everything else matches', async () => {
    const list = lines(mediumExport);
    const foreign = checkpointsFor(medium, [50], generateInstallationKeyPair())[0] as Checkpoint;
    const relabelled = { ...foreign, keyId: mediumCheckpoints[0]?.keyId };
    const { issuedAt, keyId, origin: o, rootHash, signature, treeSize } = relabelled;
    list[51] = JSON.stringify({ checkpoint: { issuedAt, keyId, origin: o, rootHash, signature, treeSize } });
    assert.deepEqual(failure(await verifyBoth(fromLines(list))), {
      line: 52,
      reason: 'checkpoint at tree size 50: signature does not verify with the installation key',
    });
  });

  test('checkpoints held from before must be reproduced: the ledger only grew', async () => {
    const earlier = checkpointsFor(medium.slice(0, 30), [30]);
    assert.equal((await verifyBoth(mediumExport, { knownCheckpoints: earlier })).ok, true);

    // The installation itself rewrote entry 10 and re-signed everything with its own key.
    const rewritten = rewrite(medium, 10, { after: '{"status":"rewritten"}' });
    const rewrittenExport = await exportBytes(rewritten, checkpointsFor(rewritten, [50, 100]));
    assert.equal((await verifyBoth(rewrittenExport)).ok, true, 'on its own it is self-consistent');
    const problem = failure(await verifyBoth(rewrittenExport, { knownCheckpoints: earlier }));
    assert.match(
      problem.reason,
      /^the first 30 entries do not reproduce the known checkpoint issued .*: the ledger was rewritten since$/,
    );

    const shorter = await exportBytes(medium.slice(0, 20), checkpointsFor(medium, [10]));
    assert.match(
      failure(await verifyBoth(shorter, { knownCheckpoints: earlier })).reason,
      /^export holds 20 entries but a known checkpoint covers 30: the ledger was truncated/,
    );
  });

  test('the export refuses checkpoints that do not match the entries', async () => {
    const wrong = checkpointsFor(small, [3]).map((c) => ({ ...c, treeSize: 4 }));
    await assert.rejects(exportBytes(small, wrong), (error: unknown) => {
      assert.ok(error instanceof ExportError);
      assert.match(error.message, /checkpoint at tree size 4 does not match the entries being exported/);
      return true;
    });
    await assert.rejects(
      exportBytes(small.slice(0, 2), checkpointsFor(small, [3])),
      /covers more than the 2 entries/,
    );
  });

  test('large files: chunk boundaries, long lines, the worker, progress', async () => {
    // One entry whose record is longer than a read chunk.
    const entries = rewrite(exampleLedger({ entries: 9000, streams: 40 }), 4001, {
      after: JSON.stringify({ blob: 'x'.repeat(5 << 20) }),
    });
    const bytes = await exportBytes(entries, checkpointsFor(entries, [4096, 8000]));
    const file = path.join(dir, 'large.ndjson');
    await writeFile(file, bytes);
    const progress: number[] = [];
    for (const hashInWorker of [false, true]) {
      const result = await verifyExportFile(file, {
        hashInWorker,
        onProgress: (p) => progress.push(p.bytesRead),
      });
      assert.equal(result.ok, true, JSON.stringify(result));
      assert.equal(result.ok && result.entries, 9000);
    }
    assert.equal(progress.at(-1), bytes.length);

    // A changed byte in the entry that straddles the first chunk boundary is found in both modes.
    const boundary = 4 << 20;
    const lineStart = bytes.lastIndexOf(0x0a, boundary) + 1;
    assert.ok(bytes.subarray(lineStart, lineStart + 9).toString() === '{"entry":');
    const altered = Buffer.from(bytes);
    const at = altered.indexOf('"case.', lineStart) + 3;
    altered[at] = (altered[at] as number) ^ 0x01;
    const alteredFile = path.join(dir, 'large-altered.ndjson');
    await writeFile(alteredFile, altered);
    const line = bytes.subarray(0, lineStart).filter((byte) => byte === 0x0a).length + 1;
    for (const hashInWorker of [false, true]) {
      const problem = failure(await verifyExportFile(alteredFile, { hashInWorker }));
      assert.equal(problem.line, line);
      assert.equal(problem.reason, 'hash does not match its content');
    }
  });
});

function smallLineAt(at: number): string {
  const start = smallExport.lastIndexOf(0x0a, at - 1) + 1;
  return smallExport.subarray(start, smallExport.indexOf(0x0a, at)).toString('utf8').slice(0, 80);
}
