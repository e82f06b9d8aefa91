import { Module, type OnModuleInit } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CardsModule } from '../cards/cards.module';
import { PaymentsModule } from '../payments/payments.module';
import { PaymentWebhookService } from '../payments/webhook.service';
import { OutboxRelay } from '@app/messaging';
import { AccountBalance, AccountBalanceSchema } from './account-balance.schema';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';
import { CheckoutService } from './checkout.service';
import { CheckoutsRepository } from './checkouts.repository';
import { RefundService } from './refund.service';
import { Checkout, CheckoutSchema } from '../payments/checkout.schema';
import { LedgerEntry, LedgerEntrySchema } from './ledger-entry.schema';
import { LedgerRepository } from './ledger.repository';
import { LedgerService } from './ledger.service';
import { TopUp, TopUpSchema } from './top-up.schema';
import { TopUpsRepository } from './top-ups.repository';

/** The postage account: its ledger, top-ups, balance and history. */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: LedgerEntry.name, schema: LedgerEntrySchema },
      { name: AccountBalance.name, schema: AccountBalanceSchema },
      { name: TopUp.name, schema: TopUpSchema },
      { name: Checkout.name, schema: CheckoutSchema },
    ]),
    PaymentsModule,
    CardsModule,
  ],
  controllers: [AccountController],
  providers: [
    LedgerRepository,
    TopUpsRepository,
    CheckoutsRepository,
    LedgerService,
    AccountService,
    CheckoutService,
    RefundService,
  ],
  exports: [LedgerService, AccountService, CheckoutService, RefundService, PaymentsModule],
})
export class AccountModule implements OnModuleInit {
  constructor(
    private readonly webhooks: PaymentWebhookService,
    private readonly account: AccountService,
    private readonly relay: OutboxRelay,
    private readonly ledger: LedgerService,
  ) {}

  onModuleInit(): void {
    // Each entry carries its receipt email (ReceiptIssued) in its outbox.
    this.relay.watch(this.ledger.repository.entries, { lock: this.ledger.repository.lock });
    this.webhooks.on('payment_intent.succeeded', async (event) => {
      const intent = event.object;
      if (intent.metadata?.purpose !== 'top_up' || typeof intent.id !== 'string') return;
      const amount = typeof intent.amount_received === 'number' ? intent.amount_received : intent.amount;
      if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) return;
      await this.account.topUpSucceeded(intent.id, intent.metadata.ownerId, amount);
    });
    this.webhooks.on('payment_intent.payment_failed', async (event) => {
      if (event.object.metadata?.purpose === 'top_up' && typeof event.object.id === 'string') {
        await this.account.topUpFailed(event.object.id);
      }
    });
  }
}
