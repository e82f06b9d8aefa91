import { ValidateIf } from 'class-validator';

/**
 * Optional but never null: @IsOptional() lets null through to the service, which reads the value as
 * a string (500s the contract run found); with this, null meets the field's other rules and gets a 400.
 * The OpenAPI document states the field as optional (libs/platform/src/http/openapi-constraints.ts).
 */
export const IsOptionalNotNull = (): PropertyDecorator =>
  ValidateIf((_object: object, value: unknown) => value !== undefined);
