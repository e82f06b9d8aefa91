import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { Resvg } from '@resvg/resvg-js';
import bwipjs from 'bwip-js/node';
import { formatPicForHumans } from './impb';
import { addressLines, labelBarcodeText, labelHeadline, SERVICE_TITLES } from './label-content';
import type { Label } from './label.schema';

/** 203 dpi, a thermal printer's resolution: the 4×6 in label is 812 × 1218 pixels. */
const DPI = 203;
const WIDTH = 4 * DPI;
const HEIGHT = 6 * DPI;
/** 3 pixels a module (≈ 0.015 in at 203 dpi, inside IMpb's X dimension range), as in the ZPL. */
const MODULE_PX = 3;
const FONT = 'DejaVu Sans';
/** Fonts ship with the app (the dejavu-fonts-ttf package): containers have no system fonts to rely on. */
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((file) =>
  join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', file),
);

function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c,
  );
}

function text(x: number, y: number, size: number, lines: string[], options: { bold?: boolean; center?: boolean } = {}) {
  const anchor = options.center ? ' text-anchor="middle"' : '';
  const weight = options.bold ? ' font-weight="bold"' : '';
  return lines
    .map(
      (line, i) =>
        `<text x="${x}" y="${y + i * Math.round(size * 1.2)}" font-size="${size}"${weight}${anchor}>${escapeXml(line)}</text>`,
    )
    .join('');
}

/** Renders the 4×6 label as a 203 dpi PNG (for label printers and marketplaces that take images). */
@Injectable()
export class LabelPngRenderer {
  render(label: Label): Buffer {
    const barcode = bwipjs.toSVG({
      bcid: 'gs1-128',
      text: labelBarcodeText(label),
      scale: MODULE_PX,
      height: 19,
      includetext: false,
    });
    const [, barcodeWidth, barcodeHeight] = /viewBox="0 0 (\d+) (\d+)"/.exec(barcode)?.map(Number) ?? [0, 0, 0];
    // The barcode's own <svg>, placed on the label at its natural size (whole pixels per module).
    const placedBarcode = barcode.replace(
      '<svg ',
      `<svg x="${Math.round((WIDTH - barcodeWidth) / 2)}" y="650" width="${barcodeWidth}" height="${barcodeHeight}" `,
    );
    const svg = [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="${FONT}">`,
      `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
      text(WIDTH / 2, 75, 50, [SERVICE_TITLES[label.service]], { bold: true, center: true }),
      text(WIDTH / 2, 115, 22, [labelHeadline(label)], { center: true }),
      `<rect x="20" y="135" width="${WIDTH - 40}" height="3"/>`,
      text(30, 175, 22, ['FROM:'], { bold: true }),
      text(30, 205, 24, addressLines(label.from)),
      text(30, 350, 26, ['SHIP TO:'], { bold: true }),
      text(80, 392, 34, addressLines(label.to), { bold: true }),
      `<rect x="20" y="580" width="${WIDTH - 40}" height="3"/>`,
      text(WIDTH / 2, 628, 28, ['USPS TRACKING #'], { bold: true, center: true }),
      placedBarcode,
      text(WIDTH / 2, 935, 32, [formatPicForHumans(label._id)], { bold: true, center: true }),
      `<rect x="20" y="960" width="${WIDTH - 40}" height="3"/>`,
      '</svg>',
    ].join('\n');
    return new Resvg(svg, {
      font: { loadSystemFonts: false, fontFiles: FONT_FILES, defaultFontFamily: FONT },
      shapeRendering: 1, // crispEdges: bars stay whole pixels
      background: '#ffffff',
    })
      .render()
      .asPng();
  }
}
