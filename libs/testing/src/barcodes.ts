import {
  BarcodeFormat,
  BinaryBitmap,
  DecodeHintType,
  HybridBinarizer,
  MultiFormatReader,
  RGBLuminanceSource,
} from '@zxing/library';
import { inflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/** GS1's group separator: how a reader reports an FNC1 that ends a variable-length element. */
const GS = '\u001d';

/**
 * Reads the one barcode of `format` in a PNG (ZXing's port, the reader phones and scanners build on).
 * Throws when there is none: a label whose barcode does not read is a failed test.
 */
export function readBarcode(png: Buffer, format: 'code128' | 'qr'): string {
  const image = PNG.sync.read(png);
  const luminance = new Uint8ClampedArray(image.width * image.height);
  for (let i = 0; i < luminance.length; i++) {
    const [r, g, b, a] = image.data.subarray(i * 4, i * 4 + 4);
    // Transparent pixels are paper (white).
    const alpha = a / 255;
    luminance[i] = Math.round((0.299 * r + 0.587 * g + 0.114 * b) * alpha + 255 * (1 - alpha));
  }
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [format === 'qr' ? BarcodeFormat.QR_CODE : BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
    [DecodeHintType.ASSUME_GS1, true],
  ]);
  reader.setHints(hints);
  const source = new RGBLuminanceSource(luminance, image.width, image.height);
  return reader.decode(new BinaryBitmap(new HybridBinarizer(source))).getText();
}

/**
 * The IMpb GS1-128 data a reader returns (`]C1` or nothing for the leading FNC1, GS between
 * elements) in GS1's human-readable form, `(420)80202(94)00…`, as the label renderers take it.
 */
export function impbElementString(read: string): string {
  const data = read.replace(/^\]C1/, '');
  const match = new RegExp(`^420(\\d{5}(?:\\d{4})?)${GS}?(9\\d)(\\d{20})$`).exec(data);
  if (!match) throw new Error(`not IMpb GS1-128 data: ${JSON.stringify(data)}`);
  return `(420)${match[1]}(${match[2]})${match[3]}`;
}

/**
 * Decodes the field data of a ZPL `^BC` Code 128 in subset C with invocation codes (`>;` start C,
 * `>8` FNC1) into the same human-readable GS1 form.
 */
export function zplGs1ElementString(fieldData: string): string {
  if (!fieldData.startsWith('>;>8')) throw new Error(`not a GS1-128 subset C field: ${fieldData}`);
  const parts = fieldData.slice(4).split('>8');
  return parts
    .map((part) => {
      if (!/^\d+$/.test(part) || part.length % 2 !== 0) throw new Error(`subset C needs digit pairs: ${part}`);
      const ai = part.startsWith('420') ? '420' : part.slice(0, 2);
      return `(${ai})${part.slice(ai.length)}`;
    })
    .join('');
}

/** The inflated stream of PDF object `id` (its `/Length` bytes after `stream`: binary data may hold any text). */
function pdfStream(pdf: string, id: string): Buffer {
  const match = new RegExp(`(?:^|\\n)${id} 0 obj\\s*<<([^]*?)>>\\s*stream\\r?\\n`).exec(pdf);
  const length = Number(/\/Length (\d+)/.exec(match?.[1] ?? '')?.[1]);
  if (!match || !length) throw new Error(`PDF stream object ${id} not found`);
  const from = match.index + match[0].length;
  return inflateSync(Buffer.from(pdf.slice(from, from + length), 'latin1'));
}

/**
 * The RGB images a pdfkit PDF embeds (the barcodes bwip-js draws), each as a PNG composited on
 * white through its soft mask, so that `readBarcode` can read what the PDF actually prints.
 * Only what pdfkit writes for an RGBA PNG is handled: raw RGB deflated, alpha as an `/SMask`.
 */
export function pdfImages(pdf: Buffer): Buffer[] {
  const text = pdf.toString('latin1');
  const images: Buffer[] = [];
  for (const match of text.matchAll(/(?:^|\n)(\d+) 0 obj\s*<<([^]*?)>>\s*stream/g)) {
    const dict = match[2];
    if (!/\/Subtype \/Image/.test(dict) || !/\/ColorSpace \/DeviceRGB/.test(dict)) continue;
    const width = Number(/\/Width (\d+)/.exec(dict)?.[1]);
    const height = Number(/\/Height (\d+)/.exec(dict)?.[1]);
    const rgb = pdfStream(text, match[1]);
    const maskId = /\/SMask (\d+) 0 R/.exec(dict)?.[1];
    const alpha = maskId ? pdfStream(text, maskId) : undefined;
    if (rgb.length !== width * height * 3) throw new Error(`unexpected image data in object ${match[1]}`);
    const png = new PNG({ width, height });
    for (let i = 0; i < width * height; i++) {
      const a = alpha ? alpha[i] / 255 : 1;
      for (let c = 0; c < 3; c++) png.data[i * 4 + c] = Math.round(rgb[i * 3 + c] * a + 255 * (1 - a));
      png.data[i * 4 + 3] = 255;
    }
    images.push(PNG.sync.write(png));
  }
  return images;
}
