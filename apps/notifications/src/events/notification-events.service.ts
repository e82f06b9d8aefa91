import { EventHandlers, SupportCaseRepliedV1, type EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { ContactsService } from '../contacts/contacts.service';
import { OrgRostersService } from '../orgs/org-rosters.service';
import { NotificationDispatcher } from '../messages/notification-dispatcher.service';
import { routeEvent } from '../planning/event-routes';
import { SupportService } from '../support/support.service';
import { WebhookFanout } from '../webhooks/webhook-fanout.service';

/** What an incoming event does here: update the contact projection, then notify whom it concerns and tell the webhooks. */
@Injectable()
export class NotificationEventsService {
  // Our own event: the reply text lives in the case, not in the event.
  private readonly own = new EventHandlers<Promise<void>>().on(SupportCaseRepliedV1, (_data, envelope) =>
    this.support.handleReplied(envelope),
  );

  constructor(
    private readonly contacts: ContactsService,
    private readonly dispatcher: NotificationDispatcher,
    private readonly support: SupportService,
    private readonly webhooks: WebhookFanout,
    private readonly rosters: OrgRostersService,
  ) {}

  async handle(envelope: EventEnvelope): Promise<void> {
    if (this.own.handles(envelope)) return this.own.dispatch(envelope);
    if (this.contacts.projects(envelope)) await this.contacts.apply(envelope);
    if (this.rosters.projects(envelope)) await this.rosters.apply(envelope);
    const request = routeEvent(envelope);
    // Webhooks are one more channel: the same event, to the owners' subscribed endpoints. Neither
    // waits for the other (each is idempotent on a replay): an arrival's store reads overlap.
    const done = await Promise.allSettled([
      request ? this.dispatcher.notify(request) : undefined,
      this.webhooks.handle(envelope),
    ]);
    for (const result of done) if (result.status === 'rejected') throw result.reason;
  }
}
