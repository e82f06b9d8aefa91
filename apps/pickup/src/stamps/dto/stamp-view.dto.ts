import { ItemsOf } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';
import type { StampProduct as StampProductShape } from '../stamp-catalogue.data';

export class StampProduct implements StampProductShape {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) priceCents!: number;
  @ApiProperty() unit!: string;
}

export const StampProductList = ItemsOf(StampProduct);
