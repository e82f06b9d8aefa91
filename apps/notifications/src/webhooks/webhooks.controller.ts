import { CurrentUser, OrgActingController, OrgPermissionRequired, type AuthUser } from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiOkResponse, ApiAcceptedResponse } from '@nestjs/swagger';
import { ApiTooManyRequests } from '@app/platform';
import {
  CreateEndpointDto,
  DeliveriesQueryDto,
  DeliveryIdParams,
  EndpointIdParams,
  UpdateEndpointDto,
} from './dto/webhooks.dto';
import { WebhooksService } from './webhooks.service';
import {
  CreatedEndpointView,
  DeliveryView,
  DeliveryViewPage,
  EndpointView,
  EndpointViewPage,
  RedeliveryQueued,
  RotatedSecretView,
} from './dto/webhook-view.dto';

// Teams (issue 18): an organisation's endpoints are read by its members and changed by admins and owners.
@OrgActingController('webhooks/endpoints', 'webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @OrgPermissionRequired(OrgPermissions.Manage)
  @ApiOperation({
    summary: 'Register an endpoint; the answer carries its signing secret (shown only here and at rotation)',
  })
  @ApiResponse({
    status: 201,
    type: CreatedEndpointView,
    description: 'registered; a security email goes to the account',
  })
  @ApiResponse({ status: 400, description: 'malformed body, unknown event type' })
  @ApiResponse({ status: 409, description: 'the account has 20 endpoints already' })
  @ApiResponse({
    status: 422,
    description: 'the URL is not https or not on public addresses only (the reason is given)',
  })
  create(@CurrentUser() user: AuthUser, @Body() body: CreateEndpointDto) {
    return this.webhooks.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: "The caller's endpoints (at most 20, one page)" })
  @ApiOkResponse({ type: EndpointViewPage })
  list(@CurrentUser() user: AuthUser) {
    return this.webhooks.list(user);
  }

  @Get(':id')
  @ApiResponse({ status: 404, description: 'no such endpoint of the caller' })
  @ApiOkResponse({ type: EndpointView })
  get(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams) {
    return this.webhooks.get(user, params.id);
  }

  @Patch(':id')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @ApiResponse({ status: 422, description: 'the new URL is refused (the reason is given)' })
  @ApiOkResponse({ type: EndpointView })
  update(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams, @Body() body: UpdateEndpointDto) {
    return this.webhooks.update(user, params.id, body);
  }

  @Delete(':id')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @HttpCode(204)
  @ApiResponse({ status: 204, description: 'deleted with its delivery log; a security email goes to the account' })
  remove(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams) {
    return this.webhooks.remove(user, params.id);
  }

  @Post(':id/rotate-secret')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @HttpCode(200)
  @ApiOperation({ summary: 'A new signing secret; the previous one also signs for 24 hours' })
  @ApiOkResponse({ type: RotatedSecretView })
  rotate(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams) {
    return this.webhooks.rotateSecret(user, params.id);
  }

  @Post(':id/test')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Send a signed sample event (type webhook.test) to the endpoint at once, whatever it subscribed to; it shows in the delivery log (one attempt, no retries)',
  })
  @ApiResponse({ status: 202, type: DeliveryView, description: 'queued: the delivery as in the log, with its payload' })
  @ApiResponse({ status: 404, description: 'no such endpoint of the caller' })
  @ApiResponse({ status: 409, description: 'the endpoint is disabled' })
  @ApiTooManyRequests('more than 10 test events to this endpoint in an hour')
  sendTest(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams) {
    return this.webhooks.sendTest(user, params.id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The delivery log, newest first (the last 1,000 deliveries)' })
  @ApiOkResponse({ type: DeliveryViewPage })
  deliveries(@CurrentUser() user: AuthUser, @Param() params: EndpointIdParams, @Query() query: DeliveriesQueryDto) {
    return this.webhooks.deliveries(user, params.id, query);
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery with its payload and every attempt' })
  @ApiOkResponse({ type: DeliveryView })
  delivery(@CurrentUser() user: AuthUser, @Param() params: DeliveryIdParams) {
    return this.webhooks.delivery(user, params.id, params.deliveryId);
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @OrgPermissionRequired(OrgPermissions.Manage)
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a finished delivery again, at once, with the same webhook-id' })
  @ApiResponse({
    status: 409,
    description: 'still being retried, the endpoint is disabled, or 20 redeliveries already',
  })
  @ApiAcceptedResponse({ type: RedeliveryQueued })
  redeliver(@CurrentUser() user: AuthUser, @Param() params: DeliveryIdParams) {
    return this.webhooks.redeliver(user, params.id, params.deliveryId);
  }
}
