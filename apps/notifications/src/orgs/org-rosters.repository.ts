import type { OrgNoticeRecipient } from '@app/contracts';
import { applyOnce } from '@app/messaging';
import { type DocumentLock, isDuplicateKeyError, WriteClaims } from '@app/persistence';
import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { OrgRosterRecord, type RosterMember } from './org-roster.schema';

/** Organisations' rosters and notice settings, one document per organisation id. */
@Injectable()
export class OrgRostersRepository {
  /**
   * Held while a roster is written: its members come from identity.events in the replica that owns
   * the organisation's partition, its notice setting from a PUT that any replica serves, and
   * FerretDB applies a `$set` of either as a read and a rewrite of the whole document, so one of the
   * two would be lost without it (none on MongoDB's plan, where each `$set` is atomic).
   */
  readonly claims: DocumentLock;

  constructor(@InjectModel(OrgRosterRecord.name) private readonly model: Model<OrgRosterRecord>) {
    this.claims = WriteClaims.of(model);
  }

  find(orgId: string): Promise<OrgRosterRecord | null> {
    return this.model.findById(orgId).lean<OrgRosterRecord>().exec();
  }

  /**
   * Applies `change` to the members once per event (its id recorded in the same write), under the
   * roster's claim; creates the roster when there is none. A replayed event changes nothing.
   */
  async changeMembersOnce(
    orgId: string,
    change: (members: RosterMember[]) => RosterMember[],
    eventId: string,
  ): Promise<void> {
    await this.claims.runExclusive([orgId], async (hold) => {
      const current = await this.find(orgId);
      if (current?.appliedEventIds?.includes(eventId)) return;
      const { filter, update } = applyOnce(
        { _id: orgId },
        { $set: { members: change(current?.members ?? []) } },
        eventId,
      );
      hold.assertHeld();
      try {
        await this.model.updateOne(filter, update, { upsert: true }).exec();
      } catch (error) {
        // A replay whose upsert met the roster with this event's id: nothing to do.
        if (!isDuplicateKeyError(error)) throw error;
      }
    });
  }

  async setNoticeRecipients(orgId: string, value: OrgNoticeRecipient): Promise<void> {
    await this.claims.runExclusive([orgId], async (hold) => {
      hold.assertHeld();
      try {
        await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }, { upsert: true }).exec();
      } catch (error) {
        // two first writes racing: the other inserted it; set it again over the existing document
        if (!isDuplicateKeyError(error)) throw error;
        await this.model.updateOne({ _id: orgId }, { $set: { noticeRecipients: value } }).exec();
      }
    });
  }
}
