import { Controller, Get, Headers } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { negotiateLanguage } from '@app/contracts/i18n/languages';
import { stampText } from '@app/platform';
import { STAMP_CATALOGUE } from './stamp-catalogue.data';
import { StampProductList } from './dto/stamp-view.dto';

@ApiTags('stamps')
@Controller('stamps')
export class StampsController {
  @Public()
  @Get()
  @ApiOkResponse({ type: StampProductList })
  @ApiHeader({
    name: 'Accept-Language',
    required: false,
    description: 'the language of `name` and `unit`: en, es or zh-Hans (English otherwise); the `sku` stays as it is',
  })
  catalogue(@Headers('accept-language') acceptLanguage?: string) {
    const language = negotiateLanguage(acceptLanguage);
    return {
      items: STAMP_CATALOGUE.map((p) => ({
        ...p,
        name: stampText(p.sku, 'name', p.name, language),
        unit: stampText(p.sku, 'unit', p.unit, language),
      })),
    };
  }
}
