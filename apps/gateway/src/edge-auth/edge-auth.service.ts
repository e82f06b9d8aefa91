import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { InvalidTokenError, JwtVerifier, readCookie } from '@app/auth';
import type { IncomingHttpHeaders } from 'node:http';
import type { BrowserCookieAuth } from '../routing/route-table';
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

  /** `cookie`: on a route a browser opens as a page, a cookie holding an access token that may stand in for the header. */
  async authenticate(
    req: { headers: IncomingHttpHeaders },
    isPublic: boolean,
    cookie?: BrowserCookieAuth,
  ): Promise<EdgeAuthResult> {
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
    const fromCookie = cookie ? readCookie(req.headers.cookie, cookie.name) : undefined;
    if (cookie && fromCookie) return this.cookieAuth(fromCookie, cookie.role);
    if (isPublic) return { setHeaders: {} };
    throw new UnauthorizedException('Missing bearer token');
  }

  private async cookieAuth(token: string, role: string): Promise<EdgeAuthResult> {
    let roles: string[];
    try {
      roles = (await this.verifier.verify(token)).roles;
    } catch (error) {
      throw new UnauthorizedException(error instanceof InvalidTokenError ? error.reason : 'Invalid token');
    }
    if (!roles.includes(role)) throw new ForbiddenException(`Requires role: ${role}`);
    // The service behind checks the same token again, as it would a Bearer header.
    return { setHeaders: { authorization: `Bearer ${token}` } };
  }
}
