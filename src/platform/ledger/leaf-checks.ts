import { Worker } from 'node:worker_threads';
import { createLeafFold, type LeafFold } from './merkle-tree.ts';
import { sha256Binary } from './sha256.ts';

/**
 * The hashing half of offline verification: recompute each entry's hash from the payload bytes in
 * the file, compare it with the hash written beside them, and fold it into the Merkle tree. The
 * reading half (offline-verify.ts) checks the chains using the written hashes and hands over the
 * positions of the bytes; the two halves meet in the Merkle roots and in the hash comparison, so no
 * written hash is trusted unless it was recomputed here.
 *
 * Splitting it this way lets the hashing run in a worker thread beside the reading. Hashing (about
 * two hashes per entry: its own and one tree node) is the larger half, so when the worker falls
 * behind the reading thread hashes some chunks itself and the worker only folds their leaves.
 */

/**
 * Four int32 per record: payloadStart, payloadEnd, hashAt, line. A negative first value marks the
 * other kinds (as literals inside createLeafChecker, which must stay self-contained): -1 a root
 * request (-1, id, 0, line); -2 an entry whose hash was already checked, so only its leaf is folded;
 * -3 an entry whose check failed.
 */
const RECORD_INTS = 4;
const ROOT_REQUEST = -1;

export type LeafCheckReport = {
  /** The entry at `line` does not hash to the hash written beside it; `payload` is its bytes. */
  mismatch(line: number, payload: Uint8Array): void;
  /** The root requested as `id`, or null if a mismatch came first (the tree is then meaningless). */
  root(id: number, rootHex: string | null): void;
};

/**
 * Self-contained on purpose (no imports, no outer variables): the worker runs this very function's
 * source, so both threads share one implementation.
 */
function createLeafChecker(hashBinary: (input: Uint8Array) => string, fold: LeafFold) {
  let failed = false;
  const digits = '0123456789abcdef';
  const hexOf = (binary: string): string => {
    let hex = '';
    for (let index = 0; index < binary.length; index++) {
      const byte = binary.charCodeAt(index);
      hex += digits.charAt(byte >> 4) + digits.charAt(byte & 15);
    }
    return hex;
  };
  const hexCodes = new Uint8Array(16);
  for (let index = 0; index < 16; index++) hexCodes[index] = digits.charCodeAt(index);
  // Hashes one entry in place and compares it with the lower-case hex written in the file, digit by
  // digit, without building a string. Returns the hash (latin1), or null when they differ.
  const hashEntry = (
    chunk: Uint8Array,
    payloadStart: number,
    payloadEnd: number,
    hashAt: number,
  ): string | null => {
    // SHA-256(0x00 || payload): the byte before the payload is the ':' of `{"entry":`, so briefly
    // making it 0x00 hashes the payload in place, with no copy.
    chunk[payloadStart - 1] = 0x00;
    const hash = hashBinary(chunk.subarray(payloadStart - 1, payloadEnd));
    chunk[payloadStart - 1] = 0x3a;
    for (let index = 0; index < 32; index++) {
      const byte = hash.charCodeAt(index);
      if (
        chunk[hashAt + 2 * index] !== hexCodes[byte >> 4] ||
        chunk[hashAt + 2 * index + 1] !== hexCodes[byte & 15]
      ) {
        return null;
      }
    }
    return hash;
  };
  return {
    /** Checks and folds a chunk's records in order, reporting roots and the first mismatch. */
    check(chunk: Uint8Array, records: Int32Array, count: number, report: LeafCheckReport): void {
      for (let record = 0; record < count; record++) {
        const payloadStart = records[record * 4] as number;
        const payloadEnd = records[record * 4 + 1] as number;
        const hashAt = records[record * 4 + 2] as number;
        if (payloadStart === -1) {
          report.root(payloadEnd, failed ? null : hexOf(fold.rootBinary()));
          continue;
        }
        if (failed) continue;
        if (payloadStart === -2) {
          fold.appendHex(chunk, hashAt);
          continue;
        }
        if (payloadStart === -3) {
          failed = true;
          continue;
        }
        const hash = hashEntry(chunk, payloadStart, payloadEnd, hashAt);
        if (hash === null) {
          failed = true;
          report.mismatch(records[record * 4 + 3] as number, chunk.subarray(payloadStart, payloadEnd));
          continue;
        }
        fold.appendBinary(hash);
      }
    },
    /**
     * Checks the hashes of a chunk's entries without folding them, and marks each record so that
     * check() only folds it (or knows it failed). Lets the reading thread take a share of the hashing.
     */
    checkHashesOnly(chunk: Uint8Array, records: Int32Array, count: number, report: LeafCheckReport): void {
      for (let record = 0; record < count; record++) {
        const payloadStart = records[record * 4] as number;
        if (payloadStart < 0) continue;
        const payloadEnd = records[record * 4 + 1] as number;
        if (hashEntry(chunk, payloadStart, payloadEnd, records[record * 4 + 2] as number) === null) {
          records[record * 4] = -3;
          report.mismatch(records[record * 4 + 3] as number, chunk.subarray(payloadStart, payloadEnd));
          return;
        }
        records[record * 4] = -2;
      }
    },
  };
}

/** Where the reader sends its records; reports arrive in record order, at once or later. */
export type LeafChecks = {
  /** Whether the reader must give up each chunk it hands over and read into a fresh one. */
  readonly takesChunks: boolean;
  /** An entry line: its payload is chunk[payloadStart, payloadEnd), its written hash at chunk[hashAt]. */
  entry(payloadStart: number, payloadEnd: number, hashAt: number, line: number): void;
  requestRoot(line: number, onRoot: (rootHex: string | null) => void): void;
  /** Hands over the chunk the recorded offsets point into; records start afresh for the next one. */
  handOver(chunk: Uint8Array): void;
  /** A chunk handed over earlier and finished with, of exactly `size` bytes, to read into again. */
  spareChunk(size: number): Buffer | undefined;
  /** Resolves once everything handed over has been checked and reported. */
  settled(): Promise<void>;
  close(): Promise<void>;
};

class RecordBuffer {
  records = new Int32Array(4096 * RECORD_INTS);
  count = 0;

  push(a: number, b: number, c: number, d: number): void {
    if ((this.count + 1) * RECORD_INTS > this.records.length) {
      const larger = new Int32Array(this.records.length * 2);
      larger.set(this.records);
      this.records = larger;
    }
    const at = this.count * RECORD_INTS;
    this.records[at] = a;
    this.records[at + 1] = b;
    this.records[at + 2] = c;
    this.records[at + 3] = d;
    this.count++;
  }
}

export function inThreadLeafChecks(onMismatch: (line: number, payload: Uint8Array) => void): LeafChecks {
  const checker = createLeafChecker(sha256Binary, createLeafFold(sha256Binary));
  const buffer = new RecordBuffer();
  const waiting = new Map<number, (rootHex: string | null) => void>();
  let nextId = 0;
  const report: LeafCheckReport = {
    mismatch: onMismatch,
    root(id, rootHex) {
      const onRoot = waiting.get(id);
      waiting.delete(id);
      onRoot?.(rootHex);
    },
  };
  return {
    takesChunks: false,
    entry: (payloadStart, payloadEnd, hashAt, line) => buffer.push(payloadStart, payloadEnd, hashAt, line),
    requestRoot(line, onRoot) {
      waiting.set(nextId, onRoot);
      buffer.push(ROOT_REQUEST, nextId++, 0, line);
    },
    handOver(chunk) {
      checker.check(chunk, buffer.records, buffer.count, report);
      buffer.count = 0;
    },
    spareChunk: () => undefined,
    settled: async () => {},
    close: async () => {},
  };
}

type WorkerReply =
  | { kind: 'mismatch'; line: number; payload: Uint8Array }
  | { kind: 'root'; id: number; rootHex: string | null }
  | { kind: 'settled'; id: number }
  | { kind: 'done'; chunk: ArrayBuffer };

export function workerLeafChecks(
  onMismatch: (line: number, payload: Uint8Array) => void,
  /** Chunks waiting for the worker at which this thread hashes the next chunk itself. */
  shareWhenBehind = 2,
): LeafChecks {
  // esbuild (which tsx uses) wraps named functions in __name(...) to keep their names; the worker is
  // given the functions' text, so it needs a harmless stand-in for that helper.
  const source = `
    const { parentPort } = require('node:worker_threads');
    const crypto = require('node:crypto');
    const __name = (target) => target;
    const hashBinary = typeof crypto.hash === 'function'
      ? (input) => crypto.hash('sha256', input, 'binary')
      : (input) => crypto.createHash('sha256').update(input).digest('binary');
    const fold = (${createLeafFold.toString()})(hashBinary);
    const checker = (${createLeafChecker.toString()})(hashBinary, fold);
    const report = {
      mismatch: (line, payload) => parentPort.postMessage({ kind: 'mismatch', line, payload: payload.slice() }),
      root: (id, rootHex) => parentPort.postMessage({ kind: 'root', id, rootHex }),
    };
    parentPort.on('message', (message) => {
      if (message.settle !== undefined) {
        parentPort.postMessage({ kind: 'settled', id: message.settle });
        return;
      }
      checker.check(new Uint8Array(message.chunk), new Int32Array(message.records), message.count, report);
      // The chunk goes back to be read into again: fresh 4 MB buffers cost page faults every time.
      parentPort.postMessage({ kind: 'done', chunk: message.chunk }, [message.chunk]);
    });
  `;
  // No execArgv: the worker runs plain JavaScript and needs none of the parent's loaders (e.g. tsx).
  const worker = new Worker(source, { eval: true, execArgv: [] });
  const waiting = new Map<number, (rootHex: string | null) => void>();
  const settling = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let failure: Error | null = null;
  let nextId = 0;
  let inFlight = 0;
  const spare: ArrayBuffer[] = [];
  // The reading thread's own checker, for the chunks it hashes itself when the worker falls behind.
  const reader = createLeafChecker(sha256Binary, createLeafFold(sha256Binary));
  const readerReport: LeafCheckReport = { mismatch: onMismatch, root: () => {} };
  worker.on('message', (reply: WorkerReply) => {
    if (reply.kind === 'done') {
      inFlight--;
      if (spare.length < 4) spare.push(reply.chunk);
    } else if (reply.kind === 'mismatch') {
      onMismatch(reply.line, reply.payload);
    } else if (reply.kind === 'root') {
      const onRoot = waiting.get(reply.id);
      waiting.delete(reply.id);
      onRoot?.(reply.rootHex);
    } else {
      settling.get(reply.id)?.resolve();
      settling.delete(reply.id);
    }
  });
  const fail = (error: Error): void => {
    failure ??= error;
    for (const { reject } of settling.values()) reject(error);
    settling.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the hashing worker stopped (exit code ${code})`)));
  let buffer = new RecordBuffer();
  return {
    takesChunks: true,
    entry: (payloadStart, payloadEnd, hashAt, line) => buffer.push(payloadStart, payloadEnd, hashAt, line),
    requestRoot(line, onRoot) {
      waiting.set(nextId, onRoot);
      buffer.push(ROOT_REQUEST, nextId++, 0, line);
    },
    handOver(chunk) {
      const { records, count } = buffer;
      // Hashing costs more than reading, so the worker tends to fall behind; while two chunks are
      // still waiting for it, this thread hashes the next one itself and the worker only folds it.
      // That balances the two threads on any machine without tuning a fixed share.
      if (inFlight >= shareWhenBehind) reader.checkHashesOnly(chunk, records, count, readerReport);
      // The chunk is transferred, not copied: the reader has finished with it and reads into a new one.
      // Offsets are relative to the view, so a view into a larger buffer is copied out first.
      const whole =
        chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength
          ? chunk
          : Uint8Array.from(chunk);
      const transfer = [whole.buffer as ArrayBuffer, records.buffer as ArrayBuffer];
      worker.postMessage({ chunk: transfer[0], records: transfer[1], count }, transfer);
      inFlight++;
      buffer = new RecordBuffer();
    },
    spareChunk(size) {
      const index = spare.findIndex((chunk) => chunk.byteLength === size);
      if (index === -1) return undefined;
      const [chunk] = spare.splice(index, 1);
      return Buffer.from(chunk as ArrayBuffer);
    },
    settled() {
      if (failure) return Promise.reject(failure);
      const id = nextId++;
      return new Promise<void>((resolve, reject) => {
        settling.set(id, { resolve, reject });
        worker.postMessage({ settle: id });
      });
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
