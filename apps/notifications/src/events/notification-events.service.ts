import type { EventEnvelope } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { ContactsService } from '../contacts/contacts.service';
import { NotificationDispatcher } from '../messages/notification-dispatcher.service';
import { routeEvent } from '../planning/event-routes';

/** What an incoming event does here: update the contact projection, then notify whom it concerns. */
@Injectable()
export class NotificationEventsService {
  constructor(
    private readonly contacts: ContactsService,
    private readonly dispatcher: NotificationDispatcher,
  ) {}

  async handle(envelope: EventEnvelope): Promise<void> {
    if (this.contacts.projects(envelope)) await this.contacts.apply(envelope);
    const request = routeEvent(envelope);
    if (request) await this.dispatcher.notify(request);
  }
}
