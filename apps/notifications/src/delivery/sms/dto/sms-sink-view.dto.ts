import { PageOf } from '@app/platform';
import { ApiProperty } from '@nestjs/swagger';

/** A text message the sink SMS provider kept (one-time codes masked). */
export class SinkedSmsView {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'E.164' }) to!: string;
  @ApiProperty() body!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export const SinkedSmsViewPage = PageOf(SinkedSmsView);
