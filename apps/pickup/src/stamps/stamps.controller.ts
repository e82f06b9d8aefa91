import { Controller, Get } from '@nestjs/common';
import { ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { STAMP_CATALOGUE } from './stamp-catalogue.data';
import { StampProductList } from './dto/stamp-view.dto';

@ApiTags('stamps')
@Controller('stamps')
export class StampsController {
  @Public()
  @Get()
  @ApiOkResponse({ type: StampProductList })
  catalogue() {
    return { items: STAMP_CATALOGUE };
  }
}
