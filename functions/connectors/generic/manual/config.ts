// A system without an API: each operation becomes a task for the system's owner (P17).
import * as z from 'zod';
import { SystemBase } from '../base.ts';

export const ManualSystem = SystemBase.extend({
  kind: z.literal('manual'),
});
export type ManualSystem = z.infer<typeof ManualSystem>;
