import { Body, Get, Headers, HttpCode, Param, Post, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiHeader,
  ApiProduces,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiOkResponse,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type AuthUser,
  CurrentUser,
  OrgPermissionRequired,
  ownerScope,
  actingMember,
  OrgActingController,
} from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { ApiTooManyRequests, PageQueryDto } from '@app/platform';
import { Idempotent, type IdempotencyScope, IdempotencyScopeParam } from '../payments/idempotency.interceptor';
import { CreateLabelDto } from './dto/create-label.dto';
import { LabelPdfQueryDto } from './dto/label-format.dto';
import { LabelPdfRenderer } from './label-pdf.renderer';
import { LabelsService, toLabelView } from './labels.service';
import { LabelView, LabelViewPage, PaidLabelView, RefundedLabelView } from './dto/label-view.dto';
import { ApiLabelId } from './label-id.param';

@OrgActingController('labels', 'labels')
export class LabelsController {
  constructor(
    private readonly labels: LabelsService,
    private readonly pdf: LabelPdfRenderer,
  ) {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Ship)
  @Idempotent()
  @ApiResponse({
    status: 402,
    description:
      'not paid: the balance is short (`code: insufficient_balance`, `shortfallCents`) or the card was declined (`code`, `declineCode`)',
  })
  @ApiTooManyRequests(
    'More labels than PICKUP_LABEL_RATE_LIMIT (default 100) from this account in the window (default an hour)',
  )
  @ApiServiceUnavailableResponse({
    description:
      'No tracking numbers are left to allocate (a new mailer id is needed), or the payment provider is unavailable',
  })
  @ApiCreatedResponse({ type: PaidLabelView })
  create(
    @CurrentUser() user: AuthUser,
    @Body() body: CreateLabelDto,
    @IdempotencyScopeParam() scope: IdempotencyScope,
    @Headers('authorization') authorization?: string,
  ) {
    return this.labels.create(ownerScope(user), body, authorization, scope, actingMember(user));
  }

  @Get()
  @ApiOkResponse({ type: LabelViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: PageQueryDto) {
    return this.labels.list(ownerScope(user), query.limit, query.cursor);
  }

  @Get(':id')
  @ApiOkResponse({ type: LabelView })
  @ApiLabelId()
  async get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return toLabelView(await this.labels.get(ownerScope(user), id));
  }

  @Get(':id/pdf')
  @ApiProduces('application/pdf')
  @ApiResponse({ status: 200, description: 'the label on a 4×6 in page, or on a US Letter page with `format=letter`' })
  @ApiResponse({ status: 400, description: 'an unknown `format`' })
  @ApiResponse({ status: 404, description: "no such label, or another account's" })
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description:
      "the language of the document's texts for the customer (title, instructions on a Letter page): en, es or zh-Hans; the label's carrier-facing captions stay English",
  })
  @ApiLabelId()
  async pdfFile(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Query() query: LabelPdfQueryDto,
    @Res({ passthrough: true }) res: Response,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    const label = await this.labels.get(ownerScope(user), id);
    const language = negotiateLanguage(acceptLanguage);
    res.setHeader('content-type', 'application/pdf');
    res.setHeader('content-disposition', `inline; filename="label-${label._id}.pdf"`);
    res.setHeader('content-language', language);
    return new StreamableFile(await this.pdf.render(label, query.format, language));
  }

  @Post(':id/refund')
  @OrgPermissionRequired(OrgPermissions.Ship)
  @HttpCode(200)
  @Idempotent()
  @ApiResponse({
    status: 200,
    type: RefundedLabelView,
    description:
      'refunded; `refund: {method, amountCents, status}` says where the money went (the balance or the card that paid)',
  })
  @ApiResponse({ status: 409, description: 'refunded already, accepted by the postal service, or over 30 days old' })
  @ApiLabelId()
  refund(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.labels.refund(ownerScope(user), id);
  }
}
