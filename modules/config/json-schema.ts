import { z } from 'zod';
import { configSchema } from './schema';

/**
 * The JSON Schema of bastion.config.json, for editor completion. It describes the input form (defaults make
 * keys optional); the cross-field rules (zones of the region, Fargate sizes, …) are enforced by the code only.
 */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'ssm-bastion configuration',
  };
}
