import { IsBoolean, IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsOptionalNotNull } from '@app/platform';

export class CreateAddressDto {
  @IsOptionalNotNull() @IsString() @MaxLength(50) label?: string;
  @IsOptionalNotNull() @IsString() @MaxLength(100) name?: string;
  @IsString() @IsNotEmpty() @MaxLength(100) line1: string;
  @IsOptionalNotNull() @IsString() @MaxLength(100) line2?: string;
  @IsString() @IsNotEmpty() @MaxLength(60) city: string;
  @IsString() @IsNotEmpty() @MaxLength(10) state: string;
  @IsString() @IsNotEmpty() @MaxLength(10) zip: string;
  @IsOptional() @IsBoolean() isDefault?: boolean;
}

export class UpdateAddressDto {
  @IsOptionalNotNull() @IsString() @MaxLength(50) label?: string;
  @IsOptionalNotNull() @IsString() @MaxLength(100) name?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(100) line1?: string;
  @IsOptionalNotNull() @IsString() @MaxLength(100) line2?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(60) city?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(10) state?: string;
  @IsOptional() @IsString() @IsNotEmpty() @MaxLength(10) zip?: string;
  @IsOptional() @IsBoolean() isDefault?: boolean;
}

export class VerifyAddressDto {
  @IsString()
  @Matches(/^[A-Za-z0-9]{8}$/, { message: 'code must be the 8 characters printed on the letter' })
  code: string;
}
