// Lambda of the marketing connector: reads the verified address from the request, acts on the marketing store only.
import { createConnectorHandler } from '../connector-handler.ts';
import { connectorDeps } from '../wiring.ts';
import { createMarketingConnector } from './connector.ts';

/** Workflow task: `{ requestId, attempt, system: 'marketing', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({
  system: 'marketing',
  connector: createMarketingConnector,
  deps: connectorDeps('marketing'),
});
