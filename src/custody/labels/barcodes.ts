import bwipjs from 'bwip-js/node';

/**
 * Bar codes for labels, encoded by bwip-js. On the PDF labels they are drawn as vector rectangles
 * from bwip-js's raw encoding: sharp at any printer resolution, and the same label renders to the
 * same bytes (embedded PNGs with transparency are compressed asynchronously by pdfkit, which
 * reorders objects from run to run). PNGs are still offered for screens.
 */

/** Code 128 as alternating bar and space widths in modules, starting with a bar. */
export function code128Modules(text: string): number[] {
  const [symbol] = bwipjs.raw('code128', text, {}) as Array<{ sbs?: number[] }>;
  if (!symbol?.sbs) throw new Error('bwip-js returned no Code 128 encoding');
  return symbol.sbs;
}

/** DataMatrix as rows of dark (true) and light modules, top row first. */
export function dataMatrixModules(text: string): boolean[][] {
  const [symbol] = bwipjs.raw('datamatrix', text, {}) as Array<{
    pixs?: number[];
    pixx?: number;
    pixy?: number;
  }>;
  if (!symbol?.pixs || !symbol.pixx || !symbol.pixy)
    throw new Error('bwip-js returned no DataMatrix encoding');
  const { pixs, pixx, pixy } = symbol;
  return Array.from({ length: pixy }, (_, row) =>
    Array.from({ length: pixx }, (_, column) => pixs[row * pixx + column] === 1),
  );
}

export async function code128Png(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({
    bcid: 'code128',
    text,
    scale: 4,
    height: 10,
    includetext: false,
    paddingwidth: 0,
  });
}

export async function dataMatrixPng(text: string): Promise<Buffer> {
  return bwipjs.toBuffer({ bcid: 'datamatrix', text, scale: 6, paddingwidth: 0, paddingheight: 0 });
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from a PNG's header, or undefined when the bytes are not a PNG. */
export function pngSize(png: Buffer): { width: number; height: number } | undefined {
  if (png.length < 24 || !png.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (png.subarray(12, 16).toString('latin1') !== 'IHDR') return undefined;
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

type Doc = PDFKit.PDFDocument;

/**
 * Draws a Code 128 symbol filling `width` (quiet zones included: 10 modules each side, as the
 * symbology requires), and returns the module width used so callers can check printability.
 */
export function drawCode128(
  doc: Doc,
  text: string,
  x: number,
  y: number,
  width: number,
  height: number,
): number {
  const widths = code128Modules(text);
  const quiet = 10;
  const total = widths.reduce((sum, w) => sum + w, 0) + 2 * quiet;
  const module = width / total;
  let cursor = x + quiet * module;
  widths.forEach((w, index) => {
    if (index % 2 === 0) doc.rect(cursor, y, w * module, height);
    cursor += w * module;
  });
  doc.fillColor('black').fill();
  return module;
}

/** Draws a DataMatrix symbol `size` wide and high (its own quiet zone is the caller's margin). */
export function drawDataMatrix(doc: Doc, text: string, x: number, y: number, size: number): void {
  const rows = dataMatrixModules(text);
  const module = size / Math.max(rows.length, rows[0]?.length ?? 1);
  rows.forEach((row, r) => {
    row.forEach((dark, c) => {
      if (dark) doc.rect(x + c * module, y + r * module, module, module);
    });
  });
  doc.fillColor('black').fill();
}
