// Entry point of `dsr` (cli/dsr.mjs loads it through tsx): runs the program and exits with its code.
import { processIo } from './output.ts';
import { run } from './program.ts';

process.exitCode = await run(process.argv.slice(2), { io: processIo(), env: process.env });
