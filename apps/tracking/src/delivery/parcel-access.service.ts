import { checkTrackingNumber } from '@app/contracts';
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { AddressesService } from '../addresses/addresses.service';
import type { ParcelState } from '../parcels/parcel-state';
import { ParcelRepository } from '../parcels/parcel.repository';

export type ParcelRole = 'recipient' | 'shipper';

/** A parcel and what the caller is to it. */
export interface ParcelAccess {
  parcel: ParcelState;
  roles: ParcelRole[];
}

/**
 * Who may act on a parcel: its recipient (a user whose verified address is the parcel's destination,
 * the match of `/tracking/incoming`) and its shipper (the buyer of its label). Anyone else gets the
 * same 404 as for a parcel never seen, so the answer tells nothing about the parcel.
 */
@Injectable()
export class ParcelAccessService {
  constructor(
    private readonly parcels: ParcelRepository,
    private readonly addresses: AddressesService,
  ) {}

  async resolve(userId: string, rawNumber: string): Promise<ParcelAccess> {
    const check = checkTrackingNumber(rawNumber);
    if (!check.valid) throw new BadRequestException(check.reason);
    const parcel = await this.parcels.findById(check.trackingNumber);
    const roles: ParcelRole[] = [];
    if (parcel?.known) {
      if (parcel.destinationKey !== undefined) {
        const keys = await this.addresses.keysOf(userId);
        if (keys.includes(parcel.destinationKey)) roles.push('recipient');
      }
      if (parcel.labelOwner === userId) roles.push('shipper');
    }
    if (!parcel || roles.length === 0) {
      throw new NotFoundException(`no parcel ${check.trackingNumber} that you may act on`);
    }
    return { parcel, roles };
  }

  /**
   * Like `resolve`, and the caller must be `role`. The other party gets a 404 too, as the issue asks
   * of anyone who may not take the action (the reason names who may; `options` says it as well).
   */
  async require(userId: string, rawNumber: string, role: ParcelRole, action: string): Promise<ParcelAccess> {
    const access = await this.resolve(userId, rawNumber);
    if (!access.roles.includes(role)) {
      throw new NotFoundException(
        `no parcel ${access.parcel._id} that you may act on this way: only its ${role} may ${action}`,
      );
    }
    return access;
  }
}
