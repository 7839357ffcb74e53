import { sha256Binary } from './sha256.ts';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle trees over leaf hashes. Leaves here are already leaf
 * hashes (SHA-256(0x00 || data)); for the ledger they are the entry hashes themselves.
 *
 * Digests are taken as 32-character latin1 strings and copied into one reused input buffer: Node
 * returns a digest as a string several times faster than as a Buffer, and folding a million leaves
 * costs little more than the million node hashes themselves.
 */

export const HASH_BYTES = 32;

const HEX_64 = /^[0-9a-f]{64}$/;

const EMPTY_TREE_ROOT = sha256Binary(new Uint8Array(0));

// One reusable 0x01 || left || right buffer: hashing is synchronous, so no two calls can interleave.
const nodeInput = new Uint8Array(1 + 2 * HASH_BYTES);
nodeInput[0] = 0x01;
const nodeInputBuffer = Buffer.from(nodeInput.buffer, nodeInput.byteOffset, nodeInput.byteLength);

function nodeBinary(left: string, right: string): string {
  nodeInputBuffer.write(left, 1, HASH_BYTES, 'latin1');
  nodeInputBuffer.write(right, 1 + HASH_BYTES, HASH_BYTES, 'latin1');
  return sha256Binary(nodeInput);
}

function toBinary(hash: Uint8Array, what: string): string {
  if (hash.byteLength !== HASH_BYTES) throw new RangeError(`${what} must be ${HASH_BYTES} bytes`);
  return Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('latin1');
}

function fromBinary(binary: string): Buffer {
  return Buffer.from(binary, 'latin1');
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return fromBinary(nodeBinary(toBinary(left, 'left'), toBinary(right, 'right')));
}

/** SHA-256(0x00 || data): the leaf hash of arbitrary data. */
export function leafHash(data: Uint8Array): Buffer {
  const input = new Uint8Array(data.byteLength + 1);
  input.set(data, 1);
  return fromBinary(sha256Binary(input));
}

/** The root of the empty tree: SHA-256 of nothing. */
export function emptyTreeRoot(): Buffer {
  return fromBinary(EMPTY_TREE_ROOT);
}

/** The state an accumulator can be saved as and resumed from (a "compact range" of the tree). */
export type MerkleFrontier = {
  size: number;
  /** Hex roots of the perfect subtrees that make up the tree, largest (leftmost) first. */
  subtreeRoots: string[];
};

/**
 * The append-only core of a tree, kept in O(log n) memory: only the roots of the perfect subtrees
 * the leaves so far fall into (one per set bit of the size), so appending costs one node hash on
 * average and the root at the current size at most log2(n) more.
 *
 * Self-contained on purpose (no imports, no outer variables): merkle-worker.ts runs this very
 * function's source in a worker thread, so there is one implementation to test.
 */
export function createLeafFold(hashBinary: (input: Uint8Array) => string) {
  // [0, 65) is the node input 0x01 || left || right; then one 32-byte slot per level, where slot i
  // holds the root of a perfect subtree of 2^i leaves whenever bit i of the size is set; then 32
  // bytes where the next leaf is staged.
  const slots = 65;
  const staged = slots + 64 * 32;
  const memory = new Uint8Array(staged + 32);
  memory[0] = 0x01;
  const input = memory.subarray(0, slots);
  let size = 0;
  const write = (node: string, at: number): void => {
    for (let index = 0; index < 32; index++) memory[at + index] = node.charCodeAt(index);
  };
  const slotBinary = (level: number): string => {
    let text = '';
    for (let index = 0; index < 32; index++)
      text += String.fromCharCode(memory[slots + level * 32 + index] as number);
    return text;
  };
  const pushStaged = (): void => {
    let carry = size;
    size++;
    if (carry % 2 === 0) {
      memory.copyWithin(slots, staged, staged + 32);
      return;
    }
    // Adding 1 in binary: every trailing 1 bit is a full subtree that merges with the new node.
    memory.copyWithin(1, slots, slots + 32);
    memory.copyWithin(33, staged, staged + 32);
    let node = hashBinary(input);
    let level = 1;
    carry = (carry - 1) / 2;
    while (carry % 2 === 1) {
      memory.copyWithin(1, slots + level * 32, slots + level * 32 + 32);
      write(node, 33);
      node = hashBinary(input);
      level++;
      carry = (carry - 1) / 2;
    }
    write(node, slots + level * 32);
  };
  return {
    size: (): number => size,
    /** Appends the 32-byte leaf hash at source[offset]. */
    append(source: Uint8Array, offset: number): void {
      for (let index = 0; index < 32; index++) memory[staged + index] = source[offset + index] as number;
      pushStaged();
    },
    /** Appends the leaf hash written as 64 hex digits (ASCII, either case) at source[offset], unchecked. */
    appendHex(source: Uint8Array, offset: number): void {
      for (let index = 0; index < 32; index++) {
        const high = source[offset + 2 * index] as number;
        const low = source[offset + 2 * index + 1] as number;
        // '0'-'9' are 0x30-0x39 and 'a'-'f' 0x61-0x66: the low nibble, plus 9 for letters.
        memory[staged + index] = (((high & 0xf) + (high >> 6) * 9) << 4) | ((low & 0xf) + (low >> 6) * 9);
      }
      pushStaged();
    },
    /** Appends a leaf hash given as a 32-character latin1 string (as sha256Binary returns it). */
    appendBinary(leaf: string): void {
      write(leaf, staged);
      pushStaged();
    },
    /** The root at the current size as a latin1 string; SHA-256 of nothing for the empty tree. */
    rootBinary(): string {
      if (size === 0) return hashBinary(new Uint8Array(0));
      let root = '';
      let rest = size;
      for (let level = 0; rest > 0; level++, rest = Math.floor(rest / 2)) {
        if (rest % 2 === 0) continue;
        if (root === '') {
          root = slotBinary(level);
          continue;
        }
        memory.copyWithin(1, slots + level * 32, slots + level * 32 + 32);
        write(root, 33);
        root = hashBinary(input);
      }
      return root;
    },
    /** Binary roots of the perfect subtrees, smallest first. */
    subtrees(): string[] {
      const roots: string[] = [];
      for (let level = 0, rest = size; rest > 0; level++, rest = Math.floor(rest / 2)) {
        if (rest % 2 === 1) roots.push(slotBinary(level));
      }
      return roots;
    },
    /** Replaces the state with a tree of `treeSize` leaves given its subtree roots, smallest first. */
    load(treeSize: number, subtreeRoots: readonly string[]): void {
      let next = 0;
      for (let level = 0, rest = treeSize; rest > 0; level++, rest = Math.floor(rest / 2)) {
        if (rest % 2 === 1) write(subtreeRoots[next++] as string, slots + level * 32);
      }
      size = treeSize;
    },
  };
}

export type LeafFold = ReturnType<typeof createLeafFold>;

/** Builds an RFC 9162 tree leaf by leaf; see createLeafFold for how. */
export class MerkleAccumulator {
  #fold = createLeafFold(sha256Binary);

  get size(): number {
    return this.#fold.size();
  }

  append(leafHash: Uint8Array): void {
    if (leafHash.byteLength !== HASH_BYTES) throw new RangeError(`leaf hash must be ${HASH_BYTES} bytes`);
    this.#fold.append(leafHash, 0);
  }

  /** For hot loops: the leaf hash written as 64 lower-case hex digits at source[offset], unchecked. */
  appendHexAt(source: Uint8Array, offset: number): void {
    this.#fold.appendHex(source, offset);
  }

  appendHex(leafHashHex: string): void {
    if (!HEX_64.test(leafHashHex)) throw new RangeError('leaf hash must be 64 lower-case hex digits');
    this.#fold.append(Buffer.from(leafHashHex, 'hex'), 0);
  }

  root(): Buffer {
    return fromBinary(this.#fold.rootBinary());
  }

  rootHex(): string {
    return fromBinary(this.#fold.rootBinary()).toString('hex');
  }

  rootBinary(): string {
    return this.#fold.rootBinary();
  }

  /** The state to save, so a checkpoint job only has to fold in the entries since the last. */
  frontier(): MerkleFrontier {
    const subtreeRoots = this.#fold.subtrees().map((root) => fromBinary(root).toString('hex'));
    return { size: this.size, subtreeRoots: subtreeRoots.reverse() };
  }

  static fromFrontier(frontier: MerkleFrontier): MerkleAccumulator {
    const { size, subtreeRoots } = frontier;
    if (!Number.isSafeInteger(size) || size < 0) throw new RangeError('frontier size must be a whole number');
    let expected = 0;
    for (let rest = size; rest > 0; rest = Math.floor(rest / 2)) expected += rest % 2;
    if (subtreeRoots.length !== expected) {
      throw new RangeError(
        `a tree of ${size} leaves has ${expected} subtree roots, not ${subtreeRoots.length}`,
      );
    }
    if (!subtreeRoots.every((root) => HEX_64.test(root))) {
      throw new RangeError('subtree roots must be 64 lower-case hex digits');
    }
    const accumulator = new MerkleAccumulator();
    const smallestFirst = [...subtreeRoots]
      .reverse()
      .map((hex) => Buffer.from(hex, 'hex').toString('latin1'));
    accumulator.#fold.load(size, smallestFirst);
    return accumulator;
  }
}

/** MTH(D[n]) over leaf hashes, iteratively and in O(log n) memory. */
export function merkleRoot(leafHashes: readonly Uint8Array[]): Buffer {
  return fromBinary(rangeRoot(leafHashes, 0, leafHashes.length));
}

function rangeRoot(leaves: readonly Uint8Array[], from: number, to: number): string {
  if (to - from === 1) return toBinary(leaves[from] as Uint8Array, `leaf ${from}`);
  const accumulator = new MerkleAccumulator();
  for (let index = from; index < to; index++) accumulator.append(leaves[index] as Uint8Array);
  return accumulator.rootBinary();
}

/** The largest power of two strictly smaller than n (n >= 2): where RFC 9162 splits a tree. */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function checkSize(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a whole number`);
}

/**
 * The audit path PATH(m, D[n]) of RFC 9162 section 2.1.3.1, bottom-up. Costs O(n) hashing because
 * it recomputes sibling subtrees from the leaves; callers that prove often should keep subtree roots.
 */
export function inclusionProof(
  leafHashes: readonly Uint8Array[],
  index: number,
  treeSize: number = leafHashes.length,
): Buffer[] {
  checkSize(index, 'index');
  checkSize(treeSize, 'tree size');
  if (treeSize > leafHashes.length)
    throw new RangeError(`tree size ${treeSize} exceeds ${leafHashes.length} leaves`);
  if (index >= treeSize) throw new RangeError(`index ${index} is outside a tree of ${treeSize} leaves`);
  const topDown: string[] = [];
  let from = 0;
  let to = treeSize;
  while (to - from > 1) {
    const k = splitPoint(to - from);
    if (index < from + k) {
      topDown.push(rangeRoot(leafHashes, from + k, to));
      to = from + k;
    } else {
      topDown.push(rangeRoot(leafHashes, from, from + k));
      from += k;
    }
  }
  return topDown.reverse().map(fromBinary);
}

/** RFC 9162 section 2.1.3.2: does `proof` show leaf `index` of a `treeSize` tree with this root? */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  treeSize: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize) || index < 0 || index >= treeSize)
    return false;
  if (leafHash.byteLength !== HASH_BYTES || root.byteLength !== HASH_BYTES) return false;
  if (proof.some((node) => node.byteLength !== HASH_BYTES)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = toBinary(leafHash, 'leaf hash');
  for (const node of proof) {
    if (sn === 0) return false;
    const p = toBinary(node, 'proof node');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeBinary(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeBinary(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r === toBinary(root, 'root');
}

/**
 * PROOF(m, D[n]) of RFC 9162 section 2.1.4.1: the nodes that show the tree of `oldSize` leaves is a
 * prefix of the tree of `newSize` leaves, so an auditor holding two checkpoints can check the log only
 * grew. Empty when oldSize is 0 or equals newSize. O(newSize) hashing, like inclusionProof.
 */
export function consistencyProof(
  leafHashes: readonly Uint8Array[],
  oldSize: number,
  newSize: number = leafHashes.length,
): Buffer[] {
  checkSize(oldSize, 'old size');
  checkSize(newSize, 'new size');
  if (newSize > leafHashes.length)
    throw new RangeError(`tree size ${newSize} exceeds ${leafHashes.length} leaves`);
  if (oldSize > newSize) throw new RangeError(`old size ${oldSize} is larger than new size ${newSize}`);
  if (oldSize === 0 || oldSize === newSize) return [];
  // SUBPROOF(m, D[n], b) appends one node per level on the way down; collect them and emit innermost first.
  const outerFirst: string[] = [];
  let innermost: string | undefined;
  let from = 0;
  let to = newSize;
  let m = oldSize;
  let startsAtOldRoot = true;
  for (;;) {
    if (m === to - from) {
      if (!startsAtOldRoot) innermost = rangeRoot(leafHashes, from, to);
      break;
    }
    const k = splitPoint(to - from);
    if (m <= k) {
      outerFirst.push(rangeRoot(leafHashes, from + k, to));
      to = from + k;
    } else {
      outerFirst.push(rangeRoot(leafHashes, from, from + k));
      from += k;
      m -= k;
      startsAtOldRoot = false;
    }
  }
  const proof = outerFirst.reverse();
  if (innermost !== undefined) proof.unshift(innermost);
  return proof.map(fromBinary);
}

/** RFC 9162 section 2.1.4.2: is the tree with `newRoot` an append-only extension of the one with `oldRoot`? */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  if (!Number.isSafeInteger(oldSize) || !Number.isSafeInteger(newSize) || oldSize < 0 || oldSize > newSize) {
    return false;
  }
  if (oldRoot.byteLength !== HASH_BYTES || newRoot.byteLength !== HASH_BYTES) return false;
  if (proof.some((node) => node.byteLength !== HASH_BYTES)) return false;
  const first = toBinary(oldRoot, 'old root');
  const second = toBinary(newRoot, 'new root');
  if (oldSize === newSize) return proof.length === 0 && first === second;
  // Every tree extends the empty tree; there is nothing to prove.
  if (oldSize === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = proof.map((node) => toBinary(node, 'proof node'));
  if (isPowerOfTwo(oldSize)) path.unshift(first);
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0] as string;
  let sr = fr;
  for (let position = 1; position < path.length; position++) {
    const c = path[position] as string;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeBinary(c, fr);
      sr = nodeBinary(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeBinary(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr === first && sr === second;
}

function isPowerOfTwo(n: number): boolean {
  let k = 1;
  while (k < n) k *= 2;
  return k === n;
}
