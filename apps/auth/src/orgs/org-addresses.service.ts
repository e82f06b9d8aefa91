import type { AuthUser } from '@app/auth';
import { OrgPermissions, orgRoleAllows, type OrgPermission } from '@app/contracts';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { MAX_ADDRESSES, toView, type AddressView } from '../addresses/addresses.service';
import type { CreateAddressDto, UpdateAddressDto } from '../addresses/dto/address.dto';
import { validateUsAddress } from '../addresses/us-address';
import { RandomSource } from '../common/random';
import type { AddressEntry } from '../users/user.schema';
import { OrgAuditActions, type AuditActor } from './org-audit';
import type { OrgDocument } from './org.schema';
import { OrgsRepository, type OrgChange } from './orgs.repository';
import { NOT_ACTING_FOR_ORG } from './orgs.service';
import { Clock, fieldLinesRefusal } from '@app/platform';

export const ORG_ADDRESSES_UNVERIFIABLE =
  "an organisation's addresses are not verified by letter (that proves where a person lives): switch to your personal account";

/**
 * The address book of the organisation the caller acts for (`/me/addresses` while the token has the
 * `org` claim). Kept in the organisation's document and changed through OrgsRepository.change, so every
 * change is in the audit log. Reading needs `read`, changing needs `ship`, by the member's current role.
 */
@Injectable()
export class OrgAddressBook {
  constructor(
    private readonly orgs: OrgsRepository,
    private readonly random: RandomSource,
    private readonly clock: Clock,
  ) {}

  async list(user: AuthUser): Promise<{ items: AddressView[] }> {
    const org = await this.load(user, OrgPermissions.Read);
    return { items: (org.addresses ?? []).map(toView) };
  }

  async get(user: AuthUser, id: string): Promise<AddressView> {
    return toView(find(await this.load(user, OrgPermissions.Read), id));
  }

  async create(user: AuthUser, actor: AuditActor, dto: CreateAddressDto): Promise<AddressView> {
    const checked = validateUsAddress(dto);
    if (!checked.ok) throw new BadRequestException(fieldLinesRefusal(checked.reasons));
    return this.change(user, actor, (org, book) => {
      if (book.length >= MAX_ADDRESSES) {
        throw new ConflictException(`an address book holds at most ${MAX_ADDRESSES} addresses`);
      }
      const isDefault = dto.isDefault === true || book.length === 0;
      const entry: AddressEntry = {
        id: this.random.id('adr'),
        ...(dto.label?.trim() ? { label: dto.label.trim() } : {}),
        ...checked.address,
        isDefault,
        verified: false,
        createdAt: this.clock.now(),
      };
      const rest = book.map((a) => (isDefault ? { ...a, isDefault: false } : a));
      return {
        ...same(org),
        addresses: [...rest, entry],
        audit: [{ action: OrgAuditActions.AddressAdded, target: entry.id }],
        result: toView(entry),
      };
    });
  }

  async update(user: AuthUser, actor: AuditActor, id: string, dto: UpdateAddressDto): Promise<AddressView> {
    return this.change(user, actor, (org, book) => {
      const current = find(org, id);
      const checked = validateUsAddress({
        name: dto.name ?? current.name,
        line1: dto.line1 ?? current.line1,
        line2: dto.line2 ?? current.line2,
        city: dto.city ?? current.city,
        state: dto.state ?? current.state,
        zip: dto.zip ?? current.zip,
      });
      if (!checked.ok) throw new BadRequestException(fieldLinesRefusal(checked.reasons));
      const next: AddressEntry = { ...current, ...checked.address };
      if (dto.label !== undefined) next.label = dto.label.trim() || undefined;
      if (dto.isDefault === true) next.isDefault = true;
      const addresses = book.map((a) => (a.id === id ? next : dto.isDefault === true ? { ...a, isDefault: false } : a));
      return {
        ...same(org),
        addresses,
        audit: [{ action: OrgAuditActions.AddressUpdated, target: id }],
        result: toView(next),
      };
    });
  }

  async remove(user: AuthUser, actor: AuditActor, id: string): Promise<void> {
    await this.change(user, actor, (org, book) => {
      const entry = find(org, id);
      let rest = book.filter((a) => a.id !== id);
      if (entry.isDefault && rest.length > 0) rest = rest.map((a, i) => (i === 0 ? { ...a, isDefault: true } : a));
      return {
        ...same(org),
        addresses: rest,
        audit: [{ action: OrgAuditActions.AddressRemoved, target: id }],
        result: undefined,
      };
    });
  }

  private async load(user: AuthUser, permission: OrgPermission): Promise<OrgDocument> {
    if (!user.org) throw new ForbiddenException(NOT_ACTING_FOR_ORG);
    const org = await this.orgs.findById(user.org.id);
    if (!org) throw new ForbiddenException('you are no longer a member of this organisation');
    assertMay(org, user.userId, permission);
    return org;
  }

  private async change<T>(
    user: AuthUser,
    actor: AuditActor,
    mutate: (org: OrgDocument, book: AddressEntry[]) => OrgChange<T>,
  ): Promise<T> {
    const seen = await this.load(user, OrgPermissions.Ship);
    return this.orgs.change(seen._id, actor, (org) => {
      assertMay(org, user.userId, OrgPermissions.Ship);
      return mutate(org, org.addresses ?? []);
    });
  }
}

function assertMay(org: OrgDocument, userId: string, permission: OrgPermission): void {
  const member = org.members.find((m) => m.userId === userId);
  if (!member) throw new ForbiddenException('you are no longer a member of this organisation');
  if (!orgRoleAllows(member.role, permission)) {
    throw new ForbiddenException(`your role in this organisation (${member.role}) does not allow this`);
  }
}

function find(org: OrgDocument, id: string): AddressEntry {
  const entry = (org.addresses ?? []).find((a) => a.id === id);
  if (!entry) throw new NotFoundException('address not found');
  return entry;
}

function same(org: OrgDocument): Pick<OrgChange<never>, 'members' | 'invites' | 'events'> {
  return { members: org.members, invites: org.invites, events: [] };
}
