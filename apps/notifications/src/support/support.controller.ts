import { CurrentUser, type AuthUser } from '@app/auth';
import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CaseIdParams, CaseMessageDto, CreateCaseDto, ListCasesQueryDto } from './dto/support.dto';
import { SupportService } from './support.service';

@ApiTags('support')
@ApiBearerAuth()
@Controller('support/cases')
export class SupportController {
  constructor(private readonly support: SupportService) {}

  @Post()
  open(@CurrentUser() user: AuthUser, @Body() body: CreateCaseDto) {
    return this.support.open(user, body);
  }

  @Get()
  list(@CurrentUser() user: AuthUser, @Query() query: ListCasesQueryDto) {
    return this.support.list(user, query);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams) {
    return this.support.get(user, params.id);
  }

  @Post(':id/messages')
  addMessage(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams, @Body() body: CaseMessageDto) {
    return this.support.addMessage(user, params.id, body.body);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@CurrentUser() user: AuthUser, @Param() params: CaseIdParams) {
    return this.support.close(user, params.id);
  }
}
