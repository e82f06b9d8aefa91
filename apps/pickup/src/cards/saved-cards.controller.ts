import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
  ApiOkResponse,
  ApiCreatedResponse,
} from '@nestjs/swagger';
import { type AuthUser, CurrentUser } from '@app/auth';
import { PAYMENT_METHOD_ID } from '../account/dto/top-up.dto';
import { CardIdPipe } from './card-id.pipe';
import { AddCardDto, MAX_SAVED_CARDS } from './dto/add-card.dto';
import { SavedCardsService } from './saved-cards.service';
import { SavedCardView, SavedCardViewList, SetupIntentView } from './dto/saved-card-view.dto';

const CARD_ID_PARAM = {
  name: 'id',
  schema: { type: 'string', pattern: PAYMENT_METHOD_ID.source },
  description: 'a `cardId` from GET /account/cards',
} as const;

@ApiTags('account')
@ApiBearerAuth()
@ApiServiceUnavailableResponse({ description: 'the payment provider is unavailable; nothing was changed' })
@Controller('account/cards')
export class SavedCardsController {
  constructor(private readonly cards: SavedCardsService) {}

  @Get()
  @ApiOperation({ summary: "The caller's saved cards: brand, last 4 digits, expiry, and which is the default" })
  @ApiOkResponse({ type: SavedCardViewList })
  list(@CurrentUser() user: AuthUser) {
    return this.cards.list(user.userId);
  }

  @Post('setup-intents')
  @ApiOperation({ summary: 'A setup intent for Stripe.js to confirm with the card element (then POST /account/cards)' })
  @ApiCreatedResponse({ type: SetupIntentView })
  setupIntent(@CurrentUser() user: AuthUser) {
    return this.cards.createSetupIntent(user.userId);
  }

  @Post()
  @ApiOperation({
    summary: `Saves a card (at most ${MAX_SAVED_CARDS}); the first becomes the default; the account is emailed`,
  })
  @ApiResponse({
    status: 201,
    type: SavedCardView,
    description: 'the saved card (saving the same card again answers it unchanged)',
  })
  @ApiResponse({
    status: 400,
    description:
      'neither or both of paymentMethodId and setupIntentId, a malformed id, or a setup intent not of your customer',
  })
  @ApiNotFoundResponse({ description: "another account's card" })
  @ApiResponse({ status: 409, description: `the account has ${MAX_SAVED_CARDS} saved cards already` })
  add(@CurrentUser() user: AuthUser, @Body() body: AddCardDto) {
    return this.cards.add(user.userId, body);
  }

  @Post(':id/default')
  @HttpCode(200)
  @ApiParam(CARD_ID_PARAM)
  @ApiNotFoundResponse({ description: "not one of the caller's saved cards" })
  @ApiOkResponse({ type: SavedCardView })
  setDefault(@CurrentUser() user: AuthUser, @Param('id', CardIdPipe) id: string) {
    return this.cards.setDefault(user.userId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiParam(CARD_ID_PARAM)
  @ApiNoContentResponse({ description: 'removed (detached from the customer); the account is emailed' })
  @ApiNotFoundResponse({ description: "not one of the caller's saved cards" })
  async remove(@CurrentUser() user: AuthUser, @Param('id', CardIdPipe) id: string): Promise<void> {
    await this.cards.remove(user.userId, id);
  }
}
