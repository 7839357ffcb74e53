import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  canonicalDonationNumber,
  displayIsbtIdentifier,
  donationNumberBarcodeText,
  formatDonationIdentificationNumber,
  parseDonationIdentificationNumber,
} from './donation-identification-number.ts';

function reasonOf(text: string): string {
  const parsed = parseDonationIdentificationNumber(text);
  assert.equal(parsed.ok, false, `${text} should be refused`);
  return parsed.ok ? '' : parsed.reason;
}

describe('ISBT 128 donation identification number', () => {
  it('accepts the published example G1234 98 654321 with its check character H in every written form', () => {
    for (const text of ['G1234 98 654321 H', 'G123498654321H', 'g1234 98 654321 h\r\n', '=G12349865432177']) {
      const parsed = parseDonationIdentificationNumber(text);
      assert.deepEqual(parsed, {
        ok: true,
        value: { facility: 'G1234', year: 98, sequence: 654321, check: 'H' },
      });
    }
  });

  it('formats for display, storage and the bar code', () => {
    const parts = { facility: 'G1234', year: 98, sequence: 654321 };
    assert.equal(displayIsbtIdentifier(parts), 'G1234 98 654321 H');
    assert.equal(formatDonationIdentificationNumber(parts), 'G123498654321H');
    assert.equal(donationNumberBarcodeText(parts), '=G12349865432177');
    assert.equal(
      formatDonationIdentificationNumber({ facility: 'W0001', year: 2026, sequence: 1 }).slice(0, 13),
      'W000126000001',
    );
  });

  it('says exactly what is wrong', () => {
    assert.equal(reasonOf('G1234 98 654321 K'), 'check character should be H, got K');
    assert.equal(reasonOf('G1234 98 654321'), 'check character missing (should be H)');
    assert.equal(reasonOf('=G12349865432170'), 'check flag should be 77, got 70');
    assert.match(reasonOf('O1234 98 654321 H'), /must start with a letter A–N or P–Z/);
    assert.match(reasonOf('G12X4 98 654321 H'), /must end with 4 digits/);
    assert.match(reasonOf('G1234 9A 654321 H'), /year must be two digits, got "9A"/);
    assert.match(reasonOf('G1234 98 65432 H'), /sequence number must be six digits/);
    assert.match(reasonOf('G1234 98 000000 H'), /000000 is not issued/);
    assert.match(reasonOf('G1234 98 654321 HH'), /expected 14/);
    assert.match(reasonOf(''), /empty/);
  });

  it('accepts bar-code process flags other than a checksum (00) without a check character', () => {
    assert.equal(parseDonationIdentificationNumber('=G12349865432100').ok, true);
    // A bar-code scan and the eye-readable form compare equal once canonical.
    assert.equal(canonicalDonationNumber(']C0=G12349865432177\r\n'), 'G123498654321H');
    assert.equal(canonicalDonationNumber('G1234 98 654321 H'), 'G123498654321H');
    assert.equal(canonicalDonationNumber('G1234 98 654321 K'), undefined);
  });

  it('round-trips every valid number and refuses every single-character change', () => {
    const facility = fc
      .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNPQRSTUVWXYZ123456789'), fc.integer({ min: 0, max: 9999 }))
      .map(([first, digits]) => `${first}${String(digits).padStart(4, '0')}`);
    fc.assert(
      fc.property(
        facility,
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 999_999 }),
        fc.nat(),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*'),
        (fin, year, sequence, at, replacement) => {
          const text = formatDonationIdentificationNumber({ facility: fin, year, sequence });
          const parsed = parseDonationIdentificationNumber(text);
          assert.ok(parsed.ok);
          assert.deepEqual(
            { ...parsed.value, check: undefined },
            { facility: fin, year, sequence, check: undefined },
          );
          const position = at % text.length;
          fc.pre(text[position] !== replacement);
          const changed = text.slice(0, position) + replacement + text.slice(position + 1);
          assert.equal(parseDonationIdentificationNumber(changed).ok, false, `${text} → ${changed} accepted`);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
