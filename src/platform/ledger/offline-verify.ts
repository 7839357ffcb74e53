import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { canonicalJson } from './canonical-json.ts';
import { seqReason } from './chain-verify.ts';
import {
  type Checkpoint,
  canonicalPublicKeyPem,
  checkpointBodyProblems,
  keyIdOf,
  verifyCheckpoint,
} from './checkpoint.ts';
import { ENTRY_PAYLOAD_FIELDS, ENTRY_PAYLOAD_VERSION } from './entry-hash.ts';
import { EXPORT_FORMAT, EXPORT_VERSION, type ExportHeader } from './export-file.ts';
import { inThreadLeafChecks, type LeafChecks, workerLeafChecks } from './leaf-checks.ts';
import { GENESIS_PREV_HASH, HEX_HASH, isIsoMillisUtc } from './ledger-entry.ts';
import { looksLikeProofBundle } from './proof-bundle.ts';
import { sha256Hex } from './sha256.ts';
import { fnvStart, fnvStep, rangeEquals, StreamHeads } from './stream-heads.ts';

/**
 * Verifies an export (format: export-file.ts) with nothing but the file: every entry's hash, every
 * hash chain, every checkpoint's root and Ed25519 signature, and that each checkpoint extends the one
 * before it. It streams the file in chunks and keeps one hash per stream plus O(log n) Merkle nodes,
 * so a ledger of any length verifies in constant memory.
 *
 * Speed comes from the format: each entry line carries the exact payload bytes its hash commits to,
 * so an entry costs one SHA-256 over bytes already in memory (no parse, no re-encoding), the chain
 * fields sit at fixed offsets, and that same hash is the Merkle leaf, which costs about one more
 * small hash. Reading and chain checks run here; hashing and the tree (leaf-checks.ts) run in a
 * worker thread when the file is large and a second core is available, with this thread taking a
 * share of the hashing whenever the worker falls behind.
 */

export type ExportProblem = {
  /** 1-based line of the file. */
  line?: number;
  entryId?: string;
  stream?: string;
  seq?: number;
  reason: string;
};

export type ExportVerification =
  | {
      ok: true;
      entries: number;
      streams: number;
      checkpoints: number;
      /** Entries after the last checkpoint: chain-verified, but not yet covered by a signature. */
      uncheckpointed: number;
      origin: string;
      keyId: string;
      lastCheckpoint: Checkpoint | null;
    }
  | { ok: false; firstError: ExportProblem };

export type VerifyProgress = { bytesRead: number; totalBytes: number; entries: number };

export type VerifyExportOptions = {
  onProgress?: (progress: VerifyProgress) => void;
  /**
   * The installation key the auditor already trusts. Without it the export is checked against the
   * key it carries, which proves integrity but not who produced it; check the reported keyId then.
   */
  trustedPublicKeyPem?: string;
  /**
   * Checkpoints obtained earlier (a previous export, a witness). The export must reproduce each
   * root at its size: proof that the ledger only grew since, and was not rewritten or truncated.
   */
  knownCheckpoints?: readonly Checkpoint[];
  /**
   * Hash entries and build the tree in a worker thread. Default: when the file is large (>= 32 MB)
   * and the machine has a second core. The verdict is the same either way.
   */
  hashInWorker?: boolean;
};

const WORKER_FROM_BYTES = 32 << 20;

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

const NEWLINE = 0x0a;
const QUOTE = 0x22;
const COMMA = 0x2c;
const BACKSLASH = 0x5c;
const ENTRY_OPEN = ascii(`{"entry":["${ENTRY_PAYLOAD_VERSION}","`);
// Payload starts after `{"entry":`; its first byte is `[`.
const PAYLOAD_AT = '{"entry":'.length;
const PREV_HASH_AT = ENTRY_OPEN.length;
const STREAM_AT = PREV_HASH_AT + 64 + 3;
const HASH_TAIL = ascii(',"hash":"');
// `,"hash":"` + 64 hex + `"}`
const TAIL_LENGTH = HASH_TAIL.length + 64 + 2;
const MIN_ENTRY_LINE = STREAM_AT + TAIL_LENGTH + 4;
const CHECKPOINT_OPEN = ascii('{"checkpoint":');
const END_OPEN = ascii('{"end":');
const ZERO_DIGIT = 0x30;
const viewOf = (bytes: Uint8Array): DataView =>
  new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
const ENTRY_OPEN_VIEW = viewOf(ENTRY_OPEN);
const HASH_TAIL_VIEW = viewOf(HASH_TAIL);
const GENESIS_VIEW = viewOf(ascii(GENESIS_PREV_HASH));

const CHUNK_BYTES = 4 << 20;
const MAX_LINE_BYTES = 256 << 20;

function startsWith(bytes: Uint8Array, at: number, prefix: Uint8Array): boolean {
  for (let index = 0; index < prefix.length; index++) {
    if (bytes[at + index] !== prefix[index]) return false;
  }
  return true;
}

const HEADER_KEYS = ['entryFields', 'exportedAt', 'format', 'keyId', 'origin', 'publicKeyPem', 'version'];
const CHECKPOINT_KEYS = ['issuedAt', 'keyId', 'origin', 'rootHash', 'signature', 'treeSize'];
const END_KEYS = ['checkpoints', 'entries', 'headerSha256', 'rootHash'];

function hasExactly(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const actual = Object.keys(value).sort();
  return actual.length === keys.length && actual.every((key, index) => key === keys[index]);
}

/** Parses a line that must be canonical JSON; undefined if it is not JSON or not in canonical form. */
function parseCanonical(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
    return canonicalJson(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Line-by-line verification state; the readers feed it complete lines and hand each chunk on to the
 * LeafChecks once its lines are read.
 *
 * Hash comparisons and roots are reported by the LeafChecks, possibly later and from two threads;
 * the verifier keeps the failure on the earliest line. A problem found here directly is on a later
 * line than any record handed over before it, so the readers settle those records first and report
 * whichever failed first in the file.
 */
class ExportVerifier {
  readonly #options: VerifyExportOptions;
  readonly #checks: LeafChecks;
  #lineNumber = 0;
  #entries = 0;
  #header: ExportHeader | null = null;
  #headerSha256 = '';
  #heads = new StreamHeads();
  // Chain fields of the entry line being read (see #readChainFields).
  #streamEnd = 0;
  #streamKey = 0;
  #streamEscaped = false;
  #seq = 0;
  // A DataView of the chunk being read, made once per chunk.
  #viewOf: Uint8Array | null = null;
  #view: DataView = new DataView(new ArrayBuffer(0));
  #checkpoints = 0;
  #lastCheckpoint: Checkpoint | null = null;
  #ended = false;
  #known: Checkpoint[] = [];
  #nextKnown = 0;
  // Entry count at which the next known checkpoint is compared; -1 when none is left.
  #nextKnownSize = -1;
  /** The first failure reported by the LeafChecks. */
  deferredProblem: ExportProblem | null = null;

  constructor(options: VerifyExportOptions, makeChecks: (verifier: ExportVerifier) => LeafChecks) {
    this.#options = options;
    this.#checks = makeChecks(this);
  }

  get entries(): number {
    return this.#entries;
  }

  get checks(): LeafChecks {
    return this.#checks;
  }

  /** Checks one line (without its newline); returns the problem that ends verification, or null. */
  line(buffer: Buffer, bytes: Uint8Array, start: number, end: number): ExportProblem | null {
    const lineNumber = ++this.#lineNumber;
    if (this.#ended) return { line: lineNumber, reason: 'content after the end line' };
    if (lineNumber === 1) return this.#headerLine(buffer.toString('utf8', start, end));
    if (bytes !== this.#viewOf) {
      this.#viewOf = bytes;
      this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    if (
      end - start >= MIN_ENTRY_LINE &&
      rangeEquals(this.#view, start, ENTRY_OPEN_VIEW, 0, ENTRY_OPEN.length)
    ) {
      return this.#entryLine(buffer, bytes, start, end);
    }
    if (startsWith(bytes, start, CHECKPOINT_OPEN))
      return this.#checkpointLine(buffer.toString('utf8', start, end));
    if (startsWith(bytes, start, END_OPEN)) return this.#endLine(buffer.toString('utf8', start, end));
    return {
      line: lineNumber,
      reason: 'not a header, entry, checkpoint or end line of a Cellway ledger export',
    };
  }

  /** The verdict once the last line has been read and every record has been checked. */
  finish(): ExportVerification {
    if (this.deferredProblem) return { ok: false, firstError: this.deferredProblem };
    const header = this.#header;
    if (header === null) return { ok: false, firstError: { reason: 'the file is empty' } };
    if (!this.#ended) {
      return {
        ok: false,
        firstError: {
          line: this.#lineNumber,
          reason: 'the file ends without its end line: it was truncated',
        },
      };
    }
    return {
      ok: true,
      entries: this.#entries,
      streams: this.#heads.size,
      checkpoints: this.#checkpoints,
      uncheckpointed: this.#entries - (this.#lastCheckpoint?.treeSize ?? 0),
      origin: header.origin,
      keyId: header.keyId,
      lastCheckpoint: this.#lastCheckpoint,
    };
  }

  /** Reported by the LeafChecks: the entry on `line` does not hash to the hash written beside it. */
  hashMismatch(line: number, payload: Uint8Array): void {
    this.#defer(
      describeEntry(
        { line, reason: 'hash does not match its content' },
        Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8'),
      ),
    );
  }

  /** Keeps the failure on the earliest line: reports from the two threads can arrive out of order. */
  #defer(problem: ExportProblem): void {
    const current = this.deferredProblem;
    if (
      current === null ||
      (problem.line ?? Number.POSITIVE_INFINITY) < (current.line ?? Number.POSITIVE_INFINITY)
    ) {
      this.deferredProblem = problem;
    }
  }

  /** Compares the root over the entries so far with `expected`, now or once the LeafChecks get there. */
  #expectRoot(expected: string, problem: ExportProblem): void {
    this.#checks.requestRoot(this.#lineNumber, (actual) => {
      // null means an entry hash failed first, and that failure has already been recorded.
      if (actual !== null && actual !== expected) this.#defer(problem);
    });
  }

  #headerLine(text: string): ExportProblem | null {
    const problem = (reason: string): ExportProblem => ({ line: 1, reason });
    const value = parseCanonical(text);
    if (!hasExactly(value, HEADER_KEYS) || value.format !== EXPORT_FORMAT) {
      return problem('not a Cellway ledger export (the first line is not its header)');
    }
    if (value.version !== EXPORT_VERSION)
      return problem(`export format version ${value.version} is not supported`);
    const { origin, publicKeyPem, keyId, exportedAt, entryFields } = value;
    if (
      !Array.isArray(entryFields) ||
      entryFields.length !== ENTRY_PAYLOAD_FIELDS.length ||
      entryFields.some((field, index) => field !== ENTRY_PAYLOAD_FIELDS[index])
    ) {
      return problem('header lists entry fields this verifier does not know');
    }
    if (typeof origin !== 'string' || !/^cellway-ledger\/[\x21-\x7e]+$/.test(origin)) {
      return problem('header origin must be cellway-ledger/<installation id>');
    }
    if (typeof exportedAt !== 'string' || !isIsoMillisUtc(exportedAt)) {
      return problem('header exportedAt is not an ISO-8601 UTC time');
    }
    if (typeof publicKeyPem !== 'string') return problem('header has no public key');
    try {
      if (canonicalPublicKeyPem(publicKeyPem) !== publicKeyPem) {
        return problem('header public key is not in canonical PEM form: it was altered');
      }
    } catch (error) {
      return problem(`header public key is unusable: ${(error as Error).message}`);
    }
    if (keyId !== keyIdOf(publicKeyPem)) return problem('header keyId is not the id of its public key');
    const trusted = this.#options.trustedPublicKeyPem;
    if (trusted !== undefined && keyIdOf(trusted) !== keyId) {
      return problem(
        `export is signed with key ${keyId}, not with the trusted installation key ${keyIdOf(trusted)}`,
      );
    }
    this.#header = value as ExportHeader;
    this.#headerSha256 = sha256Hex(Buffer.from(text, 'utf8'));
    return this.#prepareKnownCheckpoints(origin);
  }

  #prepareKnownCheckpoints(origin: string): ExportProblem | null {
    const known = [...(this.#options.knownCheckpoints ?? [])].sort((a, b) => a.treeSize - b.treeSize);
    for (const checkpoint of known) {
      const problems = checkpointBodyProblems(checkpoint);
      if (problems.length > 0) return { reason: `a known checkpoint is malformed: ${problems.join('; ')}` };
      if (checkpoint.origin !== origin) {
        return {
          reason: `a known checkpoint belongs to ${checkpoint.origin}, not to this export's ${origin}`,
        };
      }
    }
    this.#known = known;
    this.#nextKnownSize = known[0]?.treeSize ?? -1;
    this.#compareKnown();
    return null;
  }

  /** Called whenever the entry count reaches the size of the next known checkpoint. */
  #compareKnown(): void {
    while (this.#nextKnownSize === this.#entries) {
      const checkpoint = this.#known[this.#nextKnown] as Checkpoint;
      this.#expectRoot(checkpoint.rootHash, {
        line: this.#lineNumber,
        reason:
          `the first ${checkpoint.treeSize} entries do not reproduce the known checkpoint ` +
          `issued ${checkpoint.issuedAt}: the ledger was rewritten since`,
      });
      this.#nextKnown++;
      this.#nextKnownSize = this.#known[this.#nextKnown]?.treeSize ?? -1;
    }
  }

  #entryLine(buffer: Buffer, bytes: Uint8Array, start: number, end: number): ExportProblem | null {
    const payloadStart = start + PAYLOAD_AT;
    const payloadEnd = end - TAIL_LENGTH;
    if (
      bytes[payloadEnd - 1] !== 0x5d ||
      !rangeEquals(this.#view, payloadEnd, HASH_TAIL_VIEW, 0, HASH_TAIL.length) ||
      bytes[end - 2] !== QUOTE ||
      bytes[end - 1] !== 0x7d
    ) {
      return this.#entryProblem(buffer, start, end, 'entry line is malformed');
    }
    const layoutProblem = this.#readChainFields(bytes, start, payloadEnd);
    if (layoutProblem !== null) return this.#entryProblem(buffer, start, end, layoutProblem);
    const seq = this.#seq;
    const streamAt = start + STREAM_AT;
    const prevAt = start + PREV_HASH_AT;
    // Chains are checked with the hashes as written, byte for byte as they sit in the file; the
    // LeafChecks recompute every one of them from its payload, so a written hash that links but
    // does not match its entry still fails.
    const hashAt = payloadEnd + HASH_TAIL.length;
    const heads = this.#heads;
    const view = this.#view;
    let stream = heads.find(view, streamAt, this.#streamEnd, this.#streamKey);
    if (stream === -1) {
      if (seq !== 1) {
        return this.#entryProblem(
          buffer,
          start,
          end,
          `stream starts at seq ${seq}: seq 1 to ${seq - 1} missing`,
        );
      }
      if (!rangeEquals(view, prevAt, GENESIS_VIEW, 0, 64)) {
        return this.#entryProblem(buffer, start, end, 'prev_hash of seq 1 is not all zeros');
      }
      const name = streamName(buffer, streamAt, this.#streamEnd, this.#streamEscaped);
      if (name === null) return this.#entryProblem(buffer, start, end, 'entry payload is not valid JSON');
      stream = heads.add(view, streamAt, this.#streamEnd, this.#streamKey, name);
    } else {
      const last = heads.seq(stream);
      if (seq !== last + 1) return this.#entryProblem(buffer, start, end, seqReason(seq, last));
      if (!heads.linksTo(stream, view, prevAt)) {
        return this.#entryProblem(buffer, start, end, `prev_hash does not link to seq ${last}`);
      }
    }
    heads.advance(stream, seq, view, hashAt);
    this.#checks.entry(payloadStart, payloadEnd, hashAt, this.#lineNumber);
    this.#entries++;
    if (this.#entries === this.#nextKnownSize) this.#compareKnown();
    return null;
  }

  /**
   * Reads stream and seq from their fixed place in the payload,
   * `["cellway-ledger-v1","<prev hash>","<stream>",<seq>,`, into #streamEnd, #streamKey,
   * #streamEscaped and #seq (fields rather than a returned object: this runs for every entry).
   * Accepts exactly what JSON.stringify writes for a 64-digit hash, a string and a whole number;
   * returns the reason when the payload is laid out any other way.
   */
  #readChainFields(bytes: Uint8Array, start: number, payloadEnd: number): string | null {
    const streamAt = start + STREAM_AT;
    if (bytes[streamAt - 3] !== QUOTE || bytes[streamAt - 2] !== COMMA || bytes[streamAt - 1] !== QUOTE) {
      return this.#layoutReason(bytes, start, payloadEnd);
    }
    let key = fnvStart();
    let escaped = false;
    let at = streamAt;
    for (; at < payloadEnd; at++) {
      const byte = bytes[at] as number;
      if (byte === QUOTE) break;
      // A raw control character cannot occur in a JSON string.
      if (byte < 0x20) return this.#layoutReason(bytes, start, payloadEnd);
      key = fnvStep(key, byte);
      if (byte === BACKSLASH) {
        // The escaped character (for \uXXXX, the 'u') cannot end the string: take it with the backslash.
        escaped = true;
        at++;
        key = fnvStep(key, bytes[at] as number);
      }
    }
    if (bytes[at] !== QUOTE || bytes[at + 1] !== COMMA || bytes[at + 2] === ZERO_DIGIT) {
      return this.#layoutReason(bytes, start, payloadEnd);
    }
    let seq = 0;
    let digit = at + 2;
    // At most 15 digits: every such number is a safe integer.
    for (; digit < payloadEnd && digit - at - 2 < 15; digit++) {
      const byte = bytes[digit] as number;
      if (byte < 0x30 || byte > 0x39) break;
      seq = seq * 10 + (byte - 0x30);
    }
    if (digit === at + 2 || bytes[digit] !== COMMA) return this.#layoutReason(bytes, start, payloadEnd);
    this.#streamEnd = at;
    this.#streamKey = key;
    this.#streamEscaped = escaped;
    this.#seq = seq;
    return null;
  }

  /** Why a payload is not in the layout entryPayload writes; only runs on the way out. */
  #layoutReason(bytes: Uint8Array, start: number, payloadEnd: number): string {
    const text = Buffer.from(
      bytes.buffer,
      bytes.byteOffset + start + PAYLOAD_AT,
      payloadEnd - start - PAYLOAD_AT,
    );
    return payloadProblem(text.toString('utf8')) ?? 'entry payload is not in the canonical layout';
  }

  #entryProblem(buffer: Buffer, start: number, end: number, reason: string): ExportProblem {
    const problem: ExportProblem = { line: this.#lineNumber, reason };
    const payloadEnd = end - TAIL_LENGTH;
    if (payloadEnd <= start + PAYLOAD_AT) return problem;
    return describeEntry(problem, buffer.toString('utf8', start + PAYLOAD_AT, payloadEnd));
  }

  #checkpointLine(text: string): ExportProblem | null {
    const problem = (reason: string): ExportProblem => ({ line: this.#lineNumber, reason });
    const header = this.#header as ExportHeader;
    const value = parseCanonical(text);
    if (!hasExactly(value, ['checkpoint']) || !hasExactly(value.checkpoint, CHECKPOINT_KEYS)) {
      return problem('checkpoint line is malformed or not in canonical form');
    }
    const checkpoint = value.checkpoint as Checkpoint;
    const bodyProblems = checkpointBodyProblems(checkpoint);
    if (bodyProblems.length > 0) return problem(`checkpoint is malformed: ${bodyProblems.join('; ')}`);
    const label = `checkpoint at tree size ${checkpoint.treeSize}`;
    if (checkpoint.origin !== header.origin) return problem(`${label} belongs to ${checkpoint.origin}`);
    const signature = verifyCheckpoint(checkpoint, header.publicKeyPem);
    if (!signature.ok) return problem(`${label}: ${signature.reason}`);
    const previous = this.#lastCheckpoint;
    if (previous !== null && checkpoint.treeSize <= previous.treeSize) {
      return problem(`${label} does not extend the previous checkpoint at tree size ${previous.treeSize}`);
    }
    if (checkpoint.treeSize !== this.#entries) {
      return problem(
        `${label} appears after ${this.#entries} entries: entry lines were removed, added or moved`,
      );
    }
    // This root and the previous checkpoint's are both recomputed from the same leaves in one pass, so
    // when both match, the previous tree is a prefix of this one: that is the consistency check.
    this.#expectRoot(
      checkpoint.rootHash,
      problem(
        `${label}: root does not match the entries before it (an entry was changed, removed, added or reordered)`,
      ),
    );
    this.#checkpoints++;
    this.#lastCheckpoint = checkpoint;
    return null;
  }

  #endLine(text: string): ExportProblem | null {
    const problem = (reason: string): ExportProblem => ({ line: this.#lineNumber, reason });
    const value = parseCanonical(text);
    if (!hasExactly(value, ['end']) || !hasExactly(value.end, END_KEYS)) {
      return problem('end line is malformed or not in canonical form');
    }
    const end = value.end;
    this.#ended = true;
    if (end.entries !== this.#entries) {
      return problem(`end line counts ${end.entries} entries, the file holds ${this.#entries}`);
    }
    if (end.checkpoints !== this.#checkpoints) {
      return problem(`end line counts ${end.checkpoints} checkpoints, the file holds ${this.#checkpoints}`);
    }
    if (end.headerSha256 !== this.#headerSha256)
      return problem('the header was altered (its digest differs)');
    const known = this.#known[this.#nextKnown];
    if (known !== undefined) {
      return problem(
        `export holds ${this.#entries} entries but a known checkpoint covers ${known.treeSize}: ` +
          'the ledger was truncated or this export is partial',
      );
    }
    if (typeof end.rootHash !== 'string') return problem('end line has no root hash');
    this.#expectRoot(
      end.rootHash,
      problem('entries after the last checkpoint were changed, removed or reordered (the root differs)'),
    );
    return null;
  }
}

/** Adds the entry's id, stream and seq to a problem, as far as its payload can be read. */
function describeEntry(problem: ExportProblem, payloadText: string): ExportProblem {
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return problem;
  }
  if (!Array.isArray(payload)) return problem;
  const [, , stream, seq, id] = payload as unknown[];
  if (typeof id === 'string') problem.entryId = id;
  if (typeof stream === 'string') problem.stream = stream;
  if (typeof seq === 'number') problem.seq = seq;
  return problem;
}

/** What is wrong with a payload as JSON, or null if nothing is (it may still be laid out oddly). */
function payloadProblem(text: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'entry payload is not valid JSON';
  }
  if (!Array.isArray(value) || value.length !== ENTRY_PAYLOAD_FIELDS.length) {
    return `entry payload must be an array of ${ENTRY_PAYLOAD_FIELDS.length} fields`;
  }
  const [version, prevHash, stream, seq] = value as unknown[];
  if (version !== ENTRY_PAYLOAD_VERSION) return `entry payload version ${String(version)} is not supported`;
  if (typeof prevHash !== 'string' || !HEX_HASH.test(prevHash))
    return 'prev_hash is not 64 lower-case hex digits';
  if (typeof stream !== 'string') return 'stream is not a string';
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1)
    return 'seq is not a whole number from 1';
  return null;
}

/** A stream's name from its bytes in the line; null if its escapes are not valid JSON. */
function streamName(buffer: Buffer, from: number, to: number, escaped: boolean): string | null {
  const raw = buffer.toString('utf8', from, to);
  if (!escaped) return raw;
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return null;
  }
}

/** Verifies an export file; throws only if the file cannot be read. */
export async function verifyExportFile(
  path: string,
  options: VerifyExportOptions = {},
): Promise<ExportVerification> {
  const file = await open(path, 'r');
  let checks: LeafChecks | undefined;
  try {
    const totalBytes = (await file.stat()).size;
    const inWorker = options.hashInWorker ?? (totalBytes >= WORKER_FROM_BYTES && availableParallelism() > 1);
    const verifier = new ExportVerifier(options, (v) => {
      const onMismatch = (line: number, payload: Uint8Array) => v.hashMismatch(line, payload);
      checks = inWorker ? workerLeafChecks(onMismatch) : inThreadLeafChecks(onMismatch);
      return checks;
    });
    const leafChecks = verifier.checks;
    // Everything recorded so far is checked before a verdict, so an earlier failing line wins.
    const verdict = async (problem: ExportProblem | null): Promise<ExportVerification> => {
      await leafChecks.settled();
      if (verifier.deferredProblem) return { ok: false, firstError: verifier.deferredProblem };
      return problem ? { ok: false, firstError: problem } : verifier.finish();
    };
    let buffer: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    let filled = 0;
    let bytesRead = 0;
    for (;;) {
      const { bytesRead: read } = await file.read(buffer, filled, buffer.length - filled, null);
      if (read === 0) break;
      filled += read;
      bytesRead += read;
      const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
      let consumed = 0;
      for (;;) {
        const newline = buffer.indexOf(NEWLINE, consumed);
        if (newline === -1 || newline >= filled) break;
        const problem = verifier.line(buffer, bytes, consumed, newline);
        if (problem) {
          leafChecks.handOver(bytes);
          return await verdict(problem);
        }
        consumed = newline + 1;
      }
      // The unfinished last line moves to the front of the next chunk; a line longer than a chunk
      // makes the next chunk larger.
      const rest = filled - consumed;
      if (rest === buffer.length && rest >= MAX_LINE_BYTES) {
        leafChecks.handOver(bytes);
        return await verdict({ reason: `a line is longer than ${MAX_LINE_BYTES} bytes` });
      }
      const size = rest === buffer.length ? buffer.length * 2 : CHUNK_BYTES;
      const next =
        leafChecks.takesChunks || size !== buffer.length
          ? (leafChecks.spareChunk(size) ?? Buffer.allocUnsafe(size))
          : buffer;
      if (next === buffer) {
        // Same buffer: the records point into it, so they are checked before the rest moves down.
        leafChecks.handOver(bytes);
        buffer.copy(buffer, 0, consumed, filled);
      } else {
        // A new buffer: the rest is copied out before the chunk is handed over (and maybe transferred).
        buffer.copy(next, 0, consumed, filled);
        leafChecks.handOver(bytes);
      }
      buffer = next;
      filled = rest;
      if (verifier.deferredProblem) return await verdict(null);
      options.onProgress?.({ bytesRead, totalBytes, entries: verifier.entries });
    }
    if (filled > 0)
      return await verdict({ reason: 'the last line has no newline: the file was truncated or altered' });
    return await verdict(null);
  } finally {
    await checks?.close();
    await file.close();
  }
}

/** Verifies an export held in memory (an upload, a test), in this thread. */
export function verifyExportBytes(data: Uint8Array, options: VerifyExportOptions = {}): ExportVerification {
  // A private copy: hashing briefly writes into the buffer (see leaf-checks.ts).
  const buffer = Buffer.from(data);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  const verifier = new ExportVerifier(options, (v) =>
    inThreadLeafChecks((line, payload) => v.hashMismatch(line, payload)),
  );
  // In this thread handOver checks everything at once, so deferredProblem is current right after it.
  const verdict = (problem: ExportProblem | null): ExportVerification => {
    verifier.checks.handOver(bytes);
    if (verifier.deferredProblem) return { ok: false, firstError: verifier.deferredProblem };
    return problem ? { ok: false, firstError: problem } : verifier.finish();
  };
  let consumed = 0;
  for (;;) {
    const newline = buffer.indexOf(NEWLINE, consumed);
    if (newline === -1) break;
    const problem = verifier.line(buffer, bytes, consumed, newline);
    if (problem) return verdict(problem);
    consumed = newline + 1;
  }
  if (consumed < buffer.length) {
    return verdict({ reason: 'the last line has no newline: the file was truncated or altered' });
  }
  return verdict(null);
}

/**
 * Which kind of ledger file this is, from its first line: a whole-ledger export (this file) or a
 * proof bundle of a few streams, such as a case's inspection dossier (proof-bundle.ts).
 */
export async function ledgerFileFormat(path: string): Promise<'export' | 'proof-bundle'> {
  const file = await open(path, 'r');
  try {
    const head = Buffer.alloc(1 << 20);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const text = head.toString('utf8', 0, bytesRead);
    const newline = text.indexOf('\n');
    return looksLikeProofBundle(newline === -1 ? text : text.slice(0, newline)) ? 'proof-bundle' : 'export';
  } finally {
    await file.close();
  }
}
