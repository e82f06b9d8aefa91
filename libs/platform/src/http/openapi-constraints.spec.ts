import 'reflect-metadata';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  isUUID,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { closeSchemas, describeErrorBodies, describeValidationRules } from './openapi-constraints';

class ConstraintsSampleDto {
  @IsString() @Matches(/^[0-9]{5}$/) zip!: string;
  @IsString() @IsNotEmpty() @MaxLength(40) name!: string;
  @IsOptional() @IsEmail() email?: string;
  @IsInt() @Min(1) @Max(70) weightOz!: number;
  @ApiProperty({ description: 'written by hand', enum: ['a', 'b'] }) @IsIn(['a', 'b']) kind!: string;
  @IsOptional() @IsString() @Matches(/^x$/i) caseless?: string;
  @IsUUID('4') caseId!: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 100 }) @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
}

const options = (property: string): Record<string, unknown> =>
  Reflect.getMetadata('swagger/apiModelProperties', ConstraintsSampleDto.prototype, property) as Record<
    string,
    unknown
  >;

describe('describeValidationRules', () => {
  beforeAll(() => describeValidationRules());

  it('states patterns, lengths, ranges, formats and optionality of class-validator rules', () => {
    expect(options('zip')).toMatchObject({ pattern: '^[0-9]{5}$', type: 'string' });
    expect(options('name')).toMatchObject({ minLength: 1, maxLength: 40 });
    expect(options('email')).toMatchObject({ format: 'email', required: false });
    expect(options('weightOz')).toMatchObject({ type: 'integer', minimum: 1, maximum: 70 });
  });

  it('keeps what @ApiProperty says and adds only the rest', () => {
    expect(options('kind')).toMatchObject({ description: 'written by hand', enum: ['a', 'b'] });
  });

  it('states a UUID version as the pattern the validator checks (format uuid alone admits any version)', () => {
    const pattern = new RegExp(String(options('caseId').pattern));
    expect(options('caseId')).toMatchObject({ format: 'uuid' });
    for (const value of [
      '6ba7b810-9dad-41d1-b0b4-00c04fd430c8',
      '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
      '6ba7b810-9dad-41d1-c0b4-00c04fd430c8',
    ])
      expect(pattern.test(value)).toBe(isUUID(value, '4'));
  });

  it('states an integer rule on a number that @ApiProperty left as number', () => {
    expect(options('limit')).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('leaves out a pattern whose flags JSON Schema cannot state', () => {
    expect(options('caseless')).not.toHaveProperty('pattern');
  });
});

describe('closeSchemas', () => {
  it('forbids unknown properties of validated classes and defines undeclared path parameters', () => {
    const document = closeSchemas({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: { '/sessions/{id}': { delete: { responses: {} } } },
      components: { schemas: { ConstraintsSampleDto: { type: 'object', properties: {} }, Other: { type: 'object' } } },
    });
    expect(document.components?.schemas?.ConstraintsSampleDto).toMatchObject({ additionalProperties: false });
    expect(document.components?.schemas?.Other).not.toHaveProperty('additionalProperties');
    expect(document.paths['/sessions/{id}'].delete?.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
    ]);
  });
});

describe('describeErrorBodies', () => {
  it("gives every 400 the error body's schema, with the fields a validation failure names", () => {
    const document = describeErrorBodies({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/things': {
          post: { responses: { '201': { description: 'made' }, '400': { description: 'bad input' } } },
          get: { responses: { '200': { description: 'ok' } } },
        },
      },
    });
    const bad = document.paths['/things'].post?.responses['400'] as { content?: Record<string, { schema: unknown }> };
    expect(bad.content?.['application/json'].schema).toEqual({ $ref: '#/components/schemas/ApiErrorBody' });
    expect(document.paths['/things'].get?.responses['400']).toBeUndefined();
    const schema = document.components?.schemas?.ApiErrorBody as { properties: Record<string, { items?: unknown }> };
    expect(schema.properties.fields.items).toMatchObject({
      required: ['field', 'message'],
      properties: { field: { type: 'string' }, message: { type: 'string' } },
    });
  });
});

describe('closeSchemas on headers', () => {
  it("keeps a route's documented header and drops the bare required copy @Headers() adds", () => {
    const document = closeSchemas({
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/stamps': {
          get: {
            parameters: [
              { name: 'accept-language', in: 'header', required: true, schema: { type: 'string' } },
              { name: 'Accept-Language', in: 'header', required: false, description: 'the language' },
            ],
            responses: {},
          },
        },
      },
    });
    expect(document.paths['/stamps'].get?.parameters).toEqual([
      { name: 'Accept-Language', in: 'header', required: false, description: 'the language' },
    ]);
  });
});
