// The configured systems without an API (config/systems/ files of kind `manual`, P17).
import { configuredSystem } from '../../../core/systems.ts';
import type { ManualSystem } from './config.ts';

/** A manual system's configuration; undefined for a built-in system, an HTTP one or an unknown name. */
export function manualSystem(name: string): ManualSystem | undefined {
  const config = configuredSystem(name);
  return config?.kind === 'manual' ? config : undefined;
}
