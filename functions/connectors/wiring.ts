// Builds a connector Lambda's dependencies from configuration, once per container, with the shared clients
// (functions/aws/clients.ts): its system table (records, suppression entries, idempotency records), the
// request it reads, and the S3 sink for exports.
import { documentClient, dynamoClient, s3Client } from '../aws/clients.ts';
import { dynamoConnectorRequests } from '../aws/connector-requests.ts';
import { dynamoOperationLedger } from '../aws/operation-ledger.ts';
import { createS3ExportSink } from '../aws/s3-export-sink.ts';
import { dynamoConnectorStores } from '../aws/system-store.ts';
import { ENV, env } from '../core/config.ts';
import type { SystemName } from '../core/schemas.ts';
import type { ConnectorDeps } from './connector-handler.ts';

/** The AWS-backed dependencies of one system's connector Lambda, made on first use. */
export function connectorDeps(system: SystemName): () => ConnectorDeps {
  let deps: ConnectorDeps | undefined;
  return () => {
    if (deps) return deps;
    const table = env(ENV.systemTable(system));
    deps = {
      stores: dynamoConnectorStores(documentClient(), table),
      requests: dynamoConnectorRequests(documentClient(), env(ENV.requestsTable)),
      ledger: dynamoOperationLedger(dynamoClient(), table),
      exportSink: (prefix) =>
        createS3ExportSink({ client: s3Client(), bucket: env(ENV.exportBucket), prefix }),
    };
    return deps;
  };
}
