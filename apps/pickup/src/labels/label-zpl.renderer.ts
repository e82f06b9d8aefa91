import { Injectable } from '@nestjs/common';
import type { PostalAddress } from '@app/contracts';
import { formatPicForHumans } from './impb';
import { addressLines, labelBarcodeElements, labelHeadline, SERVICE_TITLES } from './label-content';
import type { Label } from './label.schema';

/** 203 dpi (8 dots/mm), the common thermal head: a 4×6 inch label is 812 × 1218 dots. */
const DOTS_PER_INCH = 203;
const WIDTH = 4 * DOTS_PER_INCH;
const HEIGHT = 6 * DOTS_PER_INCH;

/**
 * Text for a ZPL field under `^FH_` (hex escapes with `_`): `^`, `~` and `_` would otherwise be read
 * as commands or escapes, so an address cannot end the label or inject printer commands. Inside
 * `^FB` a backslash is escaped too (`\&` is its line break).
 */
function zplText(text: string): string {
  return text.replace(/[\^~_\\]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function textBlock(x: number, y: number, width: number, lines: string[], size: number, align: 'L' | 'C' = 'L'): string {
  const body = lines.map(zplText).join('\\&');
  return `^FO${x},${y}^FB${width},${lines.length},4,${align}^A0N,${size},${size}^FH_^FD${body}^FS`;
}

function addressBlock(x: number, y: number, width: number, address: PostalAddress, size: number): string {
  return textBlock(x, y, width, addressLines(address), size);
}

/**
 * The GS1-128 field data of `^BC` in mode N: `>;` starts subset C (digit pairs) and `>8` is FNC1,
 * which opens a GS1-128 symbol and separates the variable-length routing AI (420) from the PIC's (94).
 */
export function zplGs1128FieldData(elements: ReadonlyArray<{ ai: string; value: string }>): string {
  return `>;${elements.map((e) => `>8${e.ai}${e.value}`).join('')}`;
}

/**
 * Renders the 4×6 label as ZPL II for Zebra-compatible thermal printers at 203 dpi, with the same
 * IMpb barcode data as the PDF (`labelBarcodeElements`). Encoded as UTF-8 (`^CI28`).
 */
@Injectable()
export class LabelZplRenderer {
  render(label: Label): string {
    const barcode = labelBarcodeElements(label);
    return [
      '^XA',
      '^CI28',
      `^PW${WIDTH}`,
      `^LL${HEIGHT}`,
      '^LH0,0',
      textBlock(0, 30, WIDTH, [SERVICE_TITLES[label.service]], 52, 'C'),
      textBlock(0, 95, WIDTH, [labelHeadline(label)], 24, 'C'),
      `^FO20,135^GB${WIDTH - 40},3,3^FS`,
      textBlock(30, 155, 300, ['FROM:'], 22),
      addressBlock(30, 185, WIDTH - 60, label.from, 24),
      textBlock(30, 330, 300, ['SHIP TO:'], 26),
      addressBlock(80, 365, WIDTH - 110, label.to, 36),
      `^FO20,580^GB${WIDTH - 40},3,3^FS`,
      textBlock(0, 600, WIDTH, ['USPS TRACKING #'], 28, 'C'),
      // X dimension 3 dots ≈ 0.015 in, inside IMpb's 0.013–0.021 in; no interpretation line (printed below).
      `^FO70,650^BY3^BCN,230,N,N,N,N^FD${zplGs1128FieldData(barcode)}^FS`,
      textBlock(0, 900, WIDTH, [formatPicForHumans(label._id)], 34, 'C'),
      `^FO20,960^GB${WIDTH - 40},3,3^FS`,
      '^XZ',
      '',
    ].join('\n');
  }
}
