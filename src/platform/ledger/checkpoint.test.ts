import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { describe, test } from 'node:test';
import {
  type CheckpointBody,
  canonicalPublicKeyPem,
  checkpointText,
  generateInstallationKeyPair,
  keyIdOf,
  ledgerOrigin,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint.ts';

const keys = generateInstallationKeyPair();
const otherKeys = generateInstallationKeyPair();

const body: CheckpointBody = {
  origin: ledgerOrigin('st-marys-london'),
  treeSize: 100_000,
  rootHash: '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
  issuedAt: '2026-11-22T10:00:00.123Z',
};

describe('signed checkpoints', () => {
  test('the signed text is a C2SP-style checkpoint body', () => {
    assert.equal(
      checkpointText(body),
      'cellway-ledger/st-marys-london\n100000\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\nissued-at 2026-11-22T10:00:00.123Z\n',
    );
  });

  test('a checkpoint signed with the installation key verifies with its public key', () => {
    const checkpoint = signCheckpoint(body, keys.privateKeyPem);
    assert.equal(checkpoint.keyId, keyIdOf(keys.publicKeyPem));
    assert.deepEqual(verifyCheckpoint(checkpoint, keys.publicKeyPem), { ok: true });
  });

  test('the signature is a plain Ed25519 signature over the text, checkable without Cellway', () => {
    const checkpoint = signCheckpoint(body, keys.privateKeyPem);
    const valid = crypto.verify(
      null,
      Buffer.from(checkpointText(body)),
      crypto.createPublicKey(keys.publicKeyPem),
      Buffer.from(checkpoint.signature, 'base64'),
    );
    assert.equal(valid, true);
  });

  test('another key does not verify it', () => {
    const checkpoint = signCheckpoint(body, keys.privateKeyPem);
    const result = verifyCheckpoint(checkpoint, otherKeys.publicKeyPem);
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.reason : '', /checkpoint names key [0-9a-f]{64}, not the given key/);
    // Even with the key id rewritten to match, the signature itself fails.
    const relabelled = { ...checkpoint, keyId: keyIdOf(otherKeys.publicKeyPem) };
    assert.deepEqual(verifyCheckpoint(relabelled, otherKeys.publicKeyPem), {
      ok: false,
      reason: 'signature does not verify with the installation key',
    });
  });

  const tampering: Array<
    [string, (c: ReturnType<typeof signCheckpoint>) => ReturnType<typeof signCheckpoint>]
  > = [
    ['tree size', (c) => ({ ...c, treeSize: c.treeSize + 1 })],
    ['root hash', (c) => ({ ...c, rootHash: `${c.rootHash.slice(0, 63)}9` })],
    ['issue time', (c) => ({ ...c, issuedAt: '2026-11-22T10:00:00.124Z' })],
    ['origin', (c) => ({ ...c, origin: ledgerOrigin('another-site') })],
    // Another character than the one there (the key is random, so a fixed 'A' is there one time in 64).
    [
      'signature',
      (c) => ({
        ...c,
        signature: `${c.signature.slice(0, 10)}${c.signature[10] === 'A' ? 'B' : 'A'}${c.signature.slice(11)}`,
      }),
    ],
    // The last base64 character before the padding carries spare bits; changing only those would
    // still decode to the same signature if the spelling were not checked.
    ['spare bits of the signature', (c) => ({ ...c, signature: spareBitVariant(c.signature) })],
  ];
  for (const [what, tamper] of tampering) {
    test(`a changed ${what} fails verification`, () => {
      const checkpoint = signCheckpoint(body, keys.privateKeyPem);
      const altered = tamper(checkpoint);
      assert.notDeepEqual(altered, checkpoint);
      assert.equal(verifyCheckpoint(altered, keys.publicKeyPem).ok, false);
    });
  }

  test('a malformed body is refused before signing', () => {
    assert.throws(
      () => signCheckpoint({ ...body, rootHash: 'abc' }, keys.privateKeyPem),
      /rootHash must be 64/,
    );
    assert.throws(() => signCheckpoint({ ...body, origin: 'other/x' }, keys.privateKeyPem), /origin must be/);
    assert.throws(() => checkpointText({ ...body, treeSize: -1 }), /treeSize must be a whole number/);
  });

  test('only Ed25519 keys are accepted', () => {
    const { privateKey } = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    assert.throws(() => signCheckpoint(body, pem), /must be an Ed25519 key/);
  });

  test('key ids are stable and differ between keys', () => {
    assert.match(keyIdOf(keys.publicKeyPem), /^[0-9a-f]{64}$/);
    assert.equal(keyIdOf(canonicalPublicKeyPem(keys.publicKeyPem)), keyIdOf(keys.publicKeyPem));
    assert.notEqual(keyIdOf(keys.publicKeyPem), keyIdOf(otherKeys.publicKeyPem));
  });
});

function spareBitVariant(signature: string): string {
  // 64 bytes are 86 base64 characters plus '=='; the 86th carries 2 data bits and 4 spare ones.
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const last = alphabet.indexOf(signature.charAt(85));
  const variant = `${signature.slice(0, 85)}${alphabet.charAt(last ^ 1)}==`;
  assert.deepEqual(Buffer.from(variant, 'base64'), Buffer.from(signature, 'base64'));
  return variant;
}
