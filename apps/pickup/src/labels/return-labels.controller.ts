import { Body, Controller, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiNotFoundResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { type AuthUser, CurrentUser } from '@app/auth';
import { CreateReturnLabelDto } from './dto/create-return-label.dto';
import { ReturnLabelsService } from './return-labels.service';

@ApiTags('labels')
@ApiBearerAuth()
@Controller('labels')
export class ReturnLabelsController {
  constructor(private readonly returns: ReturnLabelsService) {}

  @Post(':id/return')
  @ApiResponse({
    status: 201,
    description:
      'the prepaid return label of label `:id` (sender and recipient swapped, `returnOf` = `:id`), ' +
      '`returnCharge.state: "awaiting_scan"`: nothing is charged until the postal service first accepts the parcel',
  })
  @ApiResponse({ status: 200, description: 'the label has a return label already: that one (one per outbound label)' })
  @ApiNotFoundResponse({ description: "no such label, or another account's" })
  @ApiConflictResponse({ description: 'the label is itself a return label, ships a stamps order, or is refunded' })
  async create(
    @CurrentUser() user: AuthUser,
    @Param('id') id: string,
    @Body() body: CreateReturnLabelDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    const { created, label } = await this.returns.create(user.userId, id, body);
    res.status(created ? 201 : 200);
    return label;
  }
}
