import PDFDocument from 'pdfkit';
import { displayChainOfIdentityText } from '../identity/chain-of-identity.ts';
import { localText, pdfText, shortHash, utcAndLocalText, utcText } from '../labels/pdf-text.ts';
import type {
  DossierBedsideVerification,
  DossierDeviation,
  DossierHandOff,
  DossierLabelPrint,
  DossierLedgerRef,
  DossierModel,
  DossierSignature,
} from './dossier-model.ts';

/**
 * The inspection dossier as a PDF: a title page with the case, its chain of identity and a summary,
 * an index of every event with the page it is on, then the chronological record (each hand-off with
 * its condition data and scans, each signature with its full manifestation, bedside verifications,
 * deviations and label prints), and how to verify the machine-readable file. Every page carries the
 * case reference, the generation time and "page X of Y". Same model, same bytes.
 */

type Doc = PDFKit.PDFDocument;

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 50;
const FOOTER_SPACE = 30;
const CONTENT_WIDTH = A4[0] - 2 * MARGIN;
const BOTTOM = A4[1] - MARGIN - FOOTER_SPACE;
const GREY = '#555555';
const LIGHT = '#eeeeee';
const RED = '#b00020';
const GREEN = '#1b6e20';

type EventKind = 'Hand-off' | 'Signature' | 'Bedside verification' | 'Deviation' | 'Label print';

type DossierEvent = {
  at: string;
  kind: EventKind;
  id: string;
  summary: string;
  /** Draws the event's block at the current position. */
  render: (doc: Doc) => void;
  alert: boolean;
  /** Roughly how tall the block is, so a short block is not split across pages. */
  height: number;
};

const KIND_ORDER: EventKind[] = ['Hand-off', 'Signature', 'Bedside verification', 'Deviation', 'Label print'];

function t(value: string): string {
  return pdfText(value);
}

function ensureSpace(doc: Doc, height: number): void {
  if (doc.y + height > BOTTOM) doc.addPage();
}

function sectionHeading(doc: Doc, text: string): void {
  ensureSpace(doc, 60);
  doc.moveDown(0.6);
  doc
    .font('Helvetica-Bold')
    .fontSize(15)
    .fillColor('black')
    .text(t(text), MARGIN, doc.y, { width: CONTENT_WIDTH });
  const y = doc.y + 2;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.8)
    .strokeColor('black')
    .stroke();
  doc.y = y + 8;
}

/** Label on the left, value wrapping on the right; the row starts on a new page if it would not fit. */
function field(
  doc: Doc,
  label: string,
  value: string,
  options: { color?: string; mono?: boolean } = {},
): void {
  const labelWidth = 130;
  const valueWidth = CONTENT_WIDTH - labelWidth - 10;
  const font = options.mono ? 'Courier' : 'Helvetica';
  doc.font(font).fontSize(9);
  const height = Math.max(doc.heightOfString(t(value), { width: valueWidth }), 11);
  ensureSpace(doc, height + 3);
  const y = doc.y;
  doc
    .font('Helvetica')
    .fontSize(8.5)
    .fillColor(GREY)
    .text(t(label), MARGIN + 8, y + 0.5, { width: labelWidth - 8 });
  doc
    .font(font)
    .fontSize(9)
    .fillColor(options.color ?? 'black')
    .text(t(value), MARGIN + labelWidth, y, { width: valueWidth });
  doc.fillColor('black');
  doc.y = y + height + 3;
}

type Column = { header: string; width: number; mono?: boolean };

/** A simple ruled table; the header row repeats after a page break. `colorOf` may colour a cell. */
function table(
  doc: Doc,
  columns: Column[],
  rows: string[][],
  colorOf: (row: number, column: number) => string | undefined = () => undefined,
): void {
  const x0 = MARGIN + 8;
  const drawHeader = () => {
    let x = x0;
    const y = doc.y;
    doc
      .rect(
        x0,
        y,
        columns.reduce((s, c) => s + c.width, 0),
        13,
      )
      .fill(LIGHT);
    doc.fillColor('black').font('Helvetica-Bold').fontSize(7.5);
    for (const column of columns) {
      doc.text(t(column.header), x + 3, y + 3, { width: column.width - 6, lineBreak: false });
      x += column.width;
    }
    doc.y = y + 15;
  };
  ensureSpace(doc, 30);
  drawHeader();
  rows.forEach((row, r) => {
    const height =
      Math.max(
        ...row.map((cell, c) => {
          const column = columns[c] as Column;
          doc.font(column.mono ? 'Courier' : 'Helvetica').fontSize(8);
          return doc.heightOfString(t(cell), { width: column.width - 6 });
        }),
      ) + 4;
    if (doc.y + height > BOTTOM) {
      doc.addPage();
      drawHeader();
    }
    const y = doc.y;
    let x = x0;
    row.forEach((cell, c) => {
      const column = columns[c] as Column;
      doc
        .font(column.mono ? 'Courier' : 'Helvetica')
        .fontSize(8)
        .fillColor(colorOf(r, c) ?? 'black')
        .text(t(cell), x + 3, y + 2, { width: column.width - 6 });
      x += column.width;
    });
    doc.fillColor('black');
    doc
      .moveTo(x0, y + height)
      .lineTo(x0 + columns.reduce((s, c) => s + c.width, 0), y + height)
      .lineWidth(0.3)
      .strokeColor('#bbbbbb')
      .stroke();
    doc.y = y + height + 1;
  });
  doc.moveDown(0.3);
}

function ledgerText(refs: DossierLedgerRef[]): string {
  if (refs.length === 0) return 'none recorded';
  return refs
    .map((ref) => {
      const where = ref.stream ? ` ${ref.stream}${ref.seq ? ` #${ref.seq}` : ''}` : '';
      return `${shortHash(ref.hash)} (entry ${ref.entryId.slice(0, 8)}${where})`;
    })
    .join('\n');
}

function yesNo(value: boolean | undefined): string {
  return value === undefined ? 'not recorded' : value ? 'yes' : 'NO';
}

/** The grey bar that opens each event: time, kind, site. */
function eventHeader(doc: Doc, event: DossierEvent, when: string, title: string): void {
  ensureSpace(doc, 70);
  doc.moveDown(0.4);
  const y = doc.y;
  doc.rect(MARGIN, y, CONTENT_WIDTH, 16).fill(event.alert ? '#fbe9ec' : LIGHT);
  doc
    .fillColor(event.alert ? RED : 'black')
    .font('Helvetica-Bold')
    .fontSize(8.5)
    .text(t(event.kind.toUpperCase()), MARGIN + 6, y + 4.5, { width: 120, lineBreak: false });
  doc
    .fillColor('black')
    .font('Helvetica')
    .fontSize(8.5)
    .text(t(when), MARGIN + 130, y + 4.5, { width: CONTENT_WIDTH - 136, align: 'right', lineBreak: false });
  doc.y = y + 20;
  doc
    .font('Helvetica-Bold')
    .fontSize(10.5)
    .fillColor('black')
    .text(t(title), MARGIN + 8, doc.y, {
      width: CONTENT_WIDTH - 16,
    });
  doc.moveDown(0.25);
}

function handOffEvent(handOff: DossierHandOff): DossierEvent {
  const temperature = handOff.condition.temperature;
  const scanMismatch = handOff.scans.some((scan) => !scan.matched);
  const excursion = (temperature?.excursions.length ?? 0) > 0;
  const sealBroken = handOff.condition.sealIntact === false;
  const event: DossierEvent = {
    at: handOff.occurredAt,
    kind: 'Hand-off',
    id: handOff.id,
    summary: `${handOff.fromCustodian} -> ${handOff.toCustodian} at ${handOff.site.name} (${handOff.status})`,
    alert: scanMismatch || excursion || sealBroken,
    height:
      150 +
      14 * (handOff.scans.length + handOff.items.length + handOff.ledger.length) +
      (handOff.condition.dataLogger ? 30 : 0),
    render: (doc) => {
      eventHeader(
        doc,
        event,
        `${utcAndLocalText(handOff.occurredAt, handOff.site.timeZone)} - ${handOff.site.name}`,
        `${handOff.fromCustodian}  ->  ${handOff.toCustodian}`,
      );
      field(doc, 'Status', handOff.status, {
        color: handOff.status.startsWith('completed') ? undefined : RED,
      });
      field(doc, 'Units handed over', handOff.items.join('\n') || 'none listed');
      if (temperature) {
        const range = temperature.acceptedRange ? `; accepted ${temperature.acceptedRange}` : '';
        field(
          doc,
          'Temperature',
          `${temperature.readings} readings, min ${temperature.minC} °C, max ${temperature.maxC} °C${range}`,
        );
        field(
          doc,
          'Excursions',
          excursion
            ? temperature.excursions
                .map((x) => `${utcText(x.from)} to ${utcText(x.to)}: reached ${x.extremeC} °C (${x.limit})`)
                .join('\n')
            : 'none',
          { color: excursion ? RED : undefined },
        );
      } else {
        field(doc, 'Temperature', 'no readings recorded');
      }
      const logger = handOff.condition.dataLogger;
      if (logger)
        field(doc, 'Data-logger file', `${logger.fileName}\nSHA-256 ${logger.sha256}`, { mono: true });
      const shipper = handOff.condition.shipper;
      if (shipper) field(doc, 'Shipper', `${shipper.id} - qualification: ${shipper.qualificationStatus}`);
      field(doc, 'Seal intact', yesNo(handOff.condition.sealIntact), { color: sealBroken ? RED : undefined });
      if (handOff.scans.length > 0) {
        table(
          doc,
          [
            { header: 'Identifier scanned', width: 120 },
            { header: 'Expected', width: 140, mono: true },
            { header: 'Scanned', width: 140, mono: true },
            { header: 'Match', width: 70 },
          ],
          handOff.scans.map((scan) => [
            scan.label,
            scan.expected,
            scan.scanned,
            scan.matched ? 'yes' : 'NO MATCH',
          ]),
          (row, column) => (column === 3 && !handOff.scans[row]?.matched ? RED : undefined),
        );
      } else {
        field(doc, 'Scans', 'none recorded');
      }
      field(doc, 'Ledger', ledgerText(handOff.ledger), { mono: true });
    },
  };
  return event;
}

function signatureEvent(signature: DossierSignature): DossierEvent {
  const event: DossierEvent = {
    at: signature.signedAt,
    kind: 'Signature',
    id: signature.id,
    summary: `${signature.meaning}: ${signature.printedName}`,
    alert: false,
    height: 150 + 14 * signature.ledger.length,
    render: (doc) => {
      eventHeader(
        doc,
        event,
        `${utcAndLocalText(signature.signedAt, signature.site?.timeZone)}${signature.site ? ` - ${signature.site.name}` : ''}`,
        `${signature.meaning}: ${signature.printedName}`,
      );
      field(doc, 'Printed name', signature.printedName);
      if (signature.role) field(doc, 'Role', signature.role);
      field(doc, 'Meaning', signature.meaning);
      field(doc, 'Signed (UTC)', utcText(signature.signedAt));
      if (signature.site?.timeZone)
        field(doc, 'Signed (site local)', localText(signature.signedAt, signature.site.timeZone));
      field(doc, 'Record signed', `${signature.recordType} ${signature.recordId}`);
      field(doc, 'Record hash', signature.recordHash, { mono: true });
      field(doc, 'Ledger', ledgerText(signature.ledger), { mono: true });
    },
  };
  return event;
}

function bedsideEvent(verification: DossierBedsideVerification): DossierEvent {
  const stop = verification.result === 'stop';
  const event: DossierEvent = {
    at: verification.occurredAt,
    kind: 'Bedside verification',
    id: verification.id,
    summary: `${stop ? 'STOP' : 'PASS'} by ${verification.performedBy}`,
    alert: stop,
    height: 110 + 15 * verification.checks.length + 14 * verification.ledger.length,
    render: (doc) => {
      eventHeader(
        doc,
        event,
        `${utcAndLocalText(verification.occurredAt, verification.site.timeZone)} - ${verification.site.name}`,
        stop ? 'HARD STOP: infusion not permitted' : 'PASS: identity, expiry and release confirmed',
      );
      field(doc, 'Result', stop ? 'STOP' : 'PASS', { color: stop ? RED : GREEN });
      field(doc, 'Performed by', verification.performedBy);
      table(
        doc,
        [
          { header: 'Check', width: 130 },
          { header: 'Expected', width: 130, mono: true },
          { header: 'Scanned / entered', width: 130, mono: true },
          { header: 'Result', width: 80 },
        ],
        verification.checks.map((check) => [
          check.label,
          check.expected ?? '',
          check.scanned ?? '',
          check.matched ? 'match' : 'MISMATCH',
        ]),
        (row, column) => (column === 3 && !verification.checks[row]?.matched ? RED : undefined),
      );
      field(doc, 'Ledger', ledgerText(verification.ledger), { mono: true });
    },
  };
  return event;
}

function deviationEvent(deviation: DossierDeviation): DossierEvent {
  const event: DossierEvent = {
    at: deviation.openedAt,
    kind: 'Deviation',
    id: deviation.id,
    summary: `${deviation.kind} (${deviation.status})`,
    alert: true,
    height: 120 + 14 * deviation.ledger.length,
    render: (doc) => {
      eventHeader(
        doc,
        event,
        `${utcAndLocalText(deviation.openedAt, deviation.site?.timeZone)}${deviation.site ? ` - ${deviation.site.name}` : ''}`,
        `Deviation: ${deviation.kind}`,
      );
      field(doc, 'Description', deviation.description);
      field(doc, 'Status', deviation.status);
      if (deviation.resolvedAt)
        field(doc, 'Resolved', utcAndLocalText(deviation.resolvedAt, deviation.site?.timeZone));
      if (deviation.resolution) field(doc, 'Resolution', deviation.resolution);
      field(doc, 'Ledger', ledgerText(deviation.ledger), { mono: true });
    },
  };
  return event;
}

function labelEvent(print: DossierLabelPrint): DossierEvent {
  const kind = print.reprint > 0 ? `REPRINT ${print.reprint}` : 'original print';
  const event: DossierEvent = {
    at: print.printedAt,
    kind: 'Label print',
    id: print.id,
    summary: `${print.labelType} label, ${kind}: ${print.subject}`,
    alert: false,
    height: 80 + 14 * print.ledger.length,
    render: (doc) => {
      eventHeader(
        doc,
        event,
        `${utcAndLocalText(print.printedAt, print.site?.timeZone)}${print.site ? ` - ${print.site.name}` : ''}`,
        `${print.labelType === 'bag' ? 'Bag' : 'Shipper'} label, ${kind}`,
      );
      field(doc, 'For', print.subject);
      field(doc, 'Printed by', print.printedBy);
      if (print.reason) field(doc, 'Reason', print.reason);
      field(doc, 'Ledger', ledgerText(print.ledger), { mono: true });
    },
  };
  return event;
}

/** Every event in time order; ties are broken by kind and id so the order never depends on input order. */
export function dossierEvents(model: DossierModel): DossierEvent[] {
  const events = [
    ...model.handOffs.map(handOffEvent),
    ...model.signatures.map(signatureEvent),
    ...model.bedsideVerifications.map(bedsideEvent),
    ...model.deviations.map(deviationEvent),
    ...model.labelPrints.map(labelEvent),
  ];
  return events.sort(
    (a, b) =>
      Date.parse(a.at) - Date.parse(b.at) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function titlePage(doc: Doc, model: DossierModel): void {
  doc.font('Helvetica').fontSize(9).fillColor(GREY).text('CELLWAY - INSPECTION DOSSIER', MARGIN, MARGIN);
  doc.moveDown(0.8);
  doc.font('Helvetica-Bold').fontSize(22).fillColor('black').text('Chain of identity and custody record', {
    width: CONTENT_WIDTH,
  });
  doc.moveDown(0.3);
  doc
    .font('Helvetica')
    .fontSize(12)
    .text(
      t(
        `Case ${model.caseReference} - ${model.therapy.name}${model.therapy.version ? ` (version ${model.therapy.version})` : ''}`,
      ),
    );
  doc.moveDown(1);
  doc.font('Helvetica').fontSize(8.5).fillColor(GREY).text('CHAIN OF IDENTITY');
  doc
    .font('Courier-Bold')
    .fontSize(24)
    .fillColor('black')
    .text(t(displayChainOfIdentityText(model.chainOfIdentity)));
  doc.moveDown(0.8);
  field(doc, 'Case', `${model.caseReference} (id ${model.caseId})`);
  if (model.patient && model.patient.identifiers.length > 0) {
    for (const identifier of model.patient.identifiers)
      field(doc, `Patient ${identifier.label}`, identifier.value);
  } else {
    field(doc, 'Patient', 'identifiers withheld: the reader of this copy is not entitled to see them', {
      color: GREY,
    });
  }
  field(doc, 'Generated', utcText(model.generatedAt));
  field(
    doc,
    'Generated by',
    `${model.generatedBy.name}${model.generatedBy.role ? ` (${model.generatedBy.role})` : ''}`,
  );
  field(doc, 'Installation key', model.installationKeyId, { mono: true });
  if (model.checkpoint) {
    field(
      doc,
      'Signed checkpoint',
      `tree size ${model.checkpoint.treeSize}, root ${model.checkpoint.rootHash}, issued ${utcText(model.checkpoint.issuedAt)}`,
      { mono: true },
    );
  }
  if (model.ledgerFileName) field(doc, 'Machine-readable file', model.ledgerFileName, { mono: true });
}

function summary(doc: Doc, model: DossierModel): void {
  sectionHeading(doc, 'Summary');
  const blockedHandOffs = model.handOffs.filter((h) => !h.status.startsWith('completed')).length;
  const excursions = model.handOffs.filter(
    (h) => (h.condition.temperature?.excursions.length ?? 0) > 0,
  ).length;
  const stops = model.bedsideVerifications.filter((b) => b.result === 'stop').length;
  const openDeviations = model.deviations.filter((d) => !/^(closed|resolved)/i.test(d.status)).length;
  const reprints = model.labelPrints.filter((l) => l.reprint > 0).length;
  const rows: Array<[string, string, boolean]> = [
    [
      'Hand-offs',
      `${model.handOffs.length} (${blockedHandOffs} not completed, ${excursions} with a temperature excursion)`,
      blockedHandOffs + excursions > 0,
    ],
    ['Electronic signatures', `${model.signatures.length}`, false],
    ['Bedside verifications', `${model.bedsideVerifications.length} (${stops} hard stops)`, stops > 0],
    ['Deviations', `${model.deviations.length} (${openDeviations} open)`, openDeviations > 0],
    ['Label prints', `${model.labelPrints.length} (${reprints} reprints)`, false],
  ];
  for (const [label, value, alert] of rows) field(doc, label, value, { color: alert ? RED : undefined });
}

const INDEX_ROW = 13;

function indexRowsPerPage(firstPageTop: number): { first: number; rest: number } {
  const header = 50;
  return {
    first: Math.floor((BOTTOM - firstPageTop - header) / INDEX_ROW),
    rest: Math.floor((BOTTOM - MARGIN - header) / INDEX_ROW),
  };
}

/** Fills the index pages reserved earlier, now that every event's page is known. */
function fillIndex(
  doc: Doc,
  events: DossierEvent[],
  pages: number[],
  firstIndexPage: number,
  capacity: { first: number; rest: number },
): void {
  let page = firstIndexPage;
  let row = 0;
  let limit = capacity.first;
  const start = (title: string) => {
    doc.switchToPage(page);
    doc.y = MARGIN;
    sectionHeading(doc, title);
    const y = doc.y;
    doc.font('Helvetica-Bold').fontSize(8).fillColor(GREY);
    doc.text('TIME (UTC)', MARGIN + 8, y, { lineBreak: false });
    doc.text('EVENT', MARGIN + 110, y, { lineBreak: false });
    doc.text('PAGE', MARGIN + CONTENT_WIDTH - 30, y, { width: 30, align: 'right', lineBreak: false });
    doc.y = y + 14;
  };
  start('Index of events (in time order)');
  if (events.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .fillColor('black')
      .text('No custody events are recorded for this case.', MARGIN + 8);
    return;
  }
  events.forEach((event, index) => {
    if (row === limit) {
      page++;
      row = 0;
      limit = capacity.rest;
      start('Index of events (continued)');
    }
    const y = doc.y;
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor(event.alert ? RED : 'black');
    doc.text(t(utcText(event.at).replace(' UTC', '')), MARGIN + 8, y, { lineBreak: false });
    doc.text(t(`${event.kind}: ${event.summary}`), MARGIN + 110, y, {
      width: CONTENT_WIDTH - 160,
      height: INDEX_ROW,
      ellipsis: true,
      lineBreak: false,
    });
    doc.text(String((pages[index] ?? 0) + 1), MARGIN + CONTENT_WIDTH - 30, y, {
      width: 30,
      align: 'right',
      lineBreak: false,
    });
    doc.y = y + INDEX_ROW;
    row++;
  });
  doc.fillColor('black');
}

function verificationSection(doc: Doc, model: DossierModel): void {
  sectionHeading(doc, 'Verifying this record');
  doc.font('Helvetica').fontSize(9).fillColor('black');
  const file = model.ledgerFileName ?? 'the dossier file delivered with this PDF';
  doc.text(
    t(
      `Every event above names the ledger entries behind it (short SHA-256 hash and entry id). ${file} holds those entries with their RFC 9162 inclusion proofs against the checkpoint signed by installation key ${model.installationKeyId}. It can be checked offline, without access to Cellway:`,
    ),
    MARGIN,
    doc.y,
    { width: CONTENT_WIDTH },
  );
  doc.moveDown(0.5);
  doc
    .font('Courier')
    .fontSize(9)
    .text(t(`cellway ledger verify --file ${file} --public-key installation-key.pem`), MARGIN + 12);
  doc.moveDown(0.5);
  doc
    .font('Helvetica')
    .fontSize(9)
    .text(
      'Verification recomputes every entry hash, checks each stream is complete and correctly chained from its first entry, checks each inclusion proof against the signed root and the checkpoint and file signatures against the installation key. Changing any byte of the file makes it fail.',
      MARGIN,
      doc.y,
      { width: CONTENT_WIDTH },
    );
}

function footers(doc: Doc, model: DossierModel): void {
  const range = doc.bufferedPageRange();
  for (let index = range.start; index < range.start + range.count; index++) {
    doc.switchToPage(index);
    // Writing inside the bottom margin would otherwise make pdfkit start a new page.
    const margins = doc.page.margins;
    doc.page.margins = { ...margins, bottom: 0 };
    const y = A4[1] - MARGIN + 8;
    doc
      .moveTo(MARGIN, y - 6)
      .lineTo(MARGIN + CONTENT_WIDTH, y - 6)
      .lineWidth(0.4)
      .strokeColor('#999999')
      .stroke();
    doc
      .font('Helvetica')
      .fontSize(7.5)
      .fillColor(GREY)
      .text(
        t(
          `Case ${model.caseReference} - COI ${displayChainOfIdentityText(model.chainOfIdentity)} - generated ${utcText(model.generatedAt)}`,
        ),
        MARGIN,
        y,
        { width: CONTENT_WIDTH - 80, lineBreak: false },
      )
      .text(`page ${index + 1} of ${range.count}`, MARGIN + CONTENT_WIDTH - 80, y, {
        width: 80,
        align: 'right',
        lineBreak: false,
      });
    doc.page.margins = margins;
  }
  doc.fillColor('black');
}

/** Renders the dossier; deterministic for the same model (the PDF dates come from generatedAt). */
export function renderDossierPdf(model: DossierModel): Promise<Buffer> {
  const generated = new Date(model.generatedAt);
  const doc = new PDFDocument({
    size: A4,
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER_SPACE },
    bufferPages: true,
    info: {
      Title: `Inspection dossier ${model.caseReference}`,
      Subject: `Chain of identity ${model.chainOfIdentity}`,
      Creator: 'Cellway',
      Producer: 'Cellway',
      CreationDate: generated,
      ModDate: generated,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  titlePage(doc, model);
  summary(doc, model);
  const events = dossierEvents(model);
  // The index needs each event's page, known only after the record is laid out: reserve its pages.
  doc.addPage();
  const firstIndexPage = doc.bufferedPageRange().count - 1;
  const capacity = indexRowsPerPage(MARGIN + 40);
  const extraPages = Math.max(0, Math.ceil((events.length - capacity.first) / capacity.rest));
  for (let i = 0; i < extraPages; i++) doc.addPage();

  doc.addPage();
  sectionHeading(doc, 'Chronological record');
  const pages: number[] = [];
  if (events.length === 0) {
    doc
      .font('Helvetica')
      .fontSize(9)
      .text('No custody events are recorded for this case.', MARGIN + 8);
  }
  for (const event of events) {
    ensureSpace(doc, Math.min(event.height, BOTTOM - MARGIN - 40));
    pages.push(doc.bufferedPageRange().count - 1);
    event.render(doc);
  }
  verificationSection(doc, model);
  fillIndex(doc, events, pages, firstIndexPage, capacity);
  footers(doc, model);
  doc.end();
  return done;
}
