import crypto from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';
import { seqReason } from './chain-verify.ts';
import {
  type Checkpoint,
  canonicalPublicKeyPem,
  checkpointBodyProblems,
  keyIdOf,
  verifyCheckpoint,
} from './checkpoint.ts';
import { ENTRY_PAYLOAD_FIELDS, entryFromPayload, entryHashHex, entryPayloadText } from './entry-hash.ts';
import { GENESIS_PREV_HASH, HEX_HASH, isIsoMillisUtc, type LedgerEntry } from './ledger-entry.ts';
import { verifyInclusion } from './merkle-tree.ts';
import { sha256Hex } from './sha256.ts';

/**
 * A ledger proof bundle: a few complete streams of the ledger (for example everything about one
 * case) that an inspector can verify offline without the rest of the ledger. NDJSON, UTF-8, every
 * line canonical JSON ending in \n:
 *
 *   1. header      {"entryFields":[…],"format":"cellway-ledger-proofs","generatedAt":"…","keyId":"…",
 *                   "origin":"…","publicKeyPem":"…","streams":[{"entries":n,"headHash":"…","name":"…"}],
 *                   "subject":{"title":"…",…},"version":1}
 *   2. checkpoint  {"checkpoint":{…}}  the signed tree head every entry is proven against
 *   3. entries     {"entry":<payload>,"hash":"…","leafIndex":i,"proof":["…",…]}
 *                  stream by stream in header order, each stream complete from seq 1
 *   4. end         {"end":{"bodySha256":"…","entries":n,"keyId":"…","signature":"…"}}
 *
 * What each part proves: an entry's hash is recomputed from its payload; its RFC 9162 inclusion
 * proof ties it to the root the installation signed, so no entry can be invented or altered; the
 * hash chains and the per-stream counts and head hashes show nothing was dropped inside a stream.
 * Inclusion proofs cannot show that a stream has no later entries, so the installation also signs
 * the SHA-256 of every byte before the end line: a stream cut short, a line removed, or any byte
 * changed (whitespace included) fails verification without the private key to re-sign it.
 */
export const PROOF_BUNDLE_FORMAT = 'cellway-ledger-proofs';
export const PROOF_BUNDLE_VERSION = 1;

/** Domain-separated from checkpoint texts (which start with the origin "cellway-ledger/…"). */
const SIGNED_PREFIX = 'cellway-ledger-proofs-signature/v1\n';

export type ProofBundleSubject = { title: string } & Record<string, unknown>;

export type ProofBundleStream = { name: string; entries: number; headHash: string };

export type EntryProof = { leafIndex: number; proof: string[] };

export type ProofBundleSource = {
  origin: string;
  publicKeyPem: string;
  /** Signs the bundle's digest; must be the private half of publicKeyPem. */
  privateKeyPem: string;
  generatedAt: string;
  /** What the bundle is about; `title` is shown by the verifier. Canonical-JSON-able. */
  subject: ProofBundleSubject;
  /** Stream names, in the order the bundle lists them. */
  streams: string[];
  /** Every entry of those streams, from seq 1 (any order). */
  entries: readonly LedgerEntry[];
  checkpoint: Checkpoint;
  /** By entry id. */
  proofs: ReadonlyMap<string, EntryProof>;
};

export class ProofBundleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProofBundleError';
  }
}

function signedText(bodySha256: string): string {
  return `${SIGNED_PREFIX}${bodySha256}\n`;
}

function entryLineText(entry: LedgerEntry, leafIndex: number, proof: readonly string[]): string {
  return `{"entry":${entryPayloadText(entry)},"hash":"${entry.hash}","leafIndex":${leafIndex},"proof":${JSON.stringify(proof)}}`;
}

/** Orders the entries stream by stream and checks they are complete, linked and proven. */
function orderedStreams(source: ProofBundleSource): { streams: ProofBundleStream[]; lines: string[] } {
  const byStream = new Map<string, LedgerEntry[]>(source.streams.map((name) => [name, []]));
  if (byStream.size !== source.streams.length) throw new ProofBundleError('a stream is listed twice');
  for (const entry of source.entries) {
    const list = byStream.get(entry.stream);
    if (!list) throw new ProofBundleError(`entry ${entry.id} belongs to unlisted stream ${entry.stream}`);
    list.push(entry);
  }
  const streams: ProofBundleStream[] = [];
  const lines: string[] = [];
  for (const [name, entries] of byStream) {
    entries.sort((a, b) => a.seq - b.seq);
    let head = GENESIS_PREV_HASH;
    entries.forEach((entry, index) => {
      if (entry.seq !== index + 1)
        throw new ProofBundleError(`stream ${name}: ${seqReason(entry.seq, index)}`);
      if (entry.prevHash !== head)
        throw new ProofBundleError(`stream ${name}: seq ${entry.seq} does not link`);
      if (entryHashHex(entry) !== entry.hash)
        throw new ProofBundleError(`entry ${entry.id} does not match its hash`);
      const proof = source.proofs.get(entry.id);
      if (!proof) throw new ProofBundleError(`entry ${entry.id} has no inclusion proof`);
      if (!proves(entry.hash, proof, source.checkpoint)) {
        throw new ProofBundleError(`entry ${entry.id}: inclusion proof does not lead to the checkpoint root`);
      }
      lines.push(entryLineText(entry, proof.leafIndex, proof.proof));
      head = entry.hash;
    });
    streams.push({ name, entries: entries.length, headHash: head });
  }
  return { streams, lines };
}

function proves(hash: string, proof: EntryProof, checkpoint: Checkpoint): boolean {
  return verifyInclusion(
    Buffer.from(hash, 'hex'),
    proof.leafIndex,
    checkpoint.treeSize,
    proof.proof.map((node) => Buffer.from(node, 'hex')),
    Buffer.from(checkpoint.rootHash, 'hex'),
  );
}

/**
 * The bundle's text. Pure: the same source gives the same bytes (Ed25519 signatures are
 * deterministic). Throws ProofBundleError rather than write a bundle that would not verify.
 */
export function buildProofBundle(source: ProofBundleSource): string {
  const publicKeyPem = canonicalPublicKeyPem(source.publicKeyPem);
  const keyId = keyIdOf(publicKeyPem);
  const privateKey = crypto.createPrivateKey(source.privateKeyPem);
  if (
    keyIdOf(crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString()) !== keyId
  ) {
    throw new ProofBundleError('the signing key is not the key the bundle names');
  }
  const checkpoint = source.checkpoint;
  if (checkpoint.origin !== source.origin)
    throw new ProofBundleError(`the checkpoint belongs to ${checkpoint.origin}`);
  const signatureCheck = verifyCheckpoint(checkpoint, publicKeyPem);
  if (!signatureCheck.ok) throw new ProofBundleError(`checkpoint: ${signatureCheck.reason}`);
  if (typeof source.subject?.title !== 'string' || source.subject.title.length === 0) {
    throw new ProofBundleError('the subject needs a title');
  }
  const { streams, lines } = orderedStreams(source);
  const header = canonicalJson({
    entryFields: [...ENTRY_PAYLOAD_FIELDS],
    format: PROOF_BUNDLE_FORMAT,
    generatedAt: source.generatedAt,
    keyId,
    origin: source.origin,
    publicKeyPem,
    streams,
    subject: source.subject,
    version: PROOF_BUNDLE_VERSION,
  });
  const { issuedAt, origin, rootHash, signature, treeSize } = checkpoint;
  const checkpointLine = canonicalJson({
    checkpoint: { issuedAt, keyId: checkpoint.keyId, origin, rootHash, signature, treeSize },
  });
  const body = `${[header, checkpointLine, ...lines].join('\n')}\n`;
  const bodySha256 = sha256Hex(Buffer.from(body, 'utf8'));
  const bundleSignature = crypto
    .sign(null, Buffer.from(signedText(bodySha256), 'utf8'), privateKey)
    .toString('base64');
  const end = canonicalJson({
    end: { bodySha256, entries: lines.length, keyId, signature: bundleSignature },
  });
  return `${body}${end}\n`;
}

export type ProofBundleProblem = {
  /** 1-based line of the file. */
  line?: number;
  entryId?: string;
  stream?: string;
  seq?: number;
  reason: string;
};

export type ProofBundleVerification =
  | {
      ok: true;
      subject: ProofBundleSubject;
      entries: number;
      streams: ProofBundleStream[];
      checkpoint: Checkpoint;
      keyId: string;
      origin: string;
    }
  | { ok: false; firstError: ProofBundleProblem };

/** True when the first line of a file is a proof bundle header (cheap: the CLI picks its verifier by it). */
export function looksLikeProofBundle(firstLine: string): boolean {
  return firstLine.startsWith('{') && firstLine.includes(`"format":"${PROOF_BUNDLE_FORMAT}"`);
}

const HEADER_KEYS = [
  'entryFields',
  'format',
  'generatedAt',
  'keyId',
  'origin',
  'publicKeyPem',
  'streams',
  'subject',
  'version',
];
const CHECKPOINT_KEYS = ['issuedAt', 'keyId', 'origin', 'rootHash', 'signature', 'treeSize'];
const ENTRY_KEYS = ['entry', 'hash', 'leafIndex', 'proof'];
const END_KEYS = ['bodySha256', 'entries', 'keyId', 'signature'];

function hasExactly(value: unknown, keys: readonly string[]): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const actual = Object.keys(value).sort();
  return actual.length === keys.length && actual.every((key, index) => key === keys[index]);
}

/** A line that must be canonical JSON: undefined when it is not JSON or any byte of it is slack. */
function parseCanonical(text: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return canonicalJson(value) === text ? value : undefined;
  } catch {
    return undefined;
  }
}

function isStreamList(value: unknown): value is ProofBundleStream[] {
  return (
    Array.isArray(value) &&
    value.every(
      (stream) =>
        hasExactly(stream, ['entries', 'headHash', 'name']) &&
        typeof stream.name === 'string' &&
        stream.name.length > 0 &&
        Number.isSafeInteger(stream.entries) &&
        (stream.entries as number) >= 0 &&
        typeof stream.headHash === 'string' &&
        HEX_HASH.test(stream.headHash),
    )
  );
}

/**
 * Verifies a bundle with nothing but its bytes (and, if given, the installation key the inspector
 * already trusts). Reports the first problem in file order.
 */
export function verifyProofBundle(
  data: Uint8Array,
  options: { trustedPublicKeyPem?: string } = {},
): ProofBundleVerification {
  const fail = (problem: ProofBundleProblem): ProofBundleVerification => ({ ok: false, firstError: problem });
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const text = bytes.toString('utf8');
  // Invalid UTF-8 decodes to U+FFFD and would re-encode differently: the bytes are not what was signed.
  if (!Buffer.from(text, 'utf8').equals(bytes))
    return fail({ reason: 'the file is not valid UTF-8: it was altered' });
  if (text.length === 0) return fail({ reason: 'the file is empty' });
  if (!text.endsWith('\n'))
    return fail({ reason: 'the last line has no newline: the file was truncated or altered' });
  const lines = text.slice(0, -1).split('\n');

  const header = parseCanonical(lines[0] ?? '');
  if (!hasExactly(header, HEADER_KEYS) || header.format !== PROOF_BUNDLE_FORMAT) {
    return fail({
      line: 1,
      reason: 'not a Cellway ledger proof bundle (the first line is not its header, or was altered)',
    });
  }
  if (header.version !== PROOF_BUNDLE_VERSION) {
    return fail({ line: 1, reason: `proof bundle version ${String(header.version)} is not supported` });
  }
  const entryFields = header.entryFields;
  if (
    !Array.isArray(entryFields) ||
    entryFields.length !== ENTRY_PAYLOAD_FIELDS.length ||
    entryFields.some((field, index) => field !== ENTRY_PAYLOAD_FIELDS[index])
  ) {
    return fail({ line: 1, reason: 'header lists entry fields this verifier does not know' });
  }
  const { origin, publicKeyPem, keyId, generatedAt, streams, subject } = header;
  if (typeof generatedAt !== 'string' || !isIsoMillisUtc(generatedAt)) {
    return fail({ line: 1, reason: 'header generatedAt is not an ISO-8601 UTC time' });
  }
  if (typeof origin !== 'string' || !/^cellway-ledger\/[\x21-\x7e]+$/.test(origin)) {
    return fail({ line: 1, reason: 'header origin must be cellway-ledger/<installation id>' });
  }
  if (
    typeof subject !== 'object' ||
    subject === null ||
    Array.isArray(subject) ||
    typeof (subject as { title?: unknown }).title !== 'string'
  ) {
    return fail({ line: 1, reason: 'header subject has no title' });
  }
  if (!isStreamList(streams) || new Set(streams.map((s) => s.name)).size !== streams.length) {
    return fail({ line: 1, reason: 'header streams are malformed' });
  }
  if (typeof publicKeyPem !== 'string') return fail({ line: 1, reason: 'header has no public key' });
  try {
    if (canonicalPublicKeyPem(publicKeyPem) !== publicKeyPem) {
      return fail({ line: 1, reason: 'header public key is not in canonical PEM form: it was altered' });
    }
  } catch (error) {
    return fail({ line: 1, reason: `header public key is unusable: ${(error as Error).message}` });
  }
  if (keyId !== keyIdOf(publicKeyPem))
    return fail({ line: 1, reason: 'header keyId is not the id of its public key' });
  const trusted = options.trustedPublicKeyPem;
  if (trusted !== undefined) {
    let trustedId: string;
    try {
      trustedId = keyIdOf(trusted);
    } catch (error) {
      return fail({ reason: `the trusted public key is unusable: ${(error as Error).message}` });
    }
    if (trustedId !== keyId) {
      return fail({
        line: 1,
        reason: `bundle is signed with key ${keyId}, not with the trusted installation key ${trustedId}`,
      });
    }
  }

  const checkpointValue = parseCanonical(lines[1] ?? '');
  if (
    !hasExactly(checkpointValue, ['checkpoint']) ||
    !hasExactly(checkpointValue.checkpoint, CHECKPOINT_KEYS)
  ) {
    return fail({ line: 2, reason: 'checkpoint line is missing, malformed or not in canonical form' });
  }
  const checkpoint = checkpointValue.checkpoint as Checkpoint;
  const bodyProblems = checkpointBodyProblems(checkpoint);
  if (bodyProblems.length > 0)
    return fail({ line: 2, reason: `checkpoint is malformed: ${bodyProblems.join('; ')}` });
  if (checkpoint.origin !== origin)
    return fail({ line: 2, reason: `checkpoint belongs to ${checkpoint.origin}` });
  const signature = verifyCheckpoint(checkpoint, publicKeyPem);
  if (!signature.ok)
    return fail({ line: 2, reason: `checkpoint at tree size ${checkpoint.treeSize}: ${signature.reason}` });
  const root = Buffer.from(checkpoint.rootHash, 'hex');

  const expectedEntries = streams.reduce((sum, stream) => sum + stream.entries, 0);
  const endAt = 2 + expectedEntries;
  if (lines.length !== endAt + 1) {
    return fail({
      line: Math.min(lines.length, endAt + 1),
      reason: `the header lists ${expectedEntries} entries but the file has ${Math.max(0, lines.length - 3)} entry lines: lines were removed or added`,
    });
  }
  const leafIndexes = new Set<number>();
  let lineIndex = 2;
  for (const stream of streams) {
    let head = GENESIS_PREV_HASH;
    for (let seq = 1; seq <= stream.entries; seq++, lineIndex++) {
      const lineNumber = lineIndex + 1;
      const lineText = lines[lineIndex] as string;
      const problem = (reason: string, entry?: LedgerEntry): ProofBundleVerification =>
        fail({
          line: lineNumber,
          reason,
          ...(entry ? { entryId: entry.id, stream: entry.stream, seq: entry.seq } : {}),
        });
      let value: unknown;
      try {
        value = JSON.parse(lineText);
      } catch {
        return problem('entry line is not JSON');
      }
      if (!hasExactly(value, ENTRY_KEYS)) return problem('entry line is malformed');
      const { hash, leafIndex, proof } = value;
      let unhashed: Omit<LedgerEntry, 'hash'>;
      try {
        unhashed = entryFromPayload(value.entry);
      } catch (error) {
        return problem(`entry payload is malformed: ${(error as Error).message}`);
      }
      if (typeof hash !== 'string' || !HEX_HASH.test(hash))
        return problem('entry hash is not 64 lower-case hex digits');
      const entry: LedgerEntry = { ...unhashed, hash };
      if (
        !Number.isSafeInteger(leafIndex) ||
        !Array.isArray(proof) ||
        !proof.every((node) => typeof node === 'string' && HEX_HASH.test(node))
      ) {
        return problem('entry leafIndex or proof is malformed', entry);
      }
      if (entryLineText(entry, leafIndex as number, proof as string[]) !== lineText) {
        return problem('entry line is not in canonical form: it was altered', entry);
      }
      if (entryHashHex(entry) !== hash) return problem('hash does not match its content', entry);
      if (entry.stream !== stream.name) {
        return problem(
          `expected seq ${seq} of stream ${stream.name} here: entries were removed, added or moved`,
          entry,
        );
      }
      if (entry.seq !== seq) return problem(seqReason(entry.seq, seq - 1), entry);
      if (entry.prevHash !== head) return problem(`prev_hash does not link to seq ${seq - 1}`, entry);
      if (leafIndexes.has(leafIndex as number)) return problem('two entries claim the same leaf', entry);
      leafIndexes.add(leafIndex as number);
      const included = verifyInclusion(
        Buffer.from(hash, 'hex'),
        leafIndex as number,
        checkpoint.treeSize,
        (proof as string[]).map((node) => Buffer.from(node, 'hex')),
        root,
      );
      if (!included) {
        return problem(
          `inclusion proof does not lead to the signed root at tree size ${checkpoint.treeSize}`,
          entry,
        );
      }
      head = hash;
    }
    if (head !== stream.headHash) {
      return fail({
        line: lineIndex,
        stream: stream.name,
        reason: `stream ${stream.name} does not end at the head the header names: entries were dropped or changed`,
      });
    }
  }

  const endValue = parseCanonical(lines[endAt] ?? '');
  if (!hasExactly(endValue, ['end']) || !hasExactly(endValue.end, END_KEYS)) {
    return fail({ line: endAt + 1, reason: 'end line is missing, malformed or not in canonical form' });
  }
  const end = endValue.end;
  if (end.entries !== expectedEntries) {
    return fail({
      line: endAt + 1,
      reason: `end line counts ${String(end.entries)} entries, the file holds ${expectedEntries}`,
    });
  }
  if (end.keyId !== keyId) return fail({ line: endAt + 1, reason: 'end line names another key' });
  const bodyLength = Buffer.byteLength(lines.slice(0, endAt).join('\n'), 'utf8') + 1;
  const bodySha256 = sha256Hex(bytes.subarray(0, bodyLength));
  if (end.bodySha256 !== bodySha256) {
    return fail({ line: endAt + 1, reason: 'the file was altered: its digest differs from the signed one' });
  }
  const bundleSignature =
    typeof end.signature === 'string' ? Buffer.from(end.signature, 'base64') : Buffer.alloc(0);
  if (
    typeof end.signature !== 'string' ||
    bundleSignature.toString('base64') !== end.signature ||
    bundleSignature.length !== 64
  ) {
    return fail({ line: endAt + 1, reason: 'bundle signature is not 64 bytes of canonical base64' });
  }
  const signedOk = crypto.verify(
    null,
    Buffer.from(signedText(bodySha256), 'utf8'),
    crypto.createPublicKey(publicKeyPem),
    bundleSignature,
  );
  if (!signedOk)
    return fail({ line: endAt + 1, reason: 'bundle signature does not verify with the installation key' });
  return {
    ok: true,
    subject: subject as ProofBundleSubject,
    entries: expectedEntries,
    streams,
    checkpoint,
    keyId,
    origin,
  };
}
