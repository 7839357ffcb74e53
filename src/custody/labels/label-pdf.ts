import PDFDocument from 'pdfkit';
import { displayChainOfIdentityText } from '../identity/chain-of-identity.ts';
import {
  donationNumberBarcodeText,
  parseDonationIdentificationNumber,
} from '../identity/donation-identification-number.ts';
import { drawCode128, drawDataMatrix } from './barcodes.ts';
import type { BagLabel, LabelAddress, ShipperLabel } from './label-types.ts';
import { localText, pdfText } from './pdf-text.ts';

export type { BagLabel, ShipperLabel } from './label-types.ts';

const MM = 72 / 25.4;
/** ISBT 128 container labels are 100 mm × 100 mm; shipper labels use the common 4 × 6 inch stock. */
const BAG_SIZE: [number, number] = [100 * MM, 100 * MM];
const SHIPPER_SIZE: [number, number] = [4 * 72, 6 * 72];
const MARGIN = 3 * MM;
const GREY = '#444444';

type Doc = PDFKit.PDFDocument;

function newLabel(size: [number, number], title: string, printedAt: Date | string): Doc {
  const created = new Date(printedAt);
  // A fixed CreationDate also fixes the PDF's file ID: the same label renders to the same bytes.
  return new PDFDocument({
    size,
    margin: 0,
    autoFirstPage: true,
    info: { Title: title, Creator: 'Cellway', Producer: 'Cellway', CreationDate: created, ModDate: created },
  });
}

function finish(doc: Doc): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}

function caption(doc: Doc, text: string, x: number, y: number, width?: number): void {
  doc
    .font('Helvetica-Bold')
    .fontSize(5.5)
    .fillColor(GREY)
    .text(pdfText(text.toUpperCase()), x, y, { width, characterSpacing: 0.3, lineBreak: false });
  doc.fillColor('black');
}

/** A caption over a value; returns the height used so fields can stack. */
function field(
  doc: Doc,
  label: string,
  value: string,
  x: number,
  y: number,
  width: number,
  size = 8.5,
): number {
  caption(doc, label, x, y, width);
  doc.font('Helvetica-Bold').fontSize(size).fillColor('black');
  const text = pdfText(value);
  const height = doc.heightOfString(text, { width });
  doc.text(text, x, y + 7, { width });
  return 7 + height + 3;
}

/**
 * One identifier block: caption, eye-readable form, a Code 128 bar code of the scan text (with its
 * quiet zones) and a DataMatrix of the same text for 2D scanners at the bedside.
 */
function identifierBlock(
  doc: Doc,
  options: { label: string; eyeReadable: string; scanText: string; x: number; y: number; width: number },
): number {
  const { x, y, width } = options;
  const matrix = 15 * MM;
  const linearWidth = width - matrix - 4 * MM;
  caption(doc, options.label, x, y);
  doc
    .font('Courier-Bold')
    .fontSize(14)
    .text(pdfText(options.eyeReadable), x, y + 7, { lineBreak: false });
  drawCode128(doc, options.scanText, x, y + 23, linearWidth, 9 * MM);
  drawDataMatrix(doc, options.scanText, x + width - matrix, y + 2, matrix);
  return 23 + 9 * MM + 4;
}

function reprintMark(doc: Doc, reprint: number | undefined, pageWidth: number): void {
  if (!reprint || reprint < 1) return;
  const text = `REPRINT ${reprint}`;
  doc.font('Helvetica-Bold').fontSize(7);
  const width = doc.widthOfString(text) + 8;
  const x = pageWidth / 2 - width / 2;
  doc.rect(x, 1.2 * MM, width, 10).fill('black');
  doc
    .fillColor('white')
    .text(text, x + 4, 1.2 * MM + 2, { lineBreak: false })
    .fillColor('black');
}

function autologousBand(doc: Doc, x: number, y: number, width: number): void {
  doc.rect(x, y, width, 17).fill('black');
  doc
    .fillColor('white')
    .font('Helvetica-Bold')
    .fontSize(10.5)
    .text('FOR AUTOLOGOUS USE ONLY', x, y + 4, { width, align: 'center', lineBreak: false })
    .fillColor('black');
}

function divider(doc: Doc, x: number, y: number, width: number): void {
  doc
    .moveTo(x, y)
    .lineTo(x + width, y)
    .lineWidth(0.6)
    .strokeColor('black')
    .stroke();
}

function donationBlockText(donationNumber: string): { eyeReadable: string; scanText: string } {
  const parsed = parseDonationIdentificationNumber(donationNumber);
  if (!parsed.ok) throw new RangeError(`donation identification number: ${parsed.reason}`);
  const v = parsed.value;
  return {
    eyeReadable: `${v.facility} ${String(v.year).padStart(2, '0')} ${String(v.sequence).padStart(6, '0')} ${v.check}`,
    scanText: donationNumberBarcodeText(v),
  };
}

function patientLine(label: BagLabel | ShipperLabel): string | undefined {
  return label.patient ? `${label.patient.initials}   DOB ${label.patient.dateOfBirth}` : undefined;
}

/** The bag (container) label: 100 mm square, identifiers and bar codes on top, product facts below. */
export async function renderBagLabelPdf(label: BagLabel): Promise<Buffer> {
  const [pageWidth, pageHeight] = BAG_SIZE;
  const doc = newLabel(BAG_SIZE, `Bag label ${label.chainOfIdentity}`, label.printedAt);
  const width = pageWidth - 2 * MARGIN;
  reprintMark(doc, label.reprint, pageWidth);
  let y = MARGIN + 8;
  y += identifierBlock(doc, {
    label: 'Chain of identity',
    eyeReadable: displayChainOfIdentityText(label.chainOfIdentity),
    scanText: label.chainOfIdentity,
    x: MARGIN,
    y,
    width,
  });
  if (label.donationNumber) {
    y += identifierBlock(doc, {
      label: 'Donation identification number (DIN)',
      ...donationBlockText(label.donationNumber),
      x: MARGIN,
      y,
      width,
    });
  }
  divider(doc, MARGIN, y, width);
  y += 4;
  const column = (width - 4 * MM) / 2;
  const right = MARGIN + column + 4 * MM;
  const rows: Array<[string, string | undefined, string, string | undefined]> = [
    ['Product', label.productType, 'Unit', label.unitNumber],
    [
      'Collected',
      label.collectedAt ? localText(label.collectedAt, label.timeZone) : undefined,
      'Expires',
      label.expiresAt ? localText(label.expiresAt, label.timeZone) : undefined,
    ],
    ['Storage', label.storageCondition, 'Volume', label.volume],
    ['Patient', patientLine(label), 'Facility', `${label.facility.name} (${label.facility.id})`],
  ];
  for (const [leftLabel, leftValue, rightLabel, rightValue] of rows) {
    const used = Math.max(
      leftValue ? field(doc, leftLabel, leftValue, MARGIN, y, column) : 0,
      rightValue ? field(doc, rightLabel, rightValue, right, y, column) : 0,
    );
    y += used;
  }
  autologousBand(doc, MARGIN, pageHeight - MARGIN - 17, width);
  return finish(doc);
}

function addressText(address: LabelAddress): string {
  return [address.name, ...(address.lines ?? [])].join('\n');
}

/** The shipper label: 4 × 6 inches, destination first (what the courier reads), then identifiers and condition. */
export async function renderShipperLabelPdf(label: ShipperLabel): Promise<Buffer> {
  const [pageWidth, pageHeight] = SHIPPER_SIZE;
  const doc = newLabel(SHIPPER_SIZE, `Shipper label ${label.shipperId}`, label.printedAt);
  const width = pageWidth - 2 * MARGIN;
  reprintMark(doc, label.reprint, pageWidth);
  let y = MARGIN + 8;
  const column = (width - 4 * MM) / 2;
  const right = MARGIN + column + 4 * MM;
  y += Math.max(
    field(doc, 'Ship to', addressText(label.to), MARGIN, y, column, 10),
    field(doc, 'From', addressText(label.from), right, y, column, 8),
  );
  divider(doc, MARGIN, y, width);
  y += 4;
  y += identifierBlock(doc, {
    label: 'Chain of identity',
    eyeReadable: displayChainOfIdentityText(label.chainOfIdentity),
    scanText: label.chainOfIdentity,
    x: MARGIN,
    y,
    width,
  });
  if (label.donationNumber) {
    y += identifierBlock(doc, {
      label: 'Donation identification number (DIN)',
      ...donationBlockText(label.donationNumber),
      x: MARGIN,
      y,
      width,
    });
  }
  y += identifierBlock(doc, {
    label: 'Shipper',
    eyeReadable: label.shipperId,
    scanText: label.shipperId,
    x: MARGIN,
    y,
    width,
  });
  divider(doc, MARGIN, y, width);
  y += 4;
  const rows: Array<[string, string | undefined, string, string | undefined]> = [
    ['Contents', label.contents, 'Storage', label.storageCondition],
    [
      'Shipped',
      label.shippedAt ? localText(label.shippedAt, label.timeZone) : undefined,
      'Shipper qualification',
      label.shipperQualification,
    ],
    ['Data logger', label.dataLoggerId, 'Patient', patientLine(label)],
    [
      'Facility',
      `${label.facility.name} (${label.facility.id})`,
      'Printed',
      localText(label.printedAt, label.timeZone),
    ],
  ];
  for (const [leftLabel, leftValue, rightLabel, rightValue] of rows) {
    y += Math.max(
      leftValue ? field(doc, leftLabel, leftValue, MARGIN, y, column) : 0,
      rightValue ? field(doc, rightLabel, rightValue, right, y, column) : 0,
    );
  }
  autologousBand(doc, MARGIN, pageHeight - MARGIN - 17, width);
  return finish(doc);
}
