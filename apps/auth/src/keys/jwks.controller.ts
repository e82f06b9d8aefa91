import { Controller, Get, Header } from '@nestjs/common';
import { Public } from '@app/auth';
import type { JWK } from 'jose';
import { KeysService } from './keys.service';

@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeysService) {}

  @Public()
  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=60')
  jwks(): Promise<{ keys: JWK[] }> {
    return this.keys.jwks();
  }
}
