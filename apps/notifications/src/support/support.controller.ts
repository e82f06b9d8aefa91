import { CurrentUser, type AuthUser } from '@app/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOkResponse, ApiCreatedResponse } from '@nestjs/swagger';
import { CaseIdParams, CaseMessageDto, CreateCaseDto, ListCasesQueryDto } from './dto/support.dto';
import { SupportService } from './support.service';
import { CaseMessageAdded, CaseStatusView, CaseView, CaseViewPage } from './dto/support-view.dto';

@ApiTags('support')
@ApiBearerAuth()
@Controller('support/cases')
export class SupportController {
  constructor(private readonly support: SupportService) {}

  @Post()
  @ApiCreatedResponse({ type: CaseStatusView })
  open(@CurrentUser() user: AuthUser, @Body() body: CreateCaseDto) {
    return this.support.open(user, body);
  }

  @Get()
  @ApiOkResponse({ type: CaseViewPage })
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQueryDto) {
    return this.support.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: CaseView })
  get(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams) {
    return this.support.get(user, params.id);
  }

  @Post(':id/messages')
  @ApiCreatedResponse({ type: CaseMessageAdded })
  addMessage(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams, @Body() body: CaseMessageDto) {
    return this.support.addMessage(user, params.id, body.body);
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOkResponse({ type: CaseStatusView })
  close(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams) {
    return this.support.close(user, params.id);
  }
}
