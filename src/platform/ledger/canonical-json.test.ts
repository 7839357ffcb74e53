import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { CanonicalJsonError, canonicalJson, isCanonicalJson } from './canonical-json.ts';

describe('canonical JSON', () => {
  test('sorts keys at every depth and writes no whitespace', () => {
    const text = canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } });
    assert.equal(text, '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  test('the same record built in a different key order gives the same text', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (record) => {
        const reversed = Object.fromEntries(Object.entries(record).reverse());
        assert.equal(canonicalJson(reversed), canonicalJson(record));
      }),
    );
  });

  test('round-trips every JSON value and is its own canonical form', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        // JSON has no -0: it reads back as 0, like the text says.
        assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
        assert.ok(isCanonicalJson(text));
      }),
    );
  });

  test('numbers are written as ECMAScript writes them (RFC 8785)', () => {
    assert.equal(canonicalJson([1e21, 0.1, -0, 1.5e-7, 100]), '[1e+21,0.1,0,1.5e-7,100]');
  });

  test('a date is written as its ISO string', () => {
    assert.equal(
      canonicalJson({ at: new Date('2026-11-22T10:00:00.123Z') }),
      '{"at":"2026-11-22T10:00:00.123Z"}',
    );
  });

  test('an undefined property is left out, as if it were absent', () => {
    assert.equal(canonicalJson({ a: undefined, b: 2 }), '{"b":2}');
  });

  const refused: Array<[string, unknown, RegExp]> = [
    ['NaN', { dose: Number.NaN }, /\$\.dose: NaN is not a finite number/],
    ['Infinity', [Number.POSITIVE_INFINITY], /\$\[0\]: Infinity is not a finite number/],
    ['undefined in an array', [1, undefined], /\$\[1\]: undefined has no JSON form/],
    ['a bigint', { count: 10n }, /\$\.count: bigint/],
    ['a Map', { items: new Map() }, /\$\.items: a Map has no canonical JSON form/],
    ['a function', { run: () => 1 }, /\$\.run: a function has no JSON form/],
    ['a lone surrogate', { name: 'a\uD800b' }, /\$\.name: string contains a lone surrogate/],
  ];
  for (const [what, value, message] of refused) {
    test(`refuses ${what}, naming where it is`, () => {
      assert.throws(
        () => canonicalJson(value),
        (error: unknown) => {
          assert.ok(error instanceof CanonicalJsonError);
          assert.match(error.message, message);
          return true;
        },
      );
    });
  }

  test('refuses a cycle instead of recursing forever', () => {
    const record: Record<string, unknown> = { a: 1 };
    record.self = record;
    assert.throws(() => canonicalJson(record), /\$\.self: value contains a cycle/);
  });

  test('a value reachable twice without a cycle is fine', () => {
    const shared = { x: 1 };
    assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"x":1},"b":{"x":1}}');
  });

  test('isCanonicalJson rejects reordered keys, whitespace and duplicate keys', () => {
    assert.equal(isCanonicalJson('{"a":1,"b":2}'), true);
    assert.equal(isCanonicalJson('{"b":2,"a":1}'), false);
    assert.equal(isCanonicalJson('{"a": 1}'), false);
    assert.equal(isCanonicalJson('{"a":1,"a":1}'), false);
    assert.equal(isCanonicalJson('{"a":1.0}'), false);
    assert.equal(isCanonicalJson('not json'), false);
  });
});
