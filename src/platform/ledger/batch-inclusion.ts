import { MerkleAccumulator, nodeHash } from './merkle-tree.ts';

/**
 * RFC 9162 audit paths for several leaves of one tree in a single pass: each subtree that holds no
 * requested leaf is hashed once, so k proofs over n leaves cost O(n + k log n) hashing instead of the
 * O(k n) of calling inclusionProof k times. Paths are bottom-up, the same as inclusionProof.
 */
export function inclusionProofs(
  leafHashes: readonly Uint8Array[],
  indices: readonly number[],
  treeSize: number = leafHashes.length,
): Map<number, Buffer[]> {
  if (!Number.isSafeInteger(treeSize) || treeSize < 1 || treeSize > leafHashes.length) {
    throw new RangeError(`tree size ${treeSize} must be between 1 and ${leafHashes.length}`);
  }
  const targets = [...new Set(indices)].sort((a, b) => a - b);
  for (const index of targets) {
    if (!Number.isSafeInteger(index) || index < 0 || index >= treeSize) {
      throw new RangeError(`index ${index} is outside a tree of ${treeSize} leaves`);
    }
  }
  const proofs = new Map<number, Buffer[]>(targets.map((index) => [index, []]));
  const walk = (from: number, to: number, wanted: number[]): Buffer => {
    if (to - from === 1) return Buffer.from(leafHashes[from] as Uint8Array);
    if (wanted.length === 0) {
      const tree = new MerkleAccumulator();
      for (let index = from; index < to; index++) tree.append(leafHashes[index] as Uint8Array);
      return tree.root();
    }
    let k = 1;
    while (k * 2 < to - from) k *= 2;
    const left = wanted.filter((index) => index < from + k);
    const right = wanted.filter((index) => index >= from + k);
    const leftRoot = walk(from, from + k, left);
    const rightRoot = walk(from + k, to, right);
    // Deeper levels pushed first: the path comes out bottom-up.
    for (const index of left) proofs.get(index)?.push(rightRoot);
    for (const index of right) proofs.get(index)?.push(leftRoot);
    return nodeHash(leftRoot, rightRoot);
  };
  walk(0, treeSize, targets);
  return proofs;
}
