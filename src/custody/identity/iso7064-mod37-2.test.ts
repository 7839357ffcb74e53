import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  hasValidMod37_2Check,
  MOD37_2_ALPHABET,
  mod37_2BarcodeFlag,
  mod37_2CheckCharacter,
  mod37_2Checksum,
} from './iso7064-mod37-2.ts';

const DATA_ALPHABET = MOD37_2_ALPHABET.slice(0, 36).split('');
const dataString = fc
  .array(fc.constantFrom(...DATA_ALPHABET), { minLength: 2, maxLength: 20 })
  .map((characters) => characters.join(''));

describe('ISO 7064 MOD 37-2', () => {
  it('matches the published ISBT 128 worked example (UK Red Book, Annex 2): G123 498 654 321 → H, flag 77', () => {
    // Sum of weighted values 148354, mod 37 = 21, 38 - 21 = 17: eye-readable "H", bar-code flag 77.
    assert.equal(mod37_2Checksum('G123498654321'), 17);
    assert.equal(mod37_2CheckCharacter('G123498654321'), 'H');
    assert.equal(mod37_2BarcodeFlag('G123498654321'), '77');
  });

  it('matches the ISO 7064 MOD 37-2 example G123489654321 → Y', () => {
    assert.equal(mod37_2CheckCharacter('G123489654321'), 'Y');
    assert.ok(hasValidMod37_2Check('G123489654321Y'));
    assert.ok(!hasValidMod37_2Check('G123489654322Y'));
  });

  it('uses the supplementary character * for checksum 36', () => {
    const found = fc.sample(dataString, 5000).find((data) => mod37_2Checksum(data) === 36);
    assert.ok(found, 'some data string has checksum 36');
    assert.equal(mod37_2CheckCharacter(found), '*');
  });

  it('refuses characters outside 0-9 A-Z', () => {
    assert.throws(() => mod37_2Checksum('G12-3'), /cannot appear/);
    assert.throws(() => mod37_2Checksum('G12*'), /cannot appear/);
    assert.throws(() => mod37_2Checksum('g123'), /cannot appear/);
    assert.throws(() => mod37_2Checksum(''), /at least one/);
    assert.ok(!hasValidMod37_2Check('g1234'));
  });

  it('detects any single-character substitution', () => {
    fc.assert(
      fc.property(dataString, fc.nat(), fc.constantFrom(...DATA_ALPHABET), (data, at, replacement) => {
        const position = at % data.length;
        fc.pre(data[position] !== replacement);
        const changed = data.slice(0, position) + replacement + data.slice(position + 1);
        assert.notEqual(mod37_2CheckCharacter(changed), mod37_2CheckCharacter(data));
        assert.ok(!hasValidMod37_2Check(changed + mod37_2CheckCharacter(data)));
      }),
      { numRuns: 2000 },
    );
  });

  it('detects any transposition of two adjacent different characters, including the check character', () => {
    fc.assert(
      fc.property(dataString, fc.nat(), (data, at) => {
        const protectedText = data + mod37_2CheckCharacter(data);
        const position = at % (protectedText.length - 1);
        const a = protectedText.charAt(position);
        const b = protectedText.charAt(position + 1);
        fc.pre(a !== b);
        const swapped = protectedText.slice(0, position) + b + a + protectedText.slice(position + 2);
        assert.ok(!hasValidMod37_2Check(swapped), `${protectedText} → ${swapped} went unnoticed`);
      }),
      { numRuns: 2000 },
    );
  });
});
