import { Injectable, UnauthorizedException } from '@nestjs/common';
import { InvalidTokenError, JwtVerifier } from '@app/auth';
import type { Request } from 'express';
import { ApiKeyExchangeService } from './api-key-exchange.service';

export const API_KEY_HEADER = 'x-api-key';

export interface EdgeAuthResult {
  /** Headers to set on the upstream request. */
  setHeaders: Record<string, string>;
}

/** First check at the edge: a Bearer JWT verified here, or an API key swapped for one. Services verify again. */
@Injectable()
export class EdgeAuthService {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly apiKeys: ApiKeyExchangeService,
  ) {}

  async authenticate(req: Request, isPublic: boolean): Promise<EdgeAuthResult> {
    const apiKey = req.headers[API_KEY_HEADER];
    if (typeof apiKey === 'string') {
      const token = await this.apiKeys.tokenFor(apiKey);
      return { setHeaders: { authorization: `Bearer ${token}` } };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (bearer) {
      try {
        await this.verifier.verify(bearer);
      } catch (error) {
        // A public route still works for a caller whose stale token is refused.
        if (isPublic) return { setHeaders: {} };
        throw new UnauthorizedException(error instanceof InvalidTokenError ? error.reason : 'Invalid token');
      }
      return { setHeaders: {} };
    }
    if (isPublic) return { setHeaders: {} };
    throw new UnauthorizedException('Missing bearer token');
  }
}
