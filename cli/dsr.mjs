#!/usr/bin/env node
// The `dsr` bin (package.json "bin"): registers tsx's loader, then runs the TypeScript entry in this process.
import { register } from 'tsx/esm/api';

register();
await import('./main.ts');
