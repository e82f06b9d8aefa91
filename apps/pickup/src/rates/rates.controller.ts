import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiTags, ApiOkResponse } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { QuoteRequestDto } from './dto/quote-request.dto';
import { RatesService } from './rates.service';
import { QuoteView } from './dto/rate-view.dto';

@ApiTags('labels')
@Controller('labels/quote')
export class RatesController {
  constructor(private readonly rates: RatesService) {}

  @Public()
  @Post()
  @HttpCode(200)
  @ApiOkResponse({ type: QuoteView })
  quote(@Body() body: QuoteRequestDto) {
    return { quotes: this.rates.quote(body.fromZip, body.toZip, body, body.service) };
  }
}
