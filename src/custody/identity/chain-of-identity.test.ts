import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CHAIN_OF_IDENTITY_PATTERN,
  canonicalChainOfIdentity,
  chainOfIdentityCheck,
  displayChainOfIdentity,
  displayChainOfIdentityText,
  formatChainOfIdentity,
  normaliseScan,
  parseChainOfIdentity,
} from './chain-of-identity.ts';

// The CAR-T demo template's own pattern: every identifier we issue must pass the template's field check.
const TEMPLATE_PATTERN = /^[A-Z][0-9]{4}[0-9]{2}[0-9]{6}[0-9A-Z*]$/;

const parts = fc.record({
  facility: fc
    .tuple(fc.constantFrom(...'ABCDEFGHIJKLMNPQRSTUVWXYZ'), fc.integer({ min: 0, max: 9999 }))
    .map(([first, digits]) => `${first}${String(digits).padStart(4, '0')}`),
  year: fc.integer({ min: 2000, max: 2099 }),
  sequence: fc.integer({ min: 1, max: 999_999 }),
});

describe('chain of identity', () => {
  it('uses the ISBT 128 check character: G1234, 98, 654321 → G123498654321H', () => {
    assert.equal(chainOfIdentityCheck({ facility: 'G1234', year: 98, sequence: 654321 }), 'H');
    assert.equal(
      formatChainOfIdentity({ facility: 'G1234', year: 2098, sequence: 654321 }),
      'G123498654321H',
    );
    assert.equal(
      displayChainOfIdentity({ facility: 'G1234', year: 98, sequence: 654321 }),
      'G1234 98 654321 H',
    );
    assert.equal(displayChainOfIdentityText('G123498654321H'), 'G1234 98 654321 H');
  });

  it('issues identifiers the CAR-T template accepts, which parse back to the same parts', () => {
    fc.assert(
      fc.property(parts, (p) => {
        const coi = formatChainOfIdentity(p);
        assert.match(coi, TEMPLATE_PATTERN);
        assert.match(coi, CHAIN_OF_IDENTITY_PATTERN);
        assert.deepEqual(parseChainOfIdentity(coi), {
          ok: true,
          value: { facility: p.facility, year: p.year - 2000, sequence: p.sequence, check: coi.slice(-1) },
        });
        assert.equal(canonicalChainOfIdentity(displayChainOfIdentity(p)), coi);
      }),
    );
  });

  it('refuses any single-character change and any adjacent transposition', () => {
    fc.assert(
      fc.property(
        parts,
        fc.nat(),
        fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*'),
        (p, at, other) => {
          const coi = formatChainOfIdentity(p);
          const position = at % coi.length;
          if (coi[position] !== other) {
            const changed = coi.slice(0, position) + other + coi.slice(position + 1);
            assert.equal(parseChainOfIdentity(changed).ok, false, `${coi} → ${changed} accepted`);
          }
          const swapAt = at % (coi.length - 1);
          const [a, b] = [coi.charAt(swapAt), coi.charAt(swapAt + 1)];
          if (a !== b) {
            const swapped = coi.slice(0, swapAt) + b + a + coi.slice(swapAt + 2);
            assert.equal(parseChainOfIdentity(swapped).ok, false, `${coi} → ${swapped} accepted`);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives a specific reason', () => {
    assert.deepEqual(parseChainOfIdentity('G123498654321K'), {
      ok: false,
      reason: 'check character should be H, got K',
    });
    const digitFirst = parseChainOfIdentity('1123498654321H');
    assert.ok(!digitFirst.ok && /must start with a letter A–N or P–Z, got "1"/.test(digitFirst.reason));
    assert.throws(() => formatChainOfIdentity({ facility: 'G1234', year: 1999, sequence: 1 }), /year 1999/);
    assert.throws(
      () => formatChainOfIdentity({ facility: 'G1234', year: 26, sequence: 0 }),
      /sequence number 0/,
    );
    assert.throws(() => formatChainOfIdentity({ facility: 'G12345', year: 26, sequence: 1 }), /5 characters/);
  });

  it('normalises keyboard-wedge scans: AIM prefix, ISBT data identifier, CR/LF, spaces, lower case', () => {
    assert.equal(normaliseScan('G123498654321H\r\n'), 'G123498654321H');
    assert.equal(normaliseScan(']C0=g123498654321h\r'), 'G123498654321H');
    assert.equal(normaliseScan(']d2G1234 98 654321 H\n'), 'G123498654321H');
    assert.equal(normaliseScan('  =<E0869V00\t'), '=<E0869V00');
    assert.equal(canonicalChainOfIdentity(']C0g123498654321h\r\n'), 'G123498654321H');
  });
});

describe('ISBT_FACILITY_ID setting', () => {
  it('defaults to a demo facility that issues valid identifiers, and refuses a malformed one by name', async () => {
    const { ConfigError, loadConfig } = await import('../../platform/config.ts');
    const demo = loadConfig({}).isbtFacilityId;
    assert.match(formatChainOfIdentity({ facility: demo, year: 26, sequence: 1 }), TEMPLATE_PATTERN);
    assert.equal(loadConfig({ ISBT_FACILITY_ID: 'G1234' }).isbtFacilityId, 'G1234');
    assert.throws(
      () => loadConfig({ ISBT_FACILITY_ID: 'O1234' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.setting === 'ISBT_FACILITY_ID' &&
        /must start with a letter A–N or P–Z/.test(error.message),
    );
    assert.throws(() => loadConfig({ ISBT_FACILITY_ID: 'G123' }), /5 characters/);
  });
});
