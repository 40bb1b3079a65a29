// The connector functions: one per built-in system, then one per file of config/systems/ (P17). Data only.
import type { SystemName } from './core/schemas.ts';
import { configuredSystems } from './core/systems.ts';

export interface ConnectorFunction {
  system: SystemName;
  /** the function's logical id; Prepare lists its ARN for the workflow (ENV.connectors) */
  id: string;
  entry: string;
  /** a configured system's kind (config/systems/, P17); none for the built-in ones */
  kind?: 'http' | 'manual';
}

/**
 * Each connector reads the request (for the verified address), reads and writes only its own system's store, and
 * writes its export files under the request's prefix of the export bucket.
 */
const BUILT_IN_CONNECTORS: ConnectorFunction[] = [
  { system: 'billing', id: 'BillingConnector', entry: 'functions/connectors/billing/handler.ts' },
  { system: 'crm', id: 'CrmConnector', entry: 'functions/connectors/crm/handler.ts' },
  { system: 'support', id: 'SupportConnector', entry: 'functions/connectors/support/handler.ts' },
  { system: 'marketing', id: 'MarketingConnector', entry: 'functions/connectors/marketing/handler.ts' },
];

/**
 * Every system's connector: the built-in ones, then one per file of config/systems/ (P17), all of a kind sharing
 * its handler (functions/connectors/generic/<kind>/handler.ts). An invalid file throws here, naming the file.
 */
export const CONNECTORS: ConnectorFunction[] = [
  ...BUILT_IN_CONNECTORS,
  ...configuredSystems().map((c) => ({
    system: c.name,
    id: `${c.name.replace(/(^|-)([a-z0-9])/g, (_, __, ch: string) => ch.toUpperCase())}Connector`,
    entry: `functions/connectors/generic/${c.kind}/handler.ts`,
    kind: c.kind,
  })),
];
