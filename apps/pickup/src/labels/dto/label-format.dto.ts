import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { LABEL_PDF_FORMATS, type LabelPdfFormat } from '../label-pdf.renderer';
import { LABEL_QR_FORMATS, type LabelQrFormat } from '../label-qr.renderer';

export class LabelPdfQueryDto {
  @ApiPropertyOptional({
    enum: LABEL_PDF_FORMATS,
    default: '4x6',
    description: '`4x6`: a 4×6 in page (thermal label stock); `letter`: the 4×6 label on a US Letter page, to cut out',
  })
  @IsOptional()
  @IsIn(LABEL_PDF_FORMATS, { message: `format must be one of: ${LABEL_PDF_FORMATS.join(', ')}` })
  format?: LabelPdfFormat;
}

export class LabelQrQueryDto {
  @ApiPropertyOptional({ enum: LABEL_QR_FORMATS, default: 'png', description: 'a PNG image or an SVG document' })
  @IsOptional()
  @IsIn(LABEL_QR_FORMATS, { message: `format must be one of: ${LABEL_QR_FORMATS.join(', ')}` })
  format?: LabelQrFormat;
}
