import { ItemsOf } from '@app/platform';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ApiKeyView as ApiKeyShape } from '../api-keys.service';

export class ApiKeyView implements ApiKeyShape {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) roles!: string[];
  @ApiProperty() createdAt!: Date;
  @ApiPropertyOptional({ type: Date, nullable: true }) revokedAt?: Date | null;
}

export const ApiKeyViewList = ItemsOf(ApiKeyView);

/** `POST /admin/api-keys`: the key, shown once. */
export class CreatedApiKey {
  @ApiProperty() id!: string;
  @ApiProperty({ description: '`<id>.<secret>`: shown once, send it as X-Api-Key' }) key!: string;
}

/** `POST /auth/api-keys/token`: an access token for the key. */
export class ApiKeyToken {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ type: 'integer', description: 'seconds' }) expiresIn!: number;
}
