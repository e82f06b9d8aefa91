import { ApiProperty } from '@nestjs/swagger';

/** `POST /auth/register`: the new account (its email still to verify). */
export class RegisteredUser {
  @ApiProperty() userId!: string;
  @ApiProperty() username!: string;
}
