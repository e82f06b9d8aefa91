import { Body, Get, Headers, Post, Query } from '@nestjs/common';
import { ApiResponse, ApiServiceUnavailableResponse, ApiOkResponse, ApiCreatedResponse } from '@nestjs/swagger';
import { type AuthUser, CurrentUser, OrgPermissionRequired, ownerScope, OrgActingController } from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { PageQueryDto } from '@app/platform';
import { Idempotent, type IdempotencyScope, IdempotencyScopeParam } from '../payments/idempotency.interceptor';
import { AccountService } from './account.service';
import { TopUpDto } from './dto/top-up.dto';
import { BalanceView, LedgerEntryViewPage, TopUpView } from './dto/account-view.dto';

@OrgActingController('account/balance', 'account')
export class AccountController {
  constructor(private readonly account: AccountService) {}

  @Get()
  @ApiOkResponse({ type: BalanceView })
  balance(@CurrentUser() user: AuthUser) {
    return this.account.balance(ownerScope(user));
  }

  /** Descriptions in the language of `Accept-Language` (as error messages). */
  @Get('history')
  @ApiOkResponse({ type: LedgerEntryViewPage })
  history(
    @CurrentUser() user: AuthUser,
    @Query() query: PageQueryDto,
    @Headers('accept-language') acceptLanguage?: string,
  ) {
    return this.account.history(ownerScope(user), query.limit, query.cursor, negotiateLanguage(acceptLanguage));
  }

  @Post('top-ups')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @Idempotent()
  @ApiResponse({ status: 402, description: 'the card was declined (body: code, declineCode)' })
  @ApiServiceUnavailableResponse({ description: 'the payment provider is unavailable; retry with the same key' })
  @ApiCreatedResponse({ type: TopUpView })
  topUp(@CurrentUser() user: AuthUser, @Body() body: TopUpDto, @IdempotencyScopeParam() scope: IdempotencyScope) {
    return this.account.topUp(ownerScope(user), body, scope);
  }
}
