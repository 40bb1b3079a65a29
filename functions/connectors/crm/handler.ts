// Lambda of the crm connector: reads the verified address from the request, acts on the crm store only.
import { createConnectorHandler } from '../connector-handler.ts';
import { connectorDeps } from '../wiring.ts';
import { createCrmConnector } from './connector.ts';

/** Workflow task: `{ requestId, attempt, system: 'crm', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({
  system: 'crm',
  connector: createCrmConnector,
  deps: connectorDeps('crm'),
});
