import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root; handler entries and the workflow definition are resolved from it. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
