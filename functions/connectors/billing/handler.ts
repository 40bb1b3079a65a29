// Lambda of the billing connector: reads the verified address from the request, acts on the billing store only.
import { createConnectorHandler } from '../connector-handler.ts';
import { connectorDeps } from '../wiring.ts';
import { createBillingConnector } from './connector.ts';

/** Workflow task: `{ requestId, attempt, system: 'billing', operation }` → ConnectorResult. */
export const handler = createConnectorHandler({
  system: 'billing',
  connector: createBillingConnector,
  deps: connectorDeps('billing'),
});
