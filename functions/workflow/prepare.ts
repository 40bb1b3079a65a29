import * as z from 'zod';
import { now } from '../core/clock.ts';
import { ENV, env } from '../core/config.ts';
import { prepare } from '../core/progress.ts';
import { SystemName } from '../core/schemas.ts';
import { configuredSystem } from '../core/systems.ts';
import { audit, store } from '../wiring.ts';
import { TaskInput, task } from './task.ts';

/** Every system's connector function, built-in and configured (P17); the stack writes it, one ARN each. */
const ConnectorList = z.array(z.object({ system: SystemName, functionName: z.string().min(1) })).min(1);
/** A connector Lambda's longest run, and a little for its answer to arrive. */
const CONNECTOR_TIMEOUT_SECONDS = 960;
/** 24 days, past the 30-day deadline's reminders: the longest one timer holds in the embedded runtime too. */
const OWNER_TIMEOUT_SECONDS = 2_073_600;
let connectors: z.infer<typeof ConnectorList> | undefined;
const connectorList = () => {
  connectors ??= ConnectorList.parse(JSON.parse(env(ENV.connectors)));
  return connectors;
};

/** Prepare: what this execution must do and in which systems' connectors, or that the request is already closed. */
export const handler = task(TaskInput, async ({ requestId, attempt }) => ({
  ...(await prepare({ store: store(), audit: audit(), now }, requestId, attempt)),
  // How long each system's task may wait for its answer: an API connector's run, or an owner's (P17, manual-tasks.ts).
  connectors: connectorList().map((c) => ({
    ...c,
    timeoutSeconds:
      configuredSystem(c.system)?.kind === 'manual' ? OWNER_TIMEOUT_SECONDS : CONNECTOR_TIMEOUT_SECONDS,
  })),
}));
