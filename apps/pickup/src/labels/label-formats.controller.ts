import { Get, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser, OrgActingController, ownerScope } from '@app/auth';
import { LabelQrQueryDto } from './dto/label-format.dto';
import { LabelPngRenderer } from './label-png.renderer';
import { LabelQrRenderer } from './label-qr.renderer';
import { LabelZplRenderer } from './label-zpl.renderer';
import { LabelsService } from './labels.service';
import { ApiLabelId } from './label-id.param';

/**
 * The label in the formats besides the PDF (`GET /labels/:id/pdf`, in LabelsController): ZPL II for
 * thermal printers, a PNG image, and the QR code shown at a post office. Owner only: another
 * account's label is a 404, as on every label route.
 */
// Teams (issue 18): acting for an organisation reads and writes its labels, with the role's permission.
@OrgActingController('labels', 'labels')
export class LabelFormatsController {
  constructor(
    private readonly labels: LabelsService,
    private readonly zpl: LabelZplRenderer,
    private readonly png: LabelPngRenderer,
    private readonly qr: LabelQrRenderer,
  ) {}

  @Get(':id/zpl')
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description:
      'ZPL II for a 203 dpi printer and 4×6 in stock (`^PW812^LL1218`, UTF-8 `^CI28`), served as `text/plain; charset=utf-8` ' +
      '(ZPL has no registered media type; it is plain text that a print server sends to the printer as is). ' +
      'The GS1-128 barcode (`^BC`) carries the same data as the PDF: FNC1, `420` + destination ZIP5, FNC1, the 22-digit tracking number.',
  })
  @ApiNotFoundResponse({ description: "no such label, or another account's" })
  @ApiLabelId()
  async zplFile(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const label = await this.labels.get(ownerScope(user), id);
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="label-${label._id}.zpl"`);
    return this.zpl.render(label);
  }

  @Get(':id/png')
  @ApiProduces('image/png')
  @ApiOkResponse({ description: 'the 4×6 in label as an 812 × 1218 PNG (203 dpi), with its IMpb barcode' })
  @ApiNotFoundResponse({ description: "no such label, or another account's" })
  @ApiLabelId()
  async pngFile(@CurrentUser() user: AuthUser, @Param('id') id: string, @Res({ passthrough: true }) res: Response) {
    const label = await this.labels.get(ownerScope(user), id);
    res.setHeader('content-type', 'image/png');
    res.setHeader('content-disposition', `inline; filename="label-${label._id}.png"`);
    return new StreamableFile(this.png.render(label));
  }

  @Get(':id/qr')
  @ApiProduces('image/png', 'image/svg+xml')
  @ApiOkResponse({
    description:
      'a QR code carrying the tracking number, to show at a post office counter instead of a printed label (a PNG, or SVG with `format=svg`)',
  })
  @ApiNotFoundResponse({ description: "no such label, or another account's" })
  @ApiLabelId()
  async qrCode(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: LabelQrQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const label = await this.labels.get(ownerScope(user), id);
    if (query.format === 'svg') {
      res.setHeader('content-type', 'image/svg+xml');
      return this.qr.svg(label);
    }
    res.setHeader('content-type', 'image/png');
    return new StreamableFile(await this.qr.png(label));
  }
}
