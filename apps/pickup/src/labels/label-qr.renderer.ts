import { Injectable } from '@nestjs/common';
import bwipjs from 'bwip-js/node';
import type { Label } from './label.schema';

export const LABEL_QR_FORMATS = ['png', 'svg'] as const;
export type LabelQrFormat = (typeof LABEL_QR_FORMATS)[number];

/**
 * The QR code a customer shows at a post office instead of a printed label: it carries the label's
 * tracking number (the clerk's scanner looks the label up by it and prints it there).
 */
@Injectable()
export class LabelQrRenderer {
  // Error correction stays BWIPP's default for QR, level M (15%): enough for a phone screen's glare.
  async png(label: Label): Promise<Buffer> {
    return bwipjs.toBuffer({
      bcid: 'qrcode',
      text: label._id,
      scale: 8,
      paddingwidth: 4,
      paddingheight: 4,
      backgroundcolor: 'ffffff',
    });
  }

  svg(label: Label): string {
    return bwipjs.toSVG({
      bcid: 'qrcode',
      text: label._id,
      scale: 8,
      paddingwidth: 4,
      paddingheight: 4,
      backgroundcolor: 'ffffff',
    });
  }
}
