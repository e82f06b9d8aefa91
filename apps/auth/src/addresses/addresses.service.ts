import { DEFAULT_LANGUAGE } from '@app/contracts/i18n/languages';
import {
  AddressAddedV1,
  AddressRemovedV1,
  AddressUpdatedV1,
  AddressVerifiedV1,
  DefaultAddressChangedV1,
  type EventEnvelope,
  type IdentityAddress,
} from '@app/contracts';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InvalidCodeException } from '../common/errors';
import { OneTimeCodes } from '../codes/one-time-codes';
import { RandomSource } from '../common/random';
import { SendQuotas } from '../common/send-quotas';
import { IdentityEventFactory } from '../users/identity-event-factory';
import type { AddressEntry, UserDocument } from '../users/user.schema';
import { UsersRepository } from '../users/users.repository';
import { AddressLettersRepository, type AddressLetterSummary } from './address-letters.repository';
import type { CreateAddressDto, UpdateAddressDto } from './dto/address.dto';
import { renderVerificationLetter } from './letter-pdf';
import { addressQuotaKey, validateUsAddress } from './us-address';
import { Clock, fieldLinesRefusal } from '@app/platform';

export const MAX_ADDRESSES = 50;

/** An address as its owner sees it: the stored entry without its letter code, and whether one is pending. */
export type AddressView = Omit<AddressEntry, 'letterCode' | 'createdAt'> & { verificationPending: boolean };

export function toView(a: AddressEntry): AddressView {
  return {
    id: a.id,
    label: a.label,
    name: a.name,
    line1: a.line1,
    line2: a.line2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    isDefault: a.isDefault,
    verified: a.verified,
    verifiedAt: a.verifiedAt,
    verificationPending: Boolean(a.letterCode) && !a.verified,
  };
}

/** An address book entry as identity events carry it. */
export function postal(a: AddressEntry): IdentityAddress {
  const out: IdentityAddress = { line1: a.line1, city: a.city, state: a.state as IdentityAddress['state'], zip: a.zip };
  if (a.name) out.name = a.name;
  if (a.line2) out.line2 = a.line2;
  return out;
}

/** The user's address book, kept inside the user document (owners only: a foreign id is simply not found). */
@Injectable()
export class AddressesService {
  constructor(
    private readonly users: UsersRepository,
    private readonly events: IdentityEventFactory,
    private readonly random: RandomSource,
    private readonly clock: Clock,
    private readonly quotas: SendQuotas,
    private readonly letters: AddressLettersRepository,
    private readonly codes: OneTimeCodes,
  ) {}

  private async load(userId: string): Promise<UserDocument> {
    const user = await this.users.findById(userId);
    if (!user) throw new NotFoundException('user not found');
    return user;
  }

  private find(user: UserDocument, id: string): AddressEntry {
    const entry = user.addresses.find((a) => a.id === id);
    if (!entry) throw new NotFoundException('address not found');
    return entry;
  }

  private async save(user: UserDocument, addresses: AddressEntry[], events: EventEnvelope[] = []): Promise<void> {
    // The previous array is the condition: a concurrent change makes this write miss instead of losing it.
    const done = await this.users.replaceAddresses(user._id, user.addresses, addresses, events);
    if (!done) throw new ConflictException('the address book changed meanwhile; try again');
  }

  /** DefaultAddressChanged when the book's default is another address than before. */
  defaultChange(userId: string, before: AddressEntry[], after: AddressEntry[]): EventEnvelope[] {
    const was = before.find((a) => a.isDefault)?.id;
    const now = after.find((a) => a.isDefault)?.id;
    return now !== undefined && now !== was
      ? [this.events.create(DefaultAddressChangedV1, userId, { userId, addressId: now })]
      : [];
  }

  /** AddressAdded or AddressUpdated of one entry (registration's first address too). */
  addressEvent(userId: string, entry: AddressEntry, kind: 'added' | 'updated'): EventEnvelope {
    const common = {
      userId,
      addressId: entry.id,
      ...(entry.label ? { label: entry.label } : {}),
      address: postal(entry),
      isDefault: entry.isDefault,
    };
    return kind === 'added'
      ? this.events.create(AddressAddedV1, userId, common)
      : this.events.create(AddressUpdatedV1, userId, { ...common, verified: entry.verified });
  }

  async list(userId: string): Promise<{ items: AddressView[] }> {
    return { items: (await this.load(userId)).addresses.map(toView) };
  }

  async get(userId: string, id: string): Promise<AddressView> {
    return toView(this.find(await this.load(userId), id));
  }

  async create(userId: string, dto: CreateAddressDto): Promise<AddressView> {
    const user = await this.load(userId);
    if (user.addresses.length >= MAX_ADDRESSES) {
      throw new ConflictException(`an address book holds at most ${MAX_ADDRESSES} addresses`);
    }
    const checked = validateUsAddress(dto);
    if (!checked.ok) throw new BadRequestException(fieldLinesRefusal(checked.reasons));
    const isDefault = dto.isDefault === true || user.addresses.length === 0;
    const entry: AddressEntry = {
      id: this.random.id('adr'),
      ...(dto.label?.trim() ? { label: dto.label.trim() } : {}),
      ...checked.address,
      isDefault,
      verified: false,
      createdAt: this.clock.now(),
    };
    const rest = user.addresses.map((a) => (isDefault ? { ...a, isDefault: false } : a));
    const book = [...rest, entry];
    await this.save(user, book, [
      this.addressEvent(userId, entry, 'added'),
      ...this.defaultChange(userId, user.addresses, book),
    ]);
    return toView(entry);
  }

  async update(userId: string, id: string, dto: UpdateAddressDto): Promise<AddressView> {
    const user = await this.load(userId);
    const current = this.find(user, id);
    const checked = validateUsAddress({
      name: dto.name ?? current.name,
      line1: dto.line1 ?? current.line1,
      line2: dto.line2 ?? current.line2,
      city: dto.city ?? current.city,
      state: dto.state ?? current.state,
      zip: dto.zip ?? current.zip,
    });
    if (!checked.ok) throw new BadRequestException(fieldLinesRefusal(checked.reasons));
    const moved =
      JSON.stringify(postal({ ...current, name: undefined })) !==
      JSON.stringify(postal({ ...current, ...checked.address, name: undefined }));
    const events: EventEnvelope[] = [];
    let next: AddressEntry = { ...current, ...checked.address };
    if (dto.label !== undefined) next.label = dto.label.trim() || undefined;
    if (moved) {
      // A changed address must be proven again.
      if (current.verified) events.push(this.events.create(AddressRemovedV1, userId, { userId, addressId: id }));
      next = { ...next, verified: false, verifiedAt: undefined, letterCode: undefined };
    }
    if (dto.isDefault === true) next.isDefault = true;
    const addresses = user.addresses.map((a) =>
      a.id === id ? next : dto.isDefault === true ? { ...a, isDefault: false } : a,
    );
    events.push(this.addressEvent(userId, next, 'updated'), ...this.defaultChange(userId, user.addresses, addresses));
    await this.save(user, addresses, events);
    return toView(next);
  }

  async remove(userId: string, id: string): Promise<void> {
    const user = await this.load(userId);
    const entry = this.find(user, id);
    let rest = user.addresses.filter((a) => a.id !== id);
    if (entry.isDefault && rest.length > 0) rest = rest.map((a, i) => (i === 0 ? { ...a, isDefault: true } : a));
    await this.save(user, rest, [
      this.events.create(AddressRemovedV1, userId, { userId, addressId: id }),
      ...this.defaultChange(userId, user.addresses, rest),
    ]);
  }

  async requestLetter(userId: string, id: string): Promise<{ letterId: string; expiresAt: Date }> {
    const user = await this.load(userId);
    const entry = this.find(user, id);
    if (entry.verified) throw new ConflictException('address is already verified');
    // A letter is postage, and mail at someone's door: per address (across accounts) and per account.
    await this.quotas.letter(userId, addressQuotaKey(entry));
    const { code, stored: letterCode } = this.codes.issue('letter', `${userId}:${id}`);
    const letterId = this.random.id('ltr');
    const address = postal(entry);
    await this.letters.insert({
      _id: letterId,
      userId,
      addressId: id,
      address,
      pdf: await renderVerificationLetter(address, code, letterCode.expiresAt, user.language ?? DEFAULT_LANGUAGE),
      createdAt: this.clock.now(),
    });
    await this.save(
      user,
      user.addresses.map((a) => (a.id === id ? { ...a, letterCode } : a)),
    );
    return { letterId, expiresAt: letterCode.expiresAt };
  }

  async verify(userId: string, id: string, code: string): Promise<AddressView> {
    const user = await this.load(userId);
    const entry = this.find(user, id);
    if (entry.verified) return toView(entry);
    // The try is spent (a compare-and-set of the whole book) before the code is compared.
    let book = user.addresses;
    const result = await this.codes.check('letter', entry.letterCode, `${userId}:${id}`, code, async (stored) => {
      const spent = { ...stored, attemptsLeft: stored.attemptsLeft - 1 };
      const next = book.map((a) => (a.id === id ? { ...a, letterCode: spent } : a));
      if (!(await this.users.replaceAddresses(userId, book, next))) return false;
      book = next;
      return true;
    });
    if (result !== 'ok') throw new InvalidCodeException();
    const verified: AddressEntry = { ...entry, verified: true, verifiedAt: this.clock.now(), letterCode: undefined };
    await this.save(
      { ...user, addresses: book },
      book.map((a) => (a.id === id ? verified : a)),
      [this.events.create(AddressVerifiedV1, userId, { userId, addressId: id, address: postal(verified) })],
    );
    return toView(verified);
  }

  async listLetters(): Promise<{ items: Omit<AddressLetterSummary, '_id'>[] }> {
    const docs = await this.letters.listNewest(200);
    return { items: docs.map(({ _id, ...rest }) => ({ id: _id, ...rest })) };
  }

  async letterPdf(letterId: string): Promise<Buffer> {
    const pdf = await this.letters.pdf(letterId);
    if (!pdf) throw new NotFoundException('letter not found');
    return pdf;
  }
}
