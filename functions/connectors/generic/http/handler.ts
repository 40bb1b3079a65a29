// One handler module for every configured HTTP system (P17). On AWS each system has its own Lambda, which serves
// the one system its CONNECTOR_SYSTEM names (a payload for another fails); the local runtime runs the sources in
// one process for all of them, so there the payload's system picks the configuration.
import type { Context } from 'aws-lambda';
import { ENV } from '../../../core/config.ts';
import { configuredSystem } from '../../../core/systems.ts';
import { createConnectorHandler } from '../../connector-handler.ts';
import { connectorDeps, httpConnector } from '../../wiring.ts';

type Handler = ReturnType<typeof createConnectorHandler>;
const handlers = new Map<string, Handler>();

export const handler = (event: unknown, context: Context) => {
  const named = process.env[ENV.connectorSystem] || (event as { system?: unknown } | null)?.system;
  const config = typeof named === 'string' ? configuredSystem(named) : undefined;
  if (config?.kind !== 'http') throw new Error(`No configured HTTP system ${String(named)}`);
  let run = handlers.get(config.name);
  if (!run) {
    const connector = httpConnector(config);
    run = createConnectorHandler({ system: config.name, connector, deps: connectorDeps(config.name) });
    handlers.set(config.name, run);
  }
  return run(event, context);
};
