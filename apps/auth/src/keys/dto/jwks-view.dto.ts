import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One public signing key (RFC 7517). */
export class PublicJwk {
  @ApiProperty({ example: 'RSA' }) kty!: string;
  @ApiPropertyOptional() kid?: string;
  @ApiPropertyOptional({ example: 'RS256' }) alg?: string;
  @ApiPropertyOptional({ example: 'sig' }) use?: string;
}

/** The JWK Set of the keys that sign access tokens (RFC 7517 §5). */
export class JwkSet {
  @ApiProperty({ type: [PublicJwk] }) keys!: PublicJwk[];
}
