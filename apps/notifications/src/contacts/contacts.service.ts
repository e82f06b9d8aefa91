import {
  type EmailVerifiedData,
  type EventEnvelope,
  type PhoneVerifiedData,
  type ProfileUpdatedData,
  type UserRegisteredData,
} from '@app/contracts';
import { isLanguage } from '@app/contracts/i18n/languages';
import { applyOnce, isDuplicateKeyError } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import type { Contact } from '../planning/notification-planner';
import { ContactRecord } from './contact.schema';

type ContactFields = Partial<Omit<ContactRecord, '_id' | 'appliedEventIds'>>;

/** The identity events that change a contact, and how. */
const PROJECTIONS: Record<string, (data: unknown) => ContactFields> = {
  UserRegistered: (d) => {
    const data = d as UserRegisteredData;
    return {
      email: data.email,
      emailVerified: false,
      phone: data.phone ?? null,
      phoneVerified: false,
      firstName: data.firstName,
      lastName: data.lastName,
      timeZone: data.timeZone,
      ...(data.language ? { language: data.language } : {}),
    };
  },
  EmailVerified: (d) => {
    const data = d as EmailVerifiedData;
    return { email: data.email, emailVerified: true };
  },
  PhoneVerified: (d) => {
    const data = d as PhoneVerifiedData;
    return { phone: data.phone, phoneVerified: true };
  },
  ProfileUpdated: (d) => {
    const data = d as ProfileUpdatedData;
    return {
      email: data.email,
      emailVerified: data.emailVerified,
      phone: data.phone ?? null,
      phoneVerified: Boolean(data.phone) && data.phoneVerified,
      firstName: data.firstName,
      lastName: data.lastName,
      timeZone: data.timeZone,
      ...(data.language ? { language: data.language } : {}),
    };
  },
};

/** The local projection of users' contacts (email, verified phone, time zone, language, names). */
@Injectable()
export class ContactsService {
  constructor(@InjectModel(ContactRecord.name) private readonly model: Model<ContactRecord>) {}

  projects(envelope: EventEnvelope): boolean {
    return envelope.type in PROJECTIONS && envelope.version === 1;
  }

  /** Applies an identity event once (the event id is recorded in the same write). */
  async apply(envelope: EventEnvelope): Promise<void> {
    const project = PROJECTIONS[envelope.type];
    if (!project || envelope.version !== 1) return;
    const { filter, update } = applyOnce(
      { _id: (envelope.data as { userId: string }).userId },
      { $set: project(envelope.data) },
      envelope.id,
    );
    try {
      await this.model.updateOne(filter, update, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async findMany(userIds: readonly string[]): Promise<Map<string, Contact>> {
    // One `{_id}` lookup per user: the only filter FerretDB on SQLite serves from an index.
    const records = await Promise.all(userIds.map((id) => this.model.findById(id).lean<ContactRecord>().exec()));
    const contacts = new Map<string, Contact>();
    for (const r of records) {
      if (!r) continue;
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
