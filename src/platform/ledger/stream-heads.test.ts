import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fnvStart, fnvStep, StreamHeads } from './stream-heads.ts';

function key(bytes: Uint8Array): number {
  let hash = fnvStart();
  for (const byte of bytes) hash = fnvStep(hash, byte);
  return hash;
}

const view = (text: string) => new DataView(new Uint8Array(Buffer.from(text)).buffer);
const hex = (digit: string) => view(digit.repeat(64));

describe('stream heads, found by the bytes of the stream name', () => {
  test('finds each of many streams again, through every growth of the table', () => {
    const heads = new StreamHeads();
    const names = Array.from({ length: 5000 }, (_, index) => `case:${index}`);
    for (const [index, name] of names.entries()) {
      const line = view(`xx${name}yy`);
      const hash = key(Buffer.from(name));
      assert.equal(heads.find(line, 2, line.byteLength - 2, hash), -1);
      const stream = heads.add(line, 2, line.byteLength - 2, hash, name);
      heads.advance(stream, index + 1, hex((index % 10).toString()), 0);
    }
    assert.equal(heads.size, 5000);
    for (const [index, name] of names.entries()) {
      const stream = heads.find(view(name), 0, name.length, key(Buffer.from(name)));
      assert.equal(heads.name(stream), name);
      assert.equal(heads.seq(stream), index + 1);
      assert.equal(heads.linksTo(stream, hex((index % 10).toString()), 0), true);
      assert.equal(heads.linksTo(stream, hex(((index + 1) % 10).toString()), 0), false);
    }
  });

  test('two streams whose keys collide stay apart', () => {
    const heads = new StreamHeads();
    const a = view('case:a');
    const b = view('case:b');
    // Same (forced) key hash for both: only the bytes tell them apart.
    heads.add(a, 0, a.byteLength, 7, 'case:a');
    assert.equal(heads.find(b, 0, b.byteLength, 7), -1);
    const second = heads.add(b, 0, b.byteLength, 7, 'case:b');
    assert.equal(heads.find(b, 0, b.byteLength, 7), second);
    assert.equal(heads.name(heads.find(a, 0, a.byteLength, 7)), 'case:a');
    // A prefix is not the same stream.
    assert.equal(heads.find(a, 0, a.byteLength - 1, 7), -1);
  });
});
