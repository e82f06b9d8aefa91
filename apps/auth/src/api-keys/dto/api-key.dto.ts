import { Roles } from '@app/contracts';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';

export const API_KEY_ROLES = [Roles.Scanner] as const;

export class CreateApiKeyDto {
  @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsIn(API_KEY_ROLES, { each: true, message: `roles must be among: ${API_KEY_ROLES.join(', ')}` })
  roles: string[];
}

export class ApiKeyTokenDto {
  @IsString() @IsNotEmpty() @MaxLength(200) key: string;
}
