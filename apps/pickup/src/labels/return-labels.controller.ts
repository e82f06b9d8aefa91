import { Body, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiResponse } from '@nestjs/swagger';
import type { Response } from 'express';
import {
  type AuthUser,
  CurrentUser,
  OrgActingController,
  OrgPermissionRequired,
  ownerScope,
  actingMember,
} from '@app/auth';
import { OrgPermissions } from '@app/contracts';
import { CreateReturnLabelDto, PayReturnChargeDto } from './dto/create-return-label.dto';
import { ReturnLabelsService } from './return-labels.service';
import { LabelView } from './dto/label-view.dto';
import { ApiLabelId } from './label-id.param';

// Teams (issue 18): acting for an organisation reads and writes its labels, with the role's permission.
@OrgActingController('labels', 'labels')
export class ReturnLabelsController {
  constructor(private readonly returns: ReturnLabelsService) {}

  @Post(':id/return')
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiResponse({
    status: 201,
    type: LabelView,
    description:
      'the prepaid return label of label `:id` (sender and recipient swapped, `returnOf` = `:id`), ' +
      '`returnCharge.state: "awaiting_scan"`: nothing is charged until the postal service first accepts the parcel',
  })
  @ApiResponse({
    status: 200,
    type: LabelView,
    description: 'the label has a return label already: that one (one per outbound label)',
  })
  @ApiNotFoundResponse({ description: "no such label, or another account's" })
  @ApiConflictResponse({ description: 'the label is itself a return label, ships a stamps order, or is refunded' })
  @ApiLabelId()
  async create(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: CreateReturnLabelDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, label } = await this.returns.create(ownerScope(user), id, body, actingMember(user));
    res.status(created ? 201 : 200);
    return label;
  }

  @Post(':id/return-charge')
  @HttpCode(200)
  @OrgPermissionRequired(OrgPermissions.Ship)
  @ApiOperation({
    summary:
      'Pay the refused charge of a return label (returnCharge.state "failed") with another card or the postage balance',
  })
  @ApiResponse({
    status: 200,
    type: LabelView,
    description: 'paid: the label with `returnCharge.state: "charged"` (a repeat answers the same)',
  })
  @ApiResponse({ status: 400, description: 'malformed payment' })
  @ApiResponse({
    status: 402,
    description: 'refused again (card declined, balance short): the reason; the charge stays failed',
  })
  @ApiNotFoundResponse({ description: "no such label, another account's, or not a return label" })
  @ApiConflictResponse({ description: 'the charge is not failed (awaiting the first scan, or due)' })
  @ApiLabelId()
  payFailedCharge(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() body: PayReturnChargeDto) {
    return this.returns.payFailedCharge(ownerScope(user), id, body.payment);
  }
}
