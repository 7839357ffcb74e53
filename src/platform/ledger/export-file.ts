import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { canonicalJson } from './canonical-json.ts';
import { type Checkpoint, canonicalPublicKeyPem, keyIdOf } from './checkpoint.ts';
import { ENTRY_PAYLOAD_FIELDS, entryFromPayload, entryPayloadText } from './entry-hash.ts';
import { HEX_HASH, type LedgerEntry } from './ledger-entry.ts';
import { MerkleAccumulator } from './merkle-tree.ts';
import { sha256Hex } from './sha256.ts';

/**
 * A self-contained, streamable ledger export (NDJSON, UTF-8, every line ends in \n):
 *
 *   1. header      {"entryFields":[...],"exportedAt":"…","format":"cellway-ledger-export","keyId":"…",
 *                   "origin":"cellway-ledger/<installation id>","publicKeyPem":"…","version":1}
 *   2. entries     {"entry":<payload>,"hash":"<64 hex>"}   one per entry, in leaf order
 *      checkpoints {"checkpoint":{"issuedAt":…,"keyId":…,"origin":…,"rootHash":…,"signature":…,"treeSize":n}}
 *                  each placed straight after the n-th entry line, the last leaf it covers
 *   3. end         {"end":{"checkpoints":k,"entries":n,"headerSha256":"…","rootHash":"…"}}
 *
 * `<payload>` is exactly entryPayload(entry), so an entry's hash is SHA-256(0x00 || those bytes) and
 * a verifier hashes the bytes as they sit in the file. Entries appear in leaf order (the order they
 * were folded into the Merkle tree); entries not yet under a checkpoint follow, in seq order per
 * stream. Putting each checkpoint where its tree ends lets a verifier check it with no lookahead and
 * in constant memory. The end line is not signed: it detects truncation and accidental damage to the
 * unsigned parts (header, entries after the last checkpoint); the signatures are what resist forgery.
 *
 * Every line is canonical JSON, so a verifier can insist that not one byte is free to vary.
 */
export const EXPORT_FORMAT = 'cellway-ledger-export';
export const EXPORT_VERSION = 1;

export type ExportHeader = {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  origin: string;
  publicKeyPem: string;
  keyId: string;
  exportedAt: string;
  entryFields: string[];
};

export type ExportEnd = {
  entries: number;
  checkpoints: number;
  /** RFC 9162 root over every entry in the file, checkpointed or not. */
  rootHash: string;
  /** Hex SHA-256 of the header line's bytes (without its newline). */
  headerSha256: string;
};

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/** The header for an installation's export; `exportedAt` is an argument because modules here have no clock. */
export function exportHeader(options: {
  origin: string;
  publicKeyPem: string;
  exportedAt: string;
}): ExportHeader {
  const publicKeyPem = canonicalPublicKeyPem(options.publicKeyPem);
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    origin: options.origin,
    publicKeyPem,
    keyId: keyIdOf(publicKeyPem),
    exportedAt: options.exportedAt,
    entryFields: [...ENTRY_PAYLOAD_FIELDS],
  };
}

export function headerLine(header: ExportHeader): string {
  return canonicalJson(header);
}

export function entryLine(entry: LedgerEntry): string {
  // The hash is spliced into the line, so it must be exactly what the format says it is.
  if (typeof entry.hash !== 'string' || !HEX_HASH.test(entry.hash)) {
    throw new ExportError(`entry ${entry.id} has no valid hash`);
  }
  return `{"entry":${entryPayloadText(entry)},"hash":"${entry.hash}"}`;
}

/** Reads an entry line back into an entry (for display or import); throws ExportError if it is not one. */
export function parseEntryLine(line: string): LedgerEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new ExportError('not an entry line: not JSON');
  }
  const { entry, hash } = (value ?? {}) as { entry?: unknown; hash?: unknown };
  if (typeof hash !== 'string' || !HEX_HASH.test(hash)) throw new ExportError('not an entry line: no hash');
  try {
    return { ...entryFromPayload(entry), hash };
  } catch (error) {
    throw new ExportError(`not an entry line: ${(error as Error).message}`);
  }
}

export function checkpointLine(checkpoint: Checkpoint): string {
  const { issuedAt, keyId, origin, rootHash, signature, treeSize } = checkpoint;
  return canonicalJson({ checkpoint: { issuedAt, keyId, origin, rootHash, signature, treeSize } });
}

export function endLine(end: ExportEnd): string {
  const { checkpoints, entries, headerSha256, rootHash } = end;
  return canonicalJson({ end: { checkpoints, entries, headerSha256, rootHash } });
}

export type ExportSource = {
  header: ExportHeader;
  /** Leaf order first, then the entries not yet under a checkpoint. */
  entries: Iterable<LedgerEntry> | AsyncIterable<LedgerEntry>;
  /** Any order; each must match the entries it covers, or the export is refused. */
  checkpoints: readonly Checkpoint[];
};

/**
 * The export's lines, each ending in \n, computed as the entries stream past. Throws ExportError
 * (mid-stream) if a checkpoint does not match the entries: exporting a ledger that disagrees with its
 * own checkpoints would produce a file that fails verification, so the problem is surfaced at once.
 * Write to a temporary file and rename on success so a failed export leaves nothing half-written.
 */
export async function* exportLines(source: ExportSource): AsyncGenerator<string> {
  const { header } = source;
  const checkpoints = orderCheckpoints(source.checkpoints, header);
  const headerText = headerLine(header);
  yield `${headerText}\n`;
  const tree = new MerkleAccumulator();
  let next = 0;
  const emitDue = function* (): Generator<string> {
    for (
      let checkpoint = checkpoints[next];
      checkpoint?.treeSize === tree.size;
      checkpoint = checkpoints[++next]
    ) {
      if (checkpoint.rootHash !== tree.rootHex()) {
        throw new ExportError(
          `checkpoint at tree size ${checkpoint.treeSize} does not match the entries being exported ` +
            '(entries changed, missing or in a different order than when it was signed)',
        );
      }
      yield `${checkpointLine(checkpoint)}\n`;
    }
  };
  yield* emitDue();
  for await (const entry of source.entries) {
    const line = entryLine(entry);
    tree.appendHex(entry.hash);
    yield `${line}\n`;
    yield* emitDue();
  }
  const unreached = checkpoints[next];
  if (unreached) {
    throw new ExportError(
      `checkpoint at tree size ${unreached.treeSize} covers more than the ${tree.size} entries exported`,
    );
  }
  yield `${endLine({
    entries: tree.size,
    checkpoints: checkpoints.length,
    rootHash: tree.rootHex(),
    headerSha256: sha256Hex(Buffer.from(headerText, 'utf8')),
  })}\n`;
}

function orderCheckpoints(checkpoints: readonly Checkpoint[], header: ExportHeader): Checkpoint[] {
  const ordered = [...checkpoints].sort((a, b) => a.treeSize - b.treeSize);
  const kept: Checkpoint[] = [];
  for (const checkpoint of ordered) {
    if (checkpoint.origin !== header.origin) {
      throw new ExportError(`checkpoint at tree size ${checkpoint.treeSize} belongs to ${checkpoint.origin}`);
    }
    if (checkpoint.keyId !== header.keyId) {
      throw new ExportError(`checkpoint at tree size ${checkpoint.treeSize} was signed by another key`);
    }
    const previous = kept.at(-1);
    if (previous?.treeSize === checkpoint.treeSize) {
      // Re-signing an unchanged tree is harmless; two roots for one size would be a forked log.
      if (previous.rootHash !== checkpoint.rootHash) {
        throw new ExportError(`two checkpoints at tree size ${checkpoint.treeSize} disagree on the root`);
      }
      continue;
    }
    kept.push(checkpoint);
  }
  return kept;
}

export type ExportSummary = { entries: number; checkpoints: number; bytes: number };

/** Writes the export to `out`, honouring back-pressure; does not end the stream. */
export async function writeExport(out: Writable, source: ExportSource): Promise<ExportSummary> {
  let pending = '';
  let bytes = 0;
  let entries = 0;
  let checkpoints = 0;
  const flush = async (): Promise<void> => {
    if (pending === '') return;
    const chunk = pending;
    pending = '';
    bytes += Buffer.byteLength(chunk, 'utf8');
    if (!out.write(chunk, 'utf8')) await once(out, 'drain');
  };
  for await (const line of exportLines(source)) {
    if (line.startsWith('{"entry":')) entries++;
    else if (line.startsWith('{"checkpoint":')) checkpoints++;
    pending += line;
    // Batching lines into ~1 MB writes keeps per-line stream overhead out of a million-entry export.
    if (pending.length >= 1 << 20) await flush();
  }
  await flush();
  return { entries, checkpoints, bytes };
}
