import {
  EmailVerifiedV1,
  EventHandlers,
  type EventEnvelope,
  PhoneVerifiedV1,
  ProfileUpdatedV1,
  UserRegisteredV1,
} from '@app/contracts';
import { isLanguage } from '@app/contracts/i18n/languages';
import { Injectable } from '@nestjs/common';
import type { Contact } from '../planning/notification-planner';
import { ContactsRepository, type ContactFields } from './contacts.repository';

/** The identity events that change a contact, and how. */
const PROJECTIONS = new EventHandlers<{ userId: string; fields: ContactFields }>()
  .on(UserRegisteredV1, (data) => ({
    userId: data.userId,
    fields: {
      email: data.email,
      emailVerified: false,
      phone: data.phone ?? null,
      phoneVerified: false,
      firstName: data.firstName,
      lastName: data.lastName,
      timeZone: data.timeZone,
      ...(data.language ? { language: data.language } : {}),
    },
  }))
  .on(EmailVerifiedV1, (data) => ({ userId: data.userId, fields: { email: data.email, emailVerified: true } }))
  .on(PhoneVerifiedV1, (data) => ({ userId: data.userId, fields: { phone: data.phone, phoneVerified: true } }))
  .on(ProfileUpdatedV1, (data) => ({
    userId: data.userId,
    fields: {
      email: data.email,
      emailVerified: data.emailVerified,
      phone: data.phone ?? null,
      phoneVerified: Boolean(data.phone) && data.phoneVerified,
      firstName: data.firstName,
      lastName: data.lastName,
      timeZone: data.timeZone,
      ...(data.language ? { language: data.language } : {}),
    },
  }));

/** The local projection of users' contacts (email, verified phone, time zone, language, names). */
@Injectable()
export class ContactsService {
  constructor(private readonly contacts: ContactsRepository) {}

  projects(envelope: EventEnvelope): boolean {
    return PROJECTIONS.handles(envelope);
  }

  /** Applies an identity event once (the event id is recorded in the same write). */
  async apply(envelope: EventEnvelope): Promise<void> {
    const projection = PROJECTIONS.dispatch(envelope);
    if (!projection) return;
    await this.contacts.setOnce(projection.userId, projection.fields, envelope.id);
  }

  async findMany(userIds: readonly string[]): Promise<Map<string, Contact>> {
    const contacts = new Map<string, Contact>();
    for (const r of await this.contacts.findMany(userIds)) {
      contacts.set(r._id, {
        userId: r._id,
        email: r.email ?? undefined,
        emailVerified: r.emailVerified,
        phone: r.phone ?? undefined,
        phoneVerified: r.phoneVerified,
        firstName: r.firstName ?? undefined,
        lastName: r.lastName ?? undefined,
        timeZone: r.timeZone ?? undefined,
        language: isLanguage(r.language) ? r.language : undefined,
      });
    }
    return contacts;
  }
}
