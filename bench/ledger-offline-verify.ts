// Offline verification of a signed ledger export, against the least any verifier must do: read the
// file and hash each entry once. Both run in this process on the same file, so the ratio survives a
// noisy machine; the absolute figures are medians for reference.
import { createWriteStream } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { pathToFileURL } from 'node:url';
import {
  type Checkpoint,
  generateInstallationKeyPair,
  ledgerOrigin,
  signCheckpoint,
} from '../src/platform/ledger/checkpoint.ts';
import { exampleLedgerEntries } from '../src/platform/ledger/example-ledger.ts';
import { exportHeader, writeExport } from '../src/platform/ledger/export-file.ts';
import { MerkleAccumulator } from '../src/platform/ledger/merkle-tree.ts';
import { verifyExportFile } from '../src/platform/ledger/offline-verify.ts';
import { sha256Binary } from '../src/platform/ledger/sha256.ts';
import { median, round, writeResults } from './support/bench-results.ts';

export type OfflineVerifyBench = {
  verify_ratio_to_sha256: number;
  verify_entries_per_s: number;
  sha256_entries_per_s: number;
  verify_ms: number;
};

const CHECKPOINT_EVERY = 100_000;
const ROUNDS = 5;
const START = Date.parse('2026-11-22T10:00:00.000Z');

/**
 * Writes a signed export of the example ledger with a checkpoint every 100,000 entries. Two passes
 * over the (deterministic) example ledger: the first computes and signs the checkpoints, the second
 * streams the file through writeExport, so a million entries never sit in memory.
 */
export async function writeSignedExport(file: string, entries: number, streams: number): Promise<void> {
  const { publicKeyPem, privateKeyPem } = generateInstallationKeyPair();
  const origin = ledgerOrigin('bench');
  const options = { entries, streams, startAt: new Date(START).toISOString() };
  const tree = new MerkleAccumulator();
  const checkpoints: Checkpoint[] = [];
  for (const entry of exampleLedgerEntries(options)) {
    tree.appendHex(entry.hash);
    if (tree.size % CHECKPOINT_EVERY === 0) {
      const issuedAt = new Date(START + tree.size).toISOString();
      checkpoints.push(
        signCheckpoint({ origin, treeSize: tree.size, rootHash: tree.rootHex(), issuedAt }, privateKeyPem),
      );
    }
  }
  const header = exportHeader({ origin, publicKeyPem, exportedAt: new Date(START + entries).toISOString() });
  const out = createWriteStream(file);
  await writeExport(out, { header, entries: exampleLedgerEntries(options), checkpoints });
  out.end();
  await finished(out);
}

const PAYLOAD_AT = '{"entry":'.length;
// After the payload: `,"hash":"` + 64 hex digits + `"}`.
const AFTER_PAYLOAD = ',"hash":"'.length + 64 + 2;

/**
 * The baseline: the same file, read through the same 4 MB chunks and split at the same newlines as
 * the verifier does, then one SHA-256 per entry over exactly the payload bytes its hash covers, with
 * the fastest call Node has (one-shot crypto.hash into a latin1 string, over a Uint8Array view; the
 * call the verifier uses too). No parsing, chains, tree or signatures: any verifier must at least do
 * this, so verify/baseline is what verification costs on top of reading and hashing the data once.
 * It is single-threaded; the verifier may use a second thread (see leaf-checks.ts), and its CPU
 * time is reported beside the ratio so the comparison stays honest.
 */
export async function hashEveryEntry(file: string): Promise<number> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
    let filled = 0;
    let hashed = 0;
    let sink = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      let consumed = 0;
      for (;;) {
        const newline = buffer.indexOf(0x0a, consumed);
        if (newline === -1 || newline >= filled) break;
        // `{"en` starts entry lines (and the single end line, whose hashing is noise).
        if (bytes[consumed + 2] === 0x65 && bytes[consumed + 3] === 0x6e) {
          sink += sha256Binary(bytes.subarray(consumed + PAYLOAD_AT, newline - AFTER_PAYLOAD)).charCodeAt(0);
          hashed++;
        }
        consumed = newline + 1;
      }
      buffer.copy(buffer, 0, consumed, filled);
      filled -= consumed;
    }
    // Uses the digests, so the hashing cannot be optimised away.
    if (sink < 0) throw new Error('unreachable');
    return hashed;
  } finally {
    await handle.close();
  }
}

type Timed = { ms: number; cpuMs: number };

async function timed(run: () => Promise<void>): Promise<Timed> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

export async function benchOfflineVerify({
  entries = 1_000_000,
  streams = 1000,
}: {
  entries?: number;
  streams?: number;
} = {}): Promise<OfflineVerifyBench & { verify_cpu_ratio_to_sha256: number; file_mb: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'cellway-ledger-bench-'));
  try {
    const file = path.join(dir, 'ledger-export.ndjson');
    await writeSignedExport(file, entries, streams);
    const fileBytes = (await stat(file)).size;
    // Warms the page cache and both code paths before anything is timed.
    await hashEveryEntry(file);
    await verifyExportFile(file);
    const baseline: Timed[] = [];
    const verify: Timed[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baseline.push(
        await timed(async () => {
          const hashed = await hashEveryEntry(file);
          if (hashed < entries) throw new Error(`baseline hashed ${hashed} of ${entries} entries`);
        }),
      );
      verify.push(
        await timed(async () => {
          const result = await verifyExportFile(file);
          if (!result.ok) throw new Error(`the export does not verify: ${JSON.stringify(result.firstError)}`);
          if (result.entries !== entries || result.checkpoints !== Math.floor(entries / CHECKPOINT_EVERY)) {
            throw new Error(`verified ${result.entries} entries and ${result.checkpoints} checkpoints`);
          }
        }),
      );
    }
    const verifyMs = median(verify.map((t) => t.ms));
    const baselineMs = median(baseline.map((t) => t.ms));
    // Each round times the baseline and then the verifier back to back, so the ratio is taken per
    // round: a slow spell on a shared machine then weighs on both sides of it.
    const ratios = verify.map((t, index) => (baseline[index] as Timed).ms / t.ms);
    const cpuRatios = verify.map((t, index) => (baseline[index] as Timed).cpuMs / t.cpuMs);
    return {
      verify_ratio_to_sha256: round(median(ratios), 3),
      verify_entries_per_s: Math.round((entries / verifyMs) * 1000),
      sha256_entries_per_s: Math.round((entries / baselineMs) * 1000),
      verify_ms: Math.round(verifyMs),
      verify_cpu_ratio_to_sha256: round(median(cpuRatios), 3),
      file_mb: round(fileBytes / 2 ** 20, 1),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const entries = Number(process.env.LEDGER_BENCH_ENTRIES ?? 1_000_000);
  const started = performance.now();
  const { file_mb, ...metrics } = await benchOfflineVerify({ entries });
  writeResults('ledger-offline-verify', metrics, {
    entries,
    streams: 1000,
    checkpointEvery: CHECKPOINT_EVERY,
    fileMb: file_mb,
    rounds: ROUNDS,
    goal: 'verify_ratio_to_sha256 >= 0.5',
    baseline: 'same file, same chunked reading, one crypto.hash SHA-256 per entry payload, one thread',
    benchSeconds: round((performance.now() - started) / 1000, 1),
  });
}
