import { Controller, Get, NotFoundException, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser, ownerScope } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { AccountService } from '../account/account.service';
import { LedgerService } from '../account/ledger.service';
import { ReceiptIdPipe, RECEIPT_ID } from './receipt-id.pipe';
import { ReceiptPdfRenderer } from './receipt-pdf.renderer';

@ApiTags('account')
@ApiBearerAuth()
@Controller('receipts')
export class ReceiptsController {
  constructor(
    private readonly account: AccountService,
    private readonly ledger: LedgerService,
    private readonly pdf: ReceiptPdfRenderer,
  ) {}

  /** Every payment, top-up and refund of the caller, newest first (a receipt per ledger entry). */
  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.account.history(ownerScope(user), query.limit, query.cursor);
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiParam({
    name: 'id',
    schema: { type: 'string', pattern: RECEIPT_ID.source },
    description: 'an `entryId` from GET /receipts',
  })
  async pdfFile(
    @CurrentUser() user: AuthUser,
    @Param('id', ReceiptIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
  ) {
    const entry = await this.ledger.repository.findById(id);
    // Another owner's receipt is as unknown as a missing one.
    if (!entry || entry.ownerId !== ownerScope(user)) throw new NotFoundException(`receipt ${id} not found`);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="receipt-${id.replace(/[^\w-]/g, '-')}.pdf"`);
    return new StreamableFile(await this.pdf.render(entry));
  }
}
