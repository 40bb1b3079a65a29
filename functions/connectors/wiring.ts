// Builds a connector Lambda's dependencies from configuration, once per container, with the shared clients
// (functions/aws/clients.ts): its system table (records, suppression entries, idempotency records), the
// request it reads, the S3 sink for exports, and Step Functions to answer the task it runs for.
import { documentClient, dynamoClient, s3Client, sfnClient } from '../aws/clients.ts';
import { dynamoConnectorRequests } from '../aws/connector-requests.ts';
import { dynamoOperationLedger } from '../aws/operation-ledger.ts';
import { createS3ExportSink } from '../aws/s3-export-sink.ts';
import { sfnWorkflow } from '../aws/sfn-workflow.ts';
import { systemSecret } from '../aws/system-secret.ts';
import { dynamoConnectorStores } from '../aws/system-store.ts';
import { ENV, env } from '../core/config.ts';
import type { Connector } from '../core/connector.ts';
import type { Workflow } from '../core/ports.ts';
import { type BuiltInSystem, SYSTEMS, type SystemName } from '../core/schemas.ts';
import { createBillingConnector } from './billing/connector.ts';
import type { ConnectorDeps } from './connector-handler.ts';
import { createCrmConnector } from './crm/connector.ts';
import { HttpSystemClient } from './generic/http/client.ts';
import type { HttpSystem } from './generic/http/config.ts';
import { createHttpConnector } from './generic/http/connector.ts';
import { createMarketingConnector } from './marketing/connector.ts';
import type { ConnectorStores } from './store/index.ts';
import { createSupportConnector } from './support/connector.ts';

/** Each system's connector factory. */
export const CONNECTOR_FACTORIES: Record<BuiltInSystem, (stores: ConnectorStores) => Connector> = {
  billing: createBillingConnector,
  crm: createCrmConnector,
  support: createSupportConnector,
  marketing: createMarketingConnector,
};

/**
 * Every system's connector over its own table, in-process: the retention sweep and the restore runbook act on
 * the whole customer base in batches (P3, P11), which one Lambda invocation per subject and system could not.
 */
export function allConnectors(): Connector[] {
  return SYSTEMS.map((system) =>
    CONNECTOR_FACTORIES[system](dynamoConnectorStores(documentClient(), env(ENV.systemTable(system)))),
  );
}

/** The AWS-backed dependencies of one system's connector Lambda, made on first use. */
export function connectorDeps(system: SystemName): () => ConnectorDeps {
  let deps: ConnectorDeps | undefined;
  // Made on the first task to answer: a call without a token (the contract suite, a test) needs no state machine.
  let answers: Workflow | undefined;
  return () => {
    if (deps) return deps;
    const table = env(ENV.systemTable(system));
    deps = {
      stores: dynamoConnectorStores(documentClient(), table),
      requests: dynamoConnectorRequests(documentClient(), env(ENV.requestsTable)),
      ledger: dynamoOperationLedger(dynamoClient(), table),
      exportSink: (prefix) =>
        createS3ExportSink({ client: s3Client(), bucket: env(ENV.exportBucket), prefix }),
      workflow: () => (answers ??= sfnWorkflow(sfnClient(), env(ENV.stateMachineArn))),
    };
    return deps;
  };
}

/**
 * A configured HTTP system's connector (P17), over one client per container (its rate limit and token are
 * shared by every call): at its file's base URL, or the one `<NAME>_BASE_URL` puts in its place locally.
 */
export function httpConnector(config: HttpSystem): () => Connector {
  let connector: Connector | undefined;
  return () => {
    connector ??= createHttpConnector(
      config,
      new HttpSystemClient(config, {
        fetch: (input, init) => fetch(input, init),
        secret: systemSecret,
        baseUrl: process.env[ENV.systemBaseUrl(config.name)] || config.baseUrl,
      }),
    );
    return connector;
  };
}
