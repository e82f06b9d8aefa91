import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

export class TotpCodeDto {
  @IsString() @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code: string;
}

export class DisableMfaDto {
  @IsString() @IsNotEmpty() @MaxLength(1024) password: string;
}
