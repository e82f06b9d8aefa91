import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/auth';
import type { JWK } from 'jose';
import { KeysService } from './keys.service';
import { ApiOkResponse } from '@nestjs/swagger';
import { JwkSet } from './dto/jwks-view.dto';

@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOkResponse({ type: JwkSet })
  jwks(): Promise<{ keys: JWK[] }> {
    return this.keys.jwks();
  }
}
