import type { OrgNoticeRecipient } from '@app/contracts';
import { applyOnce } from '@app/messaging';
import { isDuplicateKeyError } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OrgRosterRecord, type RosterMember } from './org-roster.schema';

/** Organisations' rosters and notice settings, one document per organisation id. */
@Injectable()
export class OrgRostersRepository {
  constructor(@InjectModel(OrgRosterRecord.name) private readonly model: Model<OrgRosterRecord>) {}

  find(orgId: string): Promise<OrgRosterRecord | null> {
    return this.model.findById(orgId).lean<OrgRosterRecord>().exec();
  }

  /**
   * Writes the members once per event (its id recorded in the same write); creates the roster when
   * there is none. A replayed event matches nothing, and its upsert's duplicate `_id` is that replay.
   */
  async setMembersOnce(orgId: string, members: RosterMember[], eventId: string): Promise<void> {
    const { filter, update } = applyOnce({ _id: orgId }, { $set: { members } }, eventId);
    try {
      await this.model.updateOne(filter, update, { upsert: true }).exec();
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
    }
  }

  async setNoticeRecipients(orgId: string, value: OrgNoticeRecipient): Promise<void> {
    try {
      await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }, { upsert: true }).exec();
    } catch (error) {
      // two first writes racing: the other inserted it; set it again over the existing document
      if (!isDuplicateKeyError(error)) throw error;
      await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }).exec();
    }
  }
}
