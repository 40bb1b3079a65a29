// Lambda of the support connector: reads the verified address from the request, acts on the support store only.
import { createConnectorHandler } from '../connector-handler.ts';
import { connectorDeps } from '../wiring.ts';
import { createSupportConnector } from './connector.ts';

/** Workflow task: `{ requestId, attempt, system: 'support', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({
  system: 'support',
  connector: createSupportConnector,
  deps: connectorDeps('support'),
});
