import { PageOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { PAYMENT_METHODS, type PaymentMethod } from '../../payments/dto/payment.dto';
import type { BatchRowError, BatchStatus, InvalidRowsPolicy } from '../batch.schema';
import type { BatchView as BatchShape } from '../batches.service';

const BATCH_STATUSES: readonly BatchStatus[] = ['queued', 'validating', 'paying', 'issuing', 'completed', 'failed'];

class BatchRowErrorView implements BatchRowError {
  @ApiProperty({ type: 'integer' }) line!: number;
  @ApiPropertyOptional() reference?: string;
  @ApiProperty() reason!: string;
}

class BatchPaymentView {
  @ApiProperty({ enum: PAYMENT_METHODS }) method!: PaymentMethod;
}

class BatchFailureView {
  @ApiProperty() code!: string;
  @ApiProperty() message!: string;
}

class BatchLinks {
  @ApiProperty() self!: string;
  @ApiPropertyOptional() pdf?: string;
  @ApiPropertyOptional() csv?: string;
}

export class BatchView implements BatchShape {
  @ApiProperty() batchId!: string;
  @ApiProperty({ enum: BATCH_STATUSES }) status!: BatchStatus;
  @ApiProperty({ enum: ['skip', 'reject'] }) invalidRows!: InvalidRowsPolicy;
  @ApiProperty({ type: BatchPaymentView }) payment!: BatchPaymentView;
  @ApiProperty({ type: 'integer' }) rows!: number;
  @ApiProperty({ type: 'integer' }) rowsValidated!: number;
  @ApiProperty({ type: 'integer' }) validRows!: number;
  @ApiProperty({ type: [BatchRowErrorView] }) errors!: BatchRowErrorView[];
  @ApiProperty({ type: 'integer' }) labelsIssued!: number;
  @ApiProperty({ type: 'integer' }) totalCents!: number;
  @ApiPropertyOptional({ type: BatchFailureView }) failure?: BatchFailureView;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ format: 'date-time' }) completedAt?: string;
  @ApiPropertyOptional({ type: [String], description: 'present once completed' }) labelIds?: string[];
  @ApiProperty({ type: BatchLinks }) links!: BatchLinks;
}

export const BatchViewPage = PageOf(BatchView);
