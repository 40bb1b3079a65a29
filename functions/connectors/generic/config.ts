// Systems added by configuration: one JSON file per system in config/systems/, validated here before use.
import * as z from 'zod';
import { HttpSystem } from './http/config.ts';
import { ManualSystem } from './manual/config.ts';

export const SystemConfig = z.discriminatedUnion('kind', [HttpSystem, ManualSystem]);
export type SystemConfig = z.infer<typeof SystemConfig>;
