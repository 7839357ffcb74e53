import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { displayChainOfIdentityText } from '../identity/chain-of-identity.ts';
import { exampleDossierModel } from './dossier-example.ts';
import { dossierEvents, renderDossierPdf } from './dossier-pdf.ts';

function pagesOf(pdf: Buffer): string[] {
  // pdftotext separates pages with a form feed.
  return execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf, maxBuffer: 64 << 20 })
    .toString('utf8')
    .split('\f')
    .slice(0, -1);
}

describe('inspection dossier PDF', () => {
  it('has a title page with the case, chain of identity, key and checkpoint, and "page X of Y" on every page', async () => {
    const model = exampleDossierModel();
    const pages = pagesOf(await renderDossierPdf(model));
    const title = pages[0] ?? '';
    assert.match(title, /Chain of identity and custody record/);
    assert.ok(title.includes(displayChainOfIdentityText(model.chainOfIdentity)));
    assert.match(title, /CW-2026-0042/);
    assert.match(title, /Jana Dole.alov/, 'patient identifiers for an entitled reader');
    assert.ok(title.includes(model.installationKeyId));
    assert.match(title, /tree size 1284/);
    assert.match(title, /Hand-offs\s+3 \(0 not completed, 1 with a temperature excursion\)/);
    pages.forEach((page, index) => {
      assert.match(page, new RegExp(`page ${index + 1} of ${pages.length}`));
      assert.match(page, /Case CW-2026-0042 - COI W9999 26 000042 \S - generated 2026-12-03 09:15 UTC/);
    });
  });

  it('withholds patient identifiers when the model has none', async () => {
    const text = pagesOf(await renderDossierPdf(exampleDossierModel({ hideIdentifiers: true }))).join('\n');
    assert.doesNotMatch(text, /Dole/);
    assert.match(text, /identifiers withheld/);
  });

  it('shows every hand-off with condition and scans, and every signature with its full manifestation', async () => {
    const text = pagesOf(await renderDossierPdf(exampleDossierModel())).join('\n');
    for (const expected of [
      /ColdPath courier Ali Demir\s+->\s+Manufacturing intake Sanne de Vries/,
      /104 readings, min 2\.9 °C, max 9\.4 °C; accepted \+2 to \+8 °C/,
      /2026-11-22 16:10 UTC to 2026-11-22 16:34 UTC: reached 9\.4 °C \(above \+8 °C\)/,
      /LOG-7781_2026-11-22\.csv/,
      /5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8/,
      /SHP-00042 - qualification: qualified until 2027-03-01/,
      /Seal intact\s+yes/,
      /Released by QA: Dr\. Hannah Brandt/,
      /Printed name\s+Dr\. Hannah Brandt/,
      /Signed \(UTC\)\s+2026-11-29 14:00 UTC/,
      /Signed \(site local\)\s+2026-11-29 15:00 CET/,
      /Record hash\s+d7f3e7f3/,
      /HARD STOP: infusion not permitted/,
      /MISMATCH/,
      /Bag label, REPRINT 1/,
      /Label smudged during handling/,
      /Deviation: temperature excursion/,
      /0003ab01ab01… \(entry 00030000 custody:W999926000042\S #3\)/,
      /cellway ledger verify --file cellway-dossier-CW-2026-0042\.ndjson/,
    ]) {
      assert.match(text, expected);
    }
  });

  it('lists the events in time order, each with the page it is really on', async () => {
    const model = exampleDossierModel({ extraHandOffs: 60 });
    const pages = pagesOf(await renderDossierPdf(model));
    const events = dossierEvents(model);
    const times = events.map((event) => Date.parse(event.at));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    const index = pages
      .slice(1)
      .filter((page) => /Index of events/.test(page))
      .join('\n');
    const listed = [...index.matchAll(/^\s*(\d{4}-\d{2}-\d{2} \d{2}:\d{2})\s+(.+?)\s+(\d+)\s*$/gm)];
    assert.equal(listed.length, events.length, 'one index row per event');
    for (const [, time, summary, page] of listed) {
      const heading = (summary as string).split(':')[0] as string;
      const onPage = pages[Number(page) - 1] ?? '';
      assert.ok(onPage.toUpperCase().includes(heading.toUpperCase()), `"${summary}" is on page ${page}`);
      assert.ok(onPage.includes(`${time} UTC`), `the event of ${time} is on page ${page}`);
    }
    assert.match(pages.at(-1) ?? '', /Verifying this record/);
  });

  it('renders the same bytes for the same model', async () => {
    const model = exampleDossierModel();
    assert.ok((await renderDossierPdf(model)).equals(await renderDossierPdf(model)));
  });
});
