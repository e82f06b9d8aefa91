import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, ValidateIf } from 'class-validator';
import { PAYMENT_METHOD_ID } from '../../account/dto/top-up.dto';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/dto/payment.dto';
import type { InvalidRowsPolicy } from '../batch.schema';

export const INVALID_ROWS_POLICIES = ['skip', 'reject'] as const;

/** The batch's options ride in the query string: the body is the CSV itself. */
export class CreateBatchQueryDto {
  @ApiPropertyOptional({
    enum: PAYMENT_METHODS,
    default: 'balance',
    description: 'how the whole batch is paid, in one checkout: the postage balance, or one card charge',
  })
  @IsOptional()
  @IsIn(PAYMENT_METHODS)
  payment?: PaymentMethod;

  @ApiPropertyOptional({ pattern: PAYMENT_METHOD_ID.source, description: 'required with payment=card' })
  @ValidateIf((o: CreateBatchQueryDto) => o.payment === 'card' || o.paymentMethodId !== undefined)
  @IsString({ message: 'paymentMethodId is required to pay by card' })
  @Matches(PAYMENT_METHOD_ID, { message: 'paymentMethodId must be a payment method id (pm_…)' })
  paymentMethodId?: string;

  @ApiPropertyOptional({
    enum: INVALID_ROWS_POLICIES,
    default: 'skip',
    description:
      '`skip` (default): labels are made for the valid rows, each invalid row is reported with its line and reason. ' +
      '`reject`: one invalid row and no label is made (nothing is charged).',
  })
  @IsOptional()
  @IsIn(INVALID_ROWS_POLICIES)
  invalidRows?: InvalidRowsPolicy;
}
