import { ORG_ROLES, type OrgRole } from '@app/contracts';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';

const ORG_NAME_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} .,&'()-]{0,99}$/u;

export class CreateOrgDto {
  @ApiProperty({
    description: "letters, digits, spaces and . , & ' ( ) -; starts with a letter or digit",
    minLength: 1,
    maxLength: 100,
    pattern: ORG_NAME_PATTERN.source,
  })
  @IsString()
  @MaxLength(100)
  @Matches(ORG_NAME_PATTERN, { message: "name must be 1-100 letters, digits, spaces or . , & ' ( ) -" })
  name: string;
}

export class InviteDto {
  @ApiProperty({ format: 'email', maxLength: 254 }) @IsEmail() @MaxLength(254) email: string;
  @ApiProperty({ enum: ORG_ROLES, description: 'only an owner may invite an owner' })
  @IsIn(ORG_ROLES as OrgRole[])
  role: OrgRole;
}

export class AcceptInviteDto {
  @ApiProperty({
    description: 'the token from the invitation link',
    pattern: '^org_[0-9a-f]{32}\\.[A-Za-z0-9_-]{40,64}$',
    maxLength: 200,
  })
  @IsString()
  @MaxLength(200)
  @Matches(/^org_[0-9a-f]{32}\.[A-Za-z0-9_-]{40,64}$/, { message: 'token is not an invitation token' })
  token: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ORG_ROLES, description: 'only an owner may grant or take away the owner role' })
  @IsIn(ORG_ROLES as OrgRole[])
  role: OrgRole;
}

const ID_PATTERN = '^[A-Za-z0-9_-]{1,100}$';

export class MemberIdParamDto {
  @ApiProperty({ pattern: ID_PATTERN })
  @IsString()
  @Matches(new RegExp(ID_PATTERN), { message: 'userId is not a user id' })
  userId: string;
}

export class InviteIdParamDto {
  @ApiProperty({ pattern: ID_PATTERN })
  @IsString()
  @Matches(new RegExp(ID_PATTERN), { message: 'id is not an invitation id' })
  id: string;
}

export class SwitchOrgDto {
  @ApiPropertyOptional({
    nullable: true,
    pattern: '^org_[0-9a-f]{32}$',
    description: 'the organisation to act for; null or absent for the personal account',
  })
  @IsOptional()
  @ValidateIf((_o, value) => value !== null)
  @IsString()
  @Matches(/^org_[0-9a-f]{32}$/, { message: 'orgId is not an organisation id' })
  orgId?: string | null;
}
