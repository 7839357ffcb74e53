import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { formatChainOfIdentity } from '../identity/chain-of-identity.ts';
import { formatDonationIdentificationNumber } from '../identity/donation-identification-number.ts';
import { code128Modules, code128Png, dataMatrixModules, dataMatrixPng, pngSize } from './barcodes.ts';
import { type BagLabel, renderBagLabelPdf, renderShipperLabelPdf, type ShipperLabel } from './label-pdf.ts';

function textOf(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8');
}

/**
 * Rasterises the label at 600 dpi (as a printer would) and looks for a pixel row whose bars, read
 * as a scanner reads them (run lengths divided by the narrowest module), are exactly the Code 128
 * encoding of `text`. No bar-code decoder is available offline; this proves the printed bars are
 * bwip-js's encoding of that text, with quiet zones, at a printable module width.
 */
function printedCode128Rows(pdf: Buffer, text: string): number {
  const expected = code128Modules(text).join(',');
  const dir = mkdtempSync(path.join(tmpdir(), 'cellway-label-'));
  try {
    writeFileSync(path.join(dir, 'label.pdf'), pdf);
    execFileSync('pdftoppm', [
      '-gray',
      '-r',
      '600',
      '-singlefile',
      path.join(dir, 'label.pdf'),
      path.join(dir, 'page'),
    ]);
    const image = readFileSync(path.join(dir, 'page.pgm'));
    const header = image
      .subarray(0, 20)
      .toString('latin1')
      .match(/^P5\s+(\d+)\s+(\d+)\s+255\s/);
    assert.ok(header, 'pdftoppm wrote a binary PGM');
    const [width, height, offset] = [Number(header[1]), Number(header[2]), header[0].length];
    let matches = 0;
    for (let row = 0; row < height; row += 4) {
      const pixels = image.subarray(offset + row * width, offset + (row + 1) * width);
      // Runs of dark/light pixels between the first and last dark pixel left of the DataMatrix column.
      const limit = Math.floor(width * 0.76);
      const runs: number[] = [];
      let current = -1;
      for (let x = 0; x < limit; x++) {
        const dark = (pixels[x] ?? 255) < 128 ? 1 : 0;
        if (runs.length === 0 && !dark) continue;
        if (dark === current) runs[runs.length - 1] = (runs[runs.length - 1] ?? 0) + 1;
        else {
          runs.push(1);
          current = dark;
        }
      }
      if (current === 0) runs.pop();
      if (runs.length < 20) continue;
      const module = Math.min(...runs);
      if (runs.map((run) => Math.round(run / module)).join(',') === expected) matches++;
    }
    return matches;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const coi = formatChainOfIdentity({ facility: 'W9999', year: 2026, sequence: 42 });
const din = formatDonationIdentificationNumber({ facility: 'G1234', year: 98, sequence: 654321 });

const bag: BagLabel = {
  chainOfIdentity: coi,
  donationNumber: din,
  productType: 'Apheresis collection (leukapheresis)',
  unitNumber: '1 of 2',
  collectedAt: '2026-11-22T09:30:00Z',
  expiresAt: '2026-11-24T09:30:00Z',
  storageCondition: 'Vapour-phase liquid nitrogen, ≤ −150 °C',
  volume: '180 mL',
  facility: { id: 'W9999', name: 'Demo Apheresis Centre' },
  timeZone: 'Europe/Berlin',
  printedAt: '2026-11-22T14:05:00Z',
};

const shipper: ShipperLabel = {
  chainOfIdentity: coi,
  donationNumber: din,
  shipperId: 'SHP-00042',
  shipperQualification: 'Qualified until 2027-03-01',
  contents: '1 bag, apheresis collection',
  from: { name: 'Demo Apheresis Centre', lines: ['1 Hospital Road', 'Berlin'] },
  to: { name: 'Cell Manufacturing Site', lines: ['22 Industrial Way', 'Leiden'] },
  shippedAt: '2026-11-22T11:00:00Z',
  dataLoggerId: 'LOG-7781',
  storageCondition: 'Dry shipper, ≤ −150 °C',
  facility: { id: 'W9999', name: 'Demo Apheresis Centre' },
  timeZone: 'Europe/Berlin',
  printedAt: '2026-11-22T14:05:00Z',
};

describe('bag and shipper labels', () => {
  it('bar-code images are real PNGs for the identifiers', async () => {
    const linear = pngSize(await code128Png('=G12349865432177'));
    const matrix = pngSize(await dataMatrixPng(coi));
    assert.ok(linear && linear.width > linear.height, 'Code 128 is a wide PNG');
    assert.ok(matrix && matrix.width === matrix.height, 'DataMatrix is a square PNG');
    await assert.rejects(code128Png(''), 'an empty bar code is refused');
    const rows = dataMatrixModules(coi);
    // DataMatrix finder pattern: solid left column and bottom row, so the symbol is drawn upright.
    assert.ok(rows.every((row) => row[0]));
    assert.ok(rows[rows.length - 1]?.every(Boolean));
  });

  it('a bag label shows every human-readable field, in site-local time, with four bar codes', async () => {
    const pdf = await renderBagLabelPdf(bag);
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    const text = textOf(pdf);
    for (const expected of [
      'W9999 26 000042',
      'G1234 98 654321 H',
      'Apheresis collection',
      '1 of 2',
      '2026-11-22 10:30',
      '2026-11-24 10:30',
      'Vapour-phase liquid nitrogen',
      '<= -150 °C',
      '180 mL',
      'Demo Apheresis',
      'FOR AUTOLOGOUS USE ONLY',
    ]) {
      assert.ok(text.includes(expected), `label shows "${expected}"\n${text}`);
    }
    assert.ok(!text.includes('REPRINT'), 'an original print is not marked as a reprint');
    assert.ok(!text.includes('PATIENT'), 'no patient fields unless the caller passes them');
    assert.ok(printedCode128Rows(pdf, coi) > 10, 'the printed COI bars are its Code 128 encoding');
    const neighbour = formatChainOfIdentity({ facility: 'W9999', year: 2026, sequence: 43 });
    assert.equal(printedCode128Rows(pdf, neighbour), 0, 'and not the encoding of the next identifier');
    assert.ok(
      printedCode128Rows(pdf, '=G12349865432177') > 10,
      'the printed DIN bars carry "=", DIN and check flag',
    );
  });

  it('shows patient initials and date of birth only when given, and marks reprints', async () => {
    const text = textOf(
      await renderBagLabelPdf({
        ...bag,
        patient: { initials: 'J.D.', dateOfBirth: '1978-04-12' },
        reprint: 2,
      }),
    );
    assert.match(text, /J\.D\.\s+DOB 1978-04-12/);
    assert.match(text, /REPRINT 2/);
  });

  it('renders the same bytes for the same label (reprints compare byte for byte)', async () => {
    assert.ok((await renderBagLabelPdf(bag)).equals(await renderBagLabelPdf(bag)));
  });

  it('refuses a label whose DIN fails its check character', async () => {
    await assert.rejects(
      renderBagLabelPdf({ ...bag, donationNumber: 'G123498654321K' }),
      /should be H, got K/,
    );
  });

  it('a shipper label shows destination, identifiers, shipper and condition', async () => {
    const pdf = await renderShipperLabelPdf({ ...shipper, reprint: 1 });
    const text = textOf(pdf);
    for (const expected of [
      'Cell Manufacturing Site',
      '22 Industrial Way',
      'Demo Apheresis Centre',
      'W9999 26 000042',
      'G1234 98 654321 H',
      'SHP-00042',
      'Qualified until 2027-03-01',
      'LOG-7781',
      '2026-11-22 12:00',
      'REPRINT 1',
      'FOR AUTOLOGOUS USE ONLY',
    ]) {
      assert.ok(text.includes(expected), `shipper label shows "${expected}"\n${text}`);
    }
    assert.ok(printedCode128Rows(pdf, 'SHP-00042') > 10, 'the shipper id is bar-coded');
    assert.ok(printedCode128Rows(pdf, coi) > 10, 'the chain of identity is bar-coded');
  });
});
