import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { OutboxRelay } from '@app/messaging';
import { PaymentsModule } from '../payments/payments.module';
import { PaymentCustomer, PaymentCustomerSchema } from './payment-customer.schema';
import { PaymentCustomersRepository } from './payment-customers.repository';
import { SavedCard, SavedCardSchema } from './saved-card.schema';
import { SavedCardsController } from './saved-cards.controller';
import { SavedCardsService } from './saved-cards.service';

/** Saved cards: the account's provider customer and the cards attached to it. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: SavedCard.name, schema: SavedCardSchema },
      { name: PaymentCustomer.name, schema: PaymentCustomerSchema },
    ]),
    PaymentsModule,
  ],
  controllers: [SavedCardsController],
  providers: [SavedCardsService, PaymentCustomersRepository],
  exports: [SavedCardsService],
})
export class CardsModule implements OnModuleInit {
  constructor(
    private readonly relay: OutboxRelay,
    private readonly cards: SavedCardsService,
  ) {}

  onModuleInit(): void {
    this.relay.watch(this.cards.cards, { lock: this.cards.updates.lock });
  }
}
