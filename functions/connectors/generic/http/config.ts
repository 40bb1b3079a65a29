// A system reached over its own HTTP API, driven by its configuration file alone (P17).
import * as z from 'zod';
import { SystemBase } from '../base.ts';

export const HttpSystem = SystemBase.extend({
  kind: z.literal('http'),
});
export type HttpSystem = z.infer<typeof HttpSystem>;
