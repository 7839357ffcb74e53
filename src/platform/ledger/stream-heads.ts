/**
 * The head (last seq and hash) of every stream met so far while reading an export, found by the
 * stream's bytes as they sit in the line. Decoding a string and hashing it into a Map for every
 * entry costs more than all the other per-line work of the reading thread, so the table hashes the
 * bytes itself (FNV-1a, computed by the caller while it scans for the closing quote) and compares
 * bytes; a stream's name is decoded once, when it first appears.
 *
 * Keys are the raw bytes between the quotes, escapes included: JSON.stringify writes a given string
 * one way only, so one stream always has the same bytes.
 */

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

export function fnvStart(): number {
  return FNV_OFFSET;
}

export function fnvStep(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME);
}

const HEX_DIGITS = 64;

/**
 * Byte ranges are read through DataViews four bytes at a time: in V8 that is about three times
 * faster than a loop over a Uint8Array, and these comparisons run several times per entry.
 */
export function rangeEquals(a: DataView, aAt: number, b: DataView, bAt: number, length: number): boolean {
  let index = 0;
  for (; index + 4 <= length; index += 4)
    if (a.getUint32(aAt + index) !== b.getUint32(bAt + index)) return false;
  for (; index < length; index++) if (a.getUint8(aAt + index) !== b.getUint8(bAt + index)) return false;
  return true;
}

export class StreamHeads {
  // Open addressing: slot -> stream index + 1 (0 is empty).
  #slots = new Int32Array(1024);
  #keyHashes: number[] = [];
  #keys: DataView[] = [];
  #names: string[] = [];
  #seqs: number[] = [];
  // The hash of each stream's last entry, as the 64 hex digits written in the file.
  #hashes = new DataView(new ArrayBuffer(HEX_DIGITS * 64));

  get size(): number {
    return this.#keys.length;
  }

  name(stream: number): string {
    return this.#names[stream] as string;
  }

  seq(stream: number): number {
    return this.#seqs[stream] as number;
  }

  /** The stream whose key is the bytes [from, to) of `line`, or -1. */
  find(line: DataView, from: number, to: number, keyHash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = keyHash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot] as number;
      if (entry === 0) return -1;
      const stream = entry - 1;
      if (this.#keyHashes[stream] === keyHash) {
        const key = this.#keys[stream] as DataView;
        if (key.byteLength === to - from && rangeEquals(key, 0, line, from, to - from)) return stream;
      }
    }
  }

  add(line: DataView, from: number, to: number, keyHash: number, name: string): number {
    const stream = this.#keys.length;
    const key = new Uint8Array(line.buffer, line.byteOffset + from, to - from).slice();
    this.#keys.push(new DataView(key.buffer));
    this.#keyHashes.push(keyHash);
    this.#names.push(name);
    this.#seqs.push(0);
    if (this.#hashes.byteLength < (stream + 1) * HEX_DIGITS) {
      const larger = new Uint8Array(this.#hashes.byteLength * 2);
      larger.set(new Uint8Array(this.#hashes.buffer));
      this.#hashes = new DataView(larger.buffer);
    }
    if ((stream + 1) * 2 > this.#slots.length) this.#grow();
    else this.#place(stream);
    return stream;
  }

  /** Records the stream's new last entry: its seq and the 64 hex digits at line[hashAt]. */
  advance(stream: number, seq: number, line: DataView, hashAt: number): void {
    this.#seqs[stream] = seq;
    const hashes = this.#hashes;
    const at = stream * HEX_DIGITS;
    for (let index = 0; index < HEX_DIGITS; index += 4)
      hashes.setUint32(at + index, line.getUint32(hashAt + index));
  }

  /** Whether the 64 hex digits at line[prevAt] are the hash of the stream's last entry. */
  linksTo(stream: number, line: DataView, prevAt: number): boolean {
    return rangeEquals(this.#hashes, stream * HEX_DIGITS, line, prevAt, HEX_DIGITS);
  }

  #place(stream: number): void {
    const mask = this.#slots.length - 1;
    let slot = (this.#keyHashes[stream] as number) & mask;
    while (this.#slots[slot] !== 0) slot = (slot + 1) & mask;
    this.#slots[slot] = stream + 1;
  }

  #grow(): void {
    this.#slots = new Int32Array(this.#slots.length * 2);
    for (let stream = 0; stream < this.#keys.length; stream++) this.#place(stream);
  }
}
