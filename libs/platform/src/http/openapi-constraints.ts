import { ApiProperty, type OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage, type ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

/** Where @nestjs/swagger keeps one property's @ApiProperty options (DECORATORS.API_MODEL_PROPERTIES). */
const API_MODEL_PROPERTIES = 'swagger/apiModelProperties';

type Schema = Record<string, unknown>;
/** A DTO class (class-validator keys its rules by constructor). */
type DtoClass = abstract new (...args: never[]) => unknown;
type Constraint = (args: unknown[], schema: Schema, isString: boolean) => void;

const CONDITIONAL: (typeof ValidationTypes)['CONDITIONAL_VALIDATION'] = 'conditionalValidation';
const NESTED: (typeof ValidationTypes)['NESTED_VALIDATION'] = 'nestedValidation';

/** A JavaScript RegExp as an OpenAPI pattern; undefined when its flags cannot be written in one. */
function patternOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof RegExp && value.flags.replace(/[gu]/g, '') === '') return value.source;
  return undefined;
}

/** validator.js's pattern of a version-4 UUID (what `@IsUUID('4')` accepts); `format: uuid` alone admits any version. */
const HEX = '[0-9a-fA-F]';
const UUID_VERSION_PATTERNS: Record<string, string> = {
  '4': `^${HEX}{8}-${HEX}{4}-4${HEX}{3}-[89abAB]${HEX}{3}-${HEX}{12}$`,
};

/**
 * What each class-validator decorator the services use says, in OpenAPI terms. A decorator missing
 * here adds nothing to the document (its rule is then not stated: add it here).
 */
const CONSTRAINTS: Record<string, Constraint> = {
  isString: (_args, schema) => (schema.type ??= 'string'),
  isBoolean: (_args, schema) => (schema.type = 'boolean'),
  isInt: (_args, schema) => (schema.type = 'integer'),
  isNumber: (_args, schema) => (schema.type ??= 'number'),
  isObject: (_args, schema) => (schema.type = 'object'),
  maxLength: ([max], schema) => (schema.maxLength = max),
  minLength: ([min], schema) => (schema.minLength = Math.max(Number(schema.minLength ?? 0), Number(min))),
  isLength: ([min, max], schema) => {
    schema.minLength = Math.max(Number(schema.minLength ?? 0), Number(min));
    if (max !== undefined) schema.maxLength = max;
  },
  isNotEmpty: (_args, schema, isString) => {
    if (isString) schema.minLength = Math.max(Number(schema.minLength ?? 0), 1);
  },
  matches: ([pattern], schema) => {
    const source = patternOf(pattern);
    if (source !== undefined) schema.pattern = source;
  },
  isIn: ([values], schema) => (schema.enum = values),
  isEnum: ([entity], schema) => {
    schema.enum = Object.values(entity as Record<string, unknown>);
  },
  max: ([max], schema) => (schema.maximum = max),
  min: ([min], schema) => (schema.minimum = min),
  isPositive: (_args, schema) => {
    schema.minimum = 0;
    schema.exclusiveMinimum = true;
  },
  isDivisibleBy: ([divisor], schema) => (schema.multipleOf = divisor),
  arrayMaxSize: ([max], schema) => (schema.maxItems = max),
  arrayMinSize: ([min], schema) => (schema.minItems = min),
  arrayUnique: (_args, schema) => (schema.uniqueItems = true),
  isEmail: (_args, schema) => (schema.format = 'email'),
  isUuid: ([version], schema) => {
    schema.format = 'uuid';
    const pattern = UUID_VERSION_PATTERNS[String(version)];
    if (pattern) schema.pattern = pattern;
  },
};

/** Array-level rules stay on the array when a rule with `each` describes the items. */
const ARRAY_RULES = new Set(['arrayMaxSize', 'arrayMinSize', 'arrayUnique', 'isArray']);

/** Every class that class-validator knows, with its rules by property. */
function validatedClasses(): Map<DtoClass, Map<string, ValidationMetadata[]>> {
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<DtoClass | string, ValidationMetadata[]>;
  };
  const classes = new Map<DtoClass, Map<string, ValidationMetadata[]>>();
  for (const [target, metadatas] of storage.validationMetadatas) {
    if (typeof target !== 'function') continue;
    const byProperty = classes.get(target) ?? new Map<string, ValidationMetadata[]>();
    for (const metadata of metadatas) {
      byProperty.set(metadata.propertyName, [...(byProperty.get(metadata.propertyName) ?? []), metadata]);
    }
    classes.set(target, byProperty);
  }
  return classes;
}

/** The OpenAPI facts one property's rules state. */
function describeProperty(target: DtoClass, property: string, rules: ValidationMetadata[]): Schema {
  const designType: unknown = Reflect.getMetadata('design:type', target.prototype as object, property);
  const isArray = designType === Array;
  const schema: Schema = {};
  const items: Schema = {};
  let optional = false;
  let nested = false;
  for (const rule of rules) {
    if (rule.type === CONDITIONAL) optional = true;
    if (rule.type === NESTED) nested = true;
    const name = rule.name ?? rule.type;
    const describe = CONSTRAINTS[name];
    if (!describe) continue;
    const into = isArray && rule.each && !ARRAY_RULES.has(name) ? items : schema;
    describe(rule.constraints ?? [], into, into === items || designType === String);
  }
  if (isArray) {
    delete schema.type;
    if (Object.keys(items).length > 0) schema.items = { type: 'string', ...items };
  }
  // A nested object's type comes from design:type (the class itself); a nested array keeps its @ApiProperty.
  if (nested && isArray) delete schema.items;
  if (optional) schema.required = false;
  return schema;
}

let applied = false;

/**
 * States every class-validator rule of the DTOs in their OpenAPI metadata (what the swagger CLI
 * plugin's class-validator shim does at build time, for all the decorators the services use), so
 * the document describes exactly what the validation pipe accepts. Explicit @ApiProperty options
 * win. Call before SwaggerModule.createDocument; once per process.
 */
export function describeValidationRules(): void {
  if (applied) return;
  applied = true;
  for (const [target, properties] of validatedClasses()) {
    for (const [property, rules] of properties) {
      const derived: Schema = { ...describeProperty(target, property, rules) };
      const existing = Reflect.getMetadata(API_MODEL_PROPERTIES, target.prototype as object, property) as
        Schema | undefined;
      if (existing) {
        // Keep what the author wrote; add only the rules they did not state (not a nested type: theirs is right).
        const { type, isArray: _isArray, ...constraints } = derived;
        // @IsInt narrows a number the author left as `number` (or untyped): generated 1.5s would be refused.
        const integer =
          type === 'integer' && [undefined, Number, 'number'].includes(existing.type as string | undefined)
            ? { type: 'integer' }
            : {};
        const items =
          existing.items && derived.items
            ? { items: { ...(derived.items as Schema), ...(existing.items as Schema) } }
            : {};
        Reflect.defineMetadata(
          API_MODEL_PROPERTIES,
          { ...constraints, ...existing, ...items, ...integer },
          target.prototype as object,
          property,
        );
      } else {
        ApiProperty(derived)(target.prototype as object, property);
      }
    }
  }
}

/**
 * The validation pipe rejects unknown properties (forbidNonWhitelisted): every schema of a
 * validated class says so. Path parameters the template names but no decorator declared are added
 * as required strings (an operation must define each of its path parameters).
 */
export function closeSchemas(document: OpenAPIObject): OpenAPIObject {
  const validated = new Set([...validatedClasses().keys()].map((target) => target.name));
  for (const [name, schema] of Object.entries(document.components?.schemas ?? {})) {
    if (validated.has(name) && !('$ref' in schema)) schema.additionalProperties ??= false;
  }
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    const names = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const parameters = (operation.parameters ??= []);
      // `@Headers('accept-language')` lists the header as required, beside the route's own `@ApiHeader` that says
      // what it is for and that it is optional: the documented one stays.
      const headers = parameters.filter((p) => 'in' in p && p.in === 'header') as {
        name: string;
        description?: string;
      }[];
      for (const bare of headers.filter((h) => !h.description)) {
        if (headers.some((h) => h !== bare && h.description && h.name.toLowerCase() === bare.name.toLowerCase())) {
          parameters.splice(parameters.indexOf(bare as never), 1);
        }
      }
      for (const name of names) {
        const declared = parameters.some((p) => 'in' in p && p.in === 'path' && p.name === name);
        if (!declared) parameters.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      }
    }
  }
  return document;
}

/**
 * Every error answer has the shape of `errorBody` (AllExceptionsFilter); a 400 says it in the document, with the
 * `fields` a validation failure (and a refusal about one field) adds so that a client can show each message under
 * its field.
 */
export function describeErrorBodies(document: OpenAPIObject): OpenAPIObject {
  const schemas = ((document.components ??= {}).schemas ??= {});
  schemas.ApiErrorBody = {
    type: 'object',
    required: ['statusCode', 'error', 'message'],
    properties: {
      statusCode: { type: 'integer', example: 400 },
      error: { type: 'string', example: 'Bad Request' },
      message: {
        description: 'the reasons, in the language of Accept-Language (en, es, zh-Hans; English otherwise)',
        oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
      },
      fields: {
        description:
          'the request fields the reasons are about (a failed validation lists one entry per reason, by property path such as `to.zip`; a refusal about one field such as a taken username names it); absent when no field is at fault',
        type: 'array',
        items: {
          type: 'object',
          required: ['field', 'message'],
          properties: {
            field: {
              type: 'string',
              description: 'dotted property path of the request body or query',
              example: 'to.zip',
            },
            message: { type: 'string', description: 'the reason, as in `message`, in the same language' },
          },
        },
      },
      requestId: { type: 'string' },
    },
  };
  for (const item of Object.values(document.paths ?? {})) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const response = item[method]?.responses?.['400'] as { content?: unknown } | undefined;
      if (response && !('$ref' in response) && !response.content) {
        response.content = { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorBody' } } };
      }
    }
  }
  return document;
}
