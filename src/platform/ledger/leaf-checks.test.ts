import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exampleLedger } from './example-ledger.ts';
import { entryLine } from './export-file.ts';
import { inThreadLeafChecks, type LeafChecks, workerLeafChecks } from './leaf-checks.ts';
import type { LedgerEntry } from './ledger-entry.ts';
import { MerkleAccumulator } from './merkle-tree.ts';

const entries = exampleLedger({ entries: 300, streams: 7 });

/** Entry lines in chunks of 50, with a root requested after every chunk, as the reader would send them. */
async function run(checks: LeafChecks, ledger: LedgerEntry[]) {
  const roots: Array<string | null> = [];
  for (let from = 0; from < ledger.length; from += 50) {
    const text = ledger
      .slice(from, from + 50)
      .map((entry) => `${entryLine(entry)}\n`)
      .join('');
    const chunk = new Uint8Array(Buffer.from(text));
    let start = 0;
    let line = from;
    for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
      checks.entry(start + 9, end - 75, end - 66, ++line);
      start = end + 1;
    }
    checks.requestRoot(line, (root) => roots.push(root));
    checks.handOver(chunk);
  }
  await checks.settled();
  await checks.close();
  return roots;
}

function expectedRoots(ledger: LedgerEntry[]): string[] {
  const tree = new MerkleAccumulator();
  const roots: string[] = [];
  ledger.forEach((entry, index) => {
    tree.appendHex(entry.hash);
    if ((index + 1) % 50 === 0) roots.push(tree.rootHex());
  });
  return roots;
}

describe('hashing entries and folding the tree, in this thread or beside it', () => {
  const variants: Array<[string, (onMismatch: (line: number) => void) => LeafChecks]> = [
    ['in this thread', (onMismatch) => inThreadLeafChecks(onMismatch)],
    ['in a worker', (onMismatch) => workerLeafChecks(onMismatch, Number.POSITIVE_INFINITY)],
    [
      'shared: this thread hashes every chunk, the worker folds',
      (onMismatch) => workerLeafChecks(onMismatch, 0),
    ],
    ['shared as the load decides', (onMismatch) => workerLeafChecks(onMismatch)],
  ];
  for (const [name, make] of variants) {
    test(`${name}: the roots match the tree of the entry hashes`, async () => {
      const mismatches: number[] = [];
      assert.deepEqual(
        await run(
          make((line) => mismatches.push(line)),
          entries,
        ),
        expectedRoots(entries),
      );
      assert.deepEqual(mismatches, []);
    });

    test(`${name}: an entry that does not match its hash is reported once, and later roots are withheld`, async () => {
      const mismatches: number[] = [];
      const tampered = entries.map((entry, index) =>
        index === 120 ? { ...entry, reason: 'edited' } : entry,
      );
      const roots = await run(
        make((line) => mismatches.push(line)),
        tampered,
      );
      assert.deepEqual(mismatches, [121]);
      assert.deepEqual(roots.slice(0, 2), expectedRoots(entries).slice(0, 2));
      assert.deepEqual(roots.slice(2), [null, null, null, null]);
    });
  }
});
