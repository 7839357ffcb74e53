import crypto from 'node:crypto';
import { HEX_HASH, isIsoMillisUtc } from './ledger-entry.ts';
import { sha256Hex } from './sha256.ts';

/**
 * A checkpoint commits the installation to the first `treeSize` entries of the ledger (in leaf
 * order) by signing the RFC 9162 root over their hashes. Signing a checkpoint rather than every entry
 * keeps appends cheap: one Ed25519 verification costs more than a whole inclusion proof.
 */
export type CheckpointBody = {
  /** `cellway-ledger/<installation id>`: which log this is, so a signature cannot be replayed onto another. */
  origin: string;
  treeSize: number;
  /** 64 lower-case hex digits. */
  rootHash: string;
  /** ISO-8601 UTC with milliseconds. Signed, so the time a checkpoint claims cannot be moved. */
  issuedAt: string;
};

export type Checkpoint = CheckpointBody & {
  /** keyIdOf(the public key that signed it). */
  keyId: string;
  /** Base64 Ed25519 signature over checkpointText(body). */
  signature: string;
};

export type CheckpointCheck = { ok: true } | { ok: false; reason: string };

export function ledgerOrigin(installationId: string): string {
  return `cellway-ledger/${installationId}`;
}

const ORIGIN = /^cellway-ledger\/[\x21-\x7e]+$/;

export function checkpointBodyProblems(body: CheckpointBody): string[] {
  const problems: string[] = [];
  if (typeof body.origin !== 'string' || !ORIGIN.test(body.origin)) {
    problems.push('origin must be cellway-ledger/<installation id> (printable ASCII, no spaces)');
  }
  if (!Number.isSafeInteger(body.treeSize) || body.treeSize < 0)
    problems.push('treeSize must be a whole number');
  if (typeof body.rootHash !== 'string' || !HEX_HASH.test(body.rootHash)) {
    problems.push('rootHash must be 64 lower-case hex digits');
  }
  if (typeof body.issuedAt !== 'string' || !isIsoMillisUtc(body.issuedAt)) {
    problems.push('issuedAt must be ISO-8601 UTC with milliseconds');
  }
  return problems;
}

/**
 * The signed text, shaped like a C2SP signed-note checkpoint body (origin, tree size, base64 root,
 * then an extension line) so tooling for transparency logs can read it:
 *
 *     cellway-ledger/<installation id>
 *     <tree size>
 *     <base64 root hash>
 *     issued-at <ISO time>
 */
export function checkpointText(body: CheckpointBody): string {
  const problems = checkpointBodyProblems(body);
  if (problems.length > 0) throw new RangeError(`invalid checkpoint: ${problems.join('; ')}`);
  const root = Buffer.from(body.rootHash, 'hex').toString('base64');
  return `${body.origin}\n${body.treeSize}\n${root}\nissued-at ${body.issuedAt}\n`;
}

export type InstallationKeyPair = { publicKeyPem: string; privateKeyPem: string };

/** A fresh Ed25519 key pair as PEM (SPKI public, PKCS#8 private). */
export function generateInstallationKeyPair(): InstallationKeyPair {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  return {
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

type ParsedKey = { key: crypto.KeyObject; keyId: string; canonicalPem: string };

// An installation has one key and a verification run meets it once per checkpoint: parse it once.
const parsedKeys = new Map<string, ParsedKey>();

function parsePublicKey(publicKeyPem: string): ParsedKey {
  const cached = parsedKeys.get(publicKeyPem);
  if (cached) return cached;
  const key = crypto.createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ed25519')
    throw new RangeError('the installation key must be an Ed25519 key');
  const parsed = {
    key,
    keyId: sha256Hex(key.export({ type: 'spki', format: 'der' })),
    canonicalPem: key.export({ type: 'spki', format: 'pem' }).toString(),
  };
  if (parsedKeys.size >= 32) parsedKeys.clear();
  parsedKeys.set(publicKeyPem, parsed);
  return parsed;
}

/**
 * The one PEM spelling of a public key. PEM tolerates variations (line breaks, spare base64 bits)
 * that decode to the same key; an export insists on this form so that no byte of it is slack.
 */
export function canonicalPublicKeyPem(publicKeyPem: string): string {
  return parsePublicKey(publicKeyPem).canonicalPem;
}

/** Hex SHA-256 of the DER SubjectPublicKeyInfo: names a key in a checkpoint without repeating it. */
export function keyIdOf(publicKeyPem: string): string {
  return parsePublicKey(publicKeyPem).keyId;
}

export function signCheckpoint(body: CheckpointBody, privateKeyPem: string): Checkpoint {
  const privateKey = crypto.createPrivateKey(privateKeyPem);
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new RangeError('the installation key must be an Ed25519 key');
  const publicKeyPem = crypto.createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
  const signature = crypto
    .sign(null, Buffer.from(checkpointText(body), 'utf8'), privateKey)
    .toString('base64');
  return {
    origin: body.origin,
    treeSize: body.treeSize,
    rootHash: body.rootHash,
    issuedAt: body.issuedAt,
    keyId: keyIdOf(publicKeyPem),
    signature,
  };
}

const SIGNATURE_BYTES = 64;

export function verifyCheckpoint(checkpoint: Checkpoint, publicKeyPem: string): CheckpointCheck {
  const problems = checkpointBodyProblems(checkpoint);
  if (problems.length > 0) return { ok: false, reason: `checkpoint is malformed: ${problems.join('; ')}` };
  let publicKey: crypto.KeyObject;
  let keyId: string;
  try {
    publicKey = parsePublicKey(publicKeyPem).key;
    keyId = keyIdOf(publicKeyPem);
  } catch (error) {
    return { ok: false, reason: `public key is unusable: ${(error as Error).message}` };
  }
  if (checkpoint.keyId !== keyId) {
    return { ok: false, reason: `checkpoint names key ${checkpoint.keyId}, not the given key ${keyId}` };
  }
  const signature = Buffer.from(checkpoint.signature, 'base64');
  // Node's base64 decoder skips junk and ignores spare bits; insisting on the exact spelling means a
  // changed character in the signature can never still verify.
  if (typeof checkpoint.signature !== 'string' || signature.toString('base64') !== checkpoint.signature) {
    return { ok: false, reason: 'signature is not canonical base64' };
  }
  if (signature.length !== SIGNATURE_BYTES) return { ok: false, reason: 'signature is not 64 bytes' };
  const valid = crypto.verify(null, Buffer.from(checkpointText(checkpoint), 'utf8'), publicKey, signature);
  return valid ? { ok: true } : { ok: false, reason: 'signature does not verify with the installation key' };
}
