import { CurrentUser, Roles as RequireRoles, type AuthUser } from '@app/auth';
import { Roles, ADDRESS_ID_PATTERN } from '@app/contracts';
import { ApiTooManyRequests } from '@app/platform';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Req,
  StreamableFile,
  ForbiddenException,
} from '@nestjs/common';
import type { Request } from 'express';
import { OrgAddressBook, ORG_ADDRESSES_UNVERIFIABLE } from '../orgs/org-addresses.service';
import { auditActorOf } from '../orgs/org-audit';
import { AddressesService, type AddressView } from './addresses.service';
import { CreateAddressDto, UpdateAddressDto, VerifyAddressDto } from './dto/address.dto';
import {
  AddressLetterViewList,
  AddressView as AddressViewSchema,
  AddressViewList,
  VerificationLetter,
} from './dto/address-view.dto';
import { ApiCreatedResponse, ApiOkResponse, ApiResponse, ApiParam } from '@nestjs/swagger';

/**
 * The caller's address book; while the token acts for an organisation (claim `org`), the
 * organisation's (Teams, issue 18: read by every member, changed by shippers and up).
 */
@Controller('me/addresses')
export class AddressesController {
  constructor(
    private readonly addresses: AddressesService,
    private readonly orgBook: OrgAddressBook,
  ) {}

  @Get()
  @ApiOkResponse({ type: AddressViewList })
  list(@CurrentUser() user: AuthUser): Promise<{ items: AddressView[] }> {
    return user.org ? this.orgBook.list(user) : this.addresses.list(user.userId);
  }

  @Post()
  @ApiCreatedResponse({ type: AddressViewSchema })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAddressDto, @Req() req: Request): Promise<AddressView> {
    return user.org ? this.orgBook.create(user, auditActorOf(user, req), dto) : this.addresses.create(user.userId, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: AddressViewSchema })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ADDRESS_ID_PATTERN } })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<AddressView> {
    return user.org ? this.orgBook.get(user, id) : this.addresses.get(user.userId, id);
  }

  @Patch(':id')
  @ApiOkResponse({ type: AddressViewSchema })
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ADDRESS_ID_PATTERN } })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() dto: UpdateAddressDto,
    @Req() req: Request,
  ): Promise<AddressView> {
    return user.org
      ? this.orgBook.update(user, auditActorOf(user, req), id, dto)
      : this.addresses.update(user.userId, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ADDRESS_ID_PATTERN } })
  remove(@CurrentUser() user: AuthUser, @Param('id') id: string, @Req() req: Request): Promise<void> {
    return user.org ? this.orgBook.remove(user, auditActorOf(user, req), id) : this.addresses.remove(user.userId, id);
  }

  @Post(':id/verification-letter')
  @ApiResponse({ status: HttpStatus.ACCEPTED, type: VerificationLetter })
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiTooManyRequests(
    'More than AUTH_LETTERS_PER_ADDRESS (default 3) letters to this postal address (from any account, however it is spelt) or AUTH_LETTERS_PER_ACCOUNT (default 5) from this account in AUTH_LETTER_WINDOW_SECONDS (default 30 days)',
  )
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ADDRESS_ID_PATTERN } })
  requestLetter(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
  ): Promise<{ letterId: string; expiresAt: Date }> {
    if (user.org) throw new ForbiddenException(ORG_ADDRESSES_UNVERIFIABLE);
    return this.addresses.requestLetter(user.userId, id);
  }

  @Post(':id/verify')
  @ApiOkResponse({ type: AddressViewSchema })
  @HttpCode(HttpStatus.OK)
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: ADDRESS_ID_PATTERN } })
  verify(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: VerifyAddressDto): Promise<AddressView> {
    if (user.org) throw new ForbiddenException(ORG_ADDRESSES_UNVERIFIABLE);
    return this.addresses.verify(user.userId, id, dto.code);
  }
}

@Controller('admin/address-letters')
@RequireRoles(Roles.Operator)
export class AddressLettersController {
  constructor(private readonly addresses: AddressesService) {}

  @Get()
  @ApiOkResponse({ type: AddressLetterViewList })
  list(): ReturnType<AddressesService['listLetters']> {
    return this.addresses.listLetters();
  }

  @Get(':id/pdf')
  async pdf(@Param('id') id: string): Promise<StreamableFile> {
    const pdf = await this.addresses.letterPdf(id);
    return new StreamableFile(pdf, { type: 'application/pdf', disposition: `inline; filename="${id}.pdf"` });
  }
}
