import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { STAMP_CATALOGUE } from './stamp-catalogue.data';

@ApiTags('stamps')
@Controller('stamps')
export class StampsController {
  @Public()
  @Get()
  catalogue() {
    return { items: STAMP_CATALOGUE };
  }
}
