import {
  BadRequestException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import type { PostalAddress } from '@app/contracts';
import { PICKUP_CONFIG, type PickupConfig } from '../config';

/**
 * Reads the caller's address book through the auth service's HTTP API (this service never reads
 * auth's database), forwarding the caller's own Authorization header.
 */
@Injectable()
export class AddressBookClient {
  constructor(@Inject(PICKUP_CONFIG) private readonly config: PickupConfig) {}

  async resolve(addressId: string, authorization: string | undefined): Promise<PostalAddress> {
    if (!authorization) throw new UnauthorizedException('a bearer token is needed to read the address book');
    const url = `${this.config.AUTH_URL}/api/v1/me/addresses/${encodeURIComponent(addressId)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { authorization, accept: 'application/json' },
        signal: AbortSignal.timeout(this.config.AUTH_HTTP_TIMEOUT_MS),
      });
    } catch {
      throw new ServiceUnavailableException('the address book is unavailable; send the address inline');
    }
    if (response.status === 404 || response.status === 400) {
      throw new BadRequestException(`address ${addressId} is not in your address book`);
    }
    if (response.status === 401 || response.status === 403) {
      throw new UnauthorizedException('the address book refused the token');
    }
    if (!response.ok) throw new ServiceUnavailableException('the address book is unavailable; send the address inline');
    const body = (await response.json()) as Partial<Record<keyof PostalAddress, unknown>>;
    const text = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
    const address = {
      name: text(body.name),
      line1: text(body.line1),
      line2: text(body.line2),
      city: text(body.city),
      state: text(body.state),
      zip: text(body.zip),
    };
    if (!address.line1 || !address.city || !address.state || !address.zip) {
      throw new ServiceUnavailableException('the address book returned an incomplete address');
    }
    return { ...address, line1: address.line1, city: address.city, state: address.state, zip: address.zip };
  }
}
