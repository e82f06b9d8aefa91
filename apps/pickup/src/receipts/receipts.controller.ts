import { Controller, Get, Headers, NotFoundException, Param, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiParam, ApiProduces, ApiTags, ApiOkResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser, ownerScope } from '@app/auth';
import { PageQueryDto } from '@app/platform';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { AccountService } from '../account/account.service';
import { LedgerService } from '../account/ledger.service';
import { ReceiptIdPipe, RECEIPT_ID } from './receipt-id.pipe';
import { ReceiptPdfRenderer } from './receipt-pdf.renderer';
import { LedgerEntryViewPage } from '../account/dto/account-view.dto';

@ApiTags('account')
@ApiBearerAuth()
@Controller('receipts')
export class ReceiptsController {
  constructor(
    private readonly account: AccountService,
    private readonly ledger: LedgerService,
    private readonly pdf: ReceiptPdfRenderer,
  ) {}

  /**
   * Every payment, top-up and refund of the caller, newest first (a receipt per ledger entry); descriptions
   * in the language of `Accept-Language`.
   */
  @Get()
  @ApiOkResponse({ type: LedgerEntryViewPage })
  list(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.account.history(ownerScope(user), query.limit, query.cursor, negotiateLanguage(acceptLanguage));
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: "the language of the receipt: en, es or zh-Hans (as the API's messages; English otherwise)",
  })
  @ApiParam({
    name: 'id',
    schema: { type: 'string', pattern: RECEIPT_ID.source },
    description: 'an `entryId` from GET /receipts',
  })
  async pdfFile(
    @CurrentUser() user: AuthUser,
    @Param('id', ReceiptIdPipe) id: string,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const entry = await this.ledger.repository.findById(id);
    // Another owner's receipt is as unknown as a missing one.
    if (!entry || entry.ownerId !== ownerScope(user)) throw new NotFoundException(`receipt ${id} not found`);
    const language = negotiateLanguage(acceptLanguage);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="receipt-${id.replace(/[^\w-]/g, '-')}.pdf"`);
    res.setHeader('content-language', language);
    return new StreamableFile(await this.pdf.render(entry, language));
  }
}
