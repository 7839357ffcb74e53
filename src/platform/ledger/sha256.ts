import crypto from 'node:crypto';

type Encoding = 'hex' | 'binary';

// crypto.hash (Node >= 20.12) skips the Hash object; for the short inputs of a Merkle tree that is
// most of the cost. package.json still admits 20.10, hence the fallback.
const oneShot: (data: Uint8Array, encoding: Encoding) => string =
  typeof crypto.hash === 'function'
    ? (data, encoding) => crypto.hash('sha256', data, encoding)
    : (data, encoding) => crypto.createHash('sha256').update(data).digest(encoding);

/** SHA-256 as raw bytes. */
export function sha256(data: Uint8Array): Buffer {
  return Buffer.from(oneShot(data, 'binary'), 'latin1');
}

export function sha256Hex(data: Uint8Array): string {
  return oneShot(data, 'hex');
}

/**
 * SHA-256 as a 32-character latin1 string (one char per byte). Node returns a string several times
 * faster than a Buffer, and a string is all a hash needs to be to be compared or copied.
 */
export function sha256Binary(data: Uint8Array): string {
  return oneShot(data, 'binary');
}
