import { CurrentUser, Public, Roles as RequireRoles, type AuthUser } from '@app/auth';
import { Roles, API_KEY_ID_PATTERN } from '@app/contracts';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiKeysService, type ApiKeyView } from './api-keys.service';
import { ApiKeyTokenDto, CreateApiKeyDto } from './dto/api-key.dto';
import { ApiOkResponse, ApiCreatedResponse, ApiParam } from '@nestjs/swagger';
import { ApiKeyToken, ApiKeyViewList, CreatedApiKey } from './dto/api-key-view.dto';

@Controller('admin/api-keys')
@RequireRoles(Roles.Operator)
export class ApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Post()
  @ApiCreatedResponse({ type: CreatedApiKey })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateApiKeyDto): Promise<{ id: string; key: string }> {
    return this.apiKeys.create(dto.name, dto.roles, user.userId);
  }

  @Get()
  @ApiOkResponse({ type: ApiKeyViewList })
  list(): Promise<{ items: ApiKeyView[] }> {
    return this.apiKeys.list();
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiParam({ name: 'id', schema: { type: 'string', pattern: API_KEY_ID_PATTERN } })
  revoke(@Param('id') id: string): Promise<void> {
    return this.apiKeys.revoke(id);
  }
}

/** Called by the gateway only (it does not route `/internal`), to turn an `X-Api-Key` into a JWT. */
@Controller('internal/api-keys')
export class InternalApiKeysController {
  constructor(private readonly apiKeys: ApiKeysService) {}

  @Public()
  @Post('token')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: ApiKeyToken })
  token(@Body() dto: ApiKeyTokenDto): Promise<{ accessToken: string; expiresIn: number }> {
    return this.apiKeys.exchange(dto.key);
  }
}
