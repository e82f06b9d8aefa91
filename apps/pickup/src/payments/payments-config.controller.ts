import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '@app/auth';
import { PICKUP_CONFIG, type PickupConfig } from '../config';

/** How the web collects a card: Stripe's card element, or (no publishable key) Stripe's test methods. */
export class PaymentsConfigView {
  @ApiProperty({
    type: String,
    nullable: true,
    pattern: '^pk_(test|live)_[A-Za-z0-9]+$',
    description: "Stripe's publishable key for Stripe.js; null when none is configured (local mode)",
  })
  publishableKey!: string | null;

  @ApiProperty({
    enum: ['stripe', 'test-methods'],
    description:
      "`stripe`: enter the card in Stripe's card element; `test-methods`: pick a Stripe test method (pm_card_visa, …)",
  })
  mode!: 'stripe' | 'test-methods';
}

@ApiTags('payments')
@Controller('payments')
export class PaymentsConfigController {
  constructor(@Inject(PICKUP_CONFIG) private readonly config: PickupConfig) {}

  /** Public: the publishable key is meant for browsers, and the page may ask before signing in. */
  @Public()
  @Get('config')
  @ApiOperation({ summary: 'How the web portal collects a card (the publishable key for Stripe.js, if any)' })
  @ApiOkResponse({ type: PaymentsConfigView })
  get(): PaymentsConfigView {
    const publishableKey = this.config.STRIPE_PUBLISHABLE_KEY ?? null;
    return { publishableKey, mode: publishableKey ? 'stripe' : 'test-methods' };
  }
}
