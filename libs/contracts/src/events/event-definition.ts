import type { z } from 'zod';
import type { Topic } from '../topics';

/** An event type at one version: its topic, its `data` schema and an example payload. */
export interface EventDefinition<TSchema extends z.ZodType = z.ZodType> {
  type: string;
  version: number;
  topic: Topic;
  schema: TSchema;
  example: z.infer<TSchema>;
}

export type EventData<D extends EventDefinition> = z.infer<D['schema']>;

export function defineEvent<TSchema extends z.ZodType>(def: EventDefinition<TSchema>): EventDefinition<TSchema> {
  return def;
}
