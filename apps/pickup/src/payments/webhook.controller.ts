import { BadRequestException, Controller, Headers, HttpCode, Post, type RawBodyRequest, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiHeader, ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Public } from '@app/platform';
import { PaymentWebhookService } from './webhook.service';

/** What the provider gets back: the event was taken (a replayed event id is applied once). */
export class WebhookReceipt {
  @ApiProperty({ enum: [true] }) received!: true;
  @ApiProperty({ description: 'the event id was seen before' }) duplicate!: boolean;
}

@ApiTags('payments')
@Controller('payments')
export class WebhookController {
  constructor(private readonly webhooks: PaymentWebhookService) {}

  /** Called by the payment provider (Stripe); the signature, not a token, authenticates it. */
  @Post('webhook')
  @Public()
  @HttpCode(200)
  @ApiHeader({
    name: 'Stripe-Signature',
    required: true,
    description: 't=<unix time>,v1=<HMAC-SHA256>; 5-minute tolerance',
  })
  @ApiOkResponse({ type: WebhookReceipt, description: 'a replayed event id is applied once' })
  @ApiBadRequestResponse({ description: 'missing or bad signature, a timestamp older than 5 minutes, or no body' })
  receive(@Req() req: RawBodyRequest<Request>, @Headers('stripe-signature') signature?: string) {
    if (!req.rawBody?.length) throw new BadRequestException('the webhook needs its JSON body');
    return this.webhooks.receive(req.rawBody, signature);
  }
}
