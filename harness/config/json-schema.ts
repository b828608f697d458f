import { z } from 'zod';
import { experimentSchema } from './schema.js';

export function experimentJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(experimentSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/dreambench/dreambench/schema/experiment.schema.json',
    title: 'dreambench experiment',
  };
}
