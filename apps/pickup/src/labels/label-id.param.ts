import { ApiParam } from '@nestjs/swagger';

/** The `:id` path parameter of every label route: the label's labelId. */
export const ApiLabelId = (): MethodDecorator =>
  ApiParam({ name: 'id', description: "the label's labelId", schema: { type: 'string', format: 'uuid' } });
