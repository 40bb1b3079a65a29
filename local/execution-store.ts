// Where the local Step Functions keeps executions and their history, so a restart of the runtime loses none:
// a table in DynamoDB Local next to the application's tables, or memory for unit tests.
import {
  type AttributeDefinition,
  CreateTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: ExecutionStatus;
  /** JSON text, as StartExecution received it */
  input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** epoch milliseconds on the runtime's clock */
  startDate: number;
  stopDate?: number;
  /** 1, plus one for every restart of the runtime that re-ran it from the top */
  runs: number;
}

/** One entry of GetExecutionHistory, in the API's shape (timestamp in epoch milliseconds here). */
export interface HistoryEvent {
  id: number;
  previousEventId: number;
  timestamp: number;
  type: string;
  [details: string]: unknown;
}

export interface ExecutionStore {
  list(): Promise<ExecutionRecord[]>;
  put(record: ExecutionRecord): Promise<void>;
  appendEvents(executionArn: string, events: HistoryEvent[]): Promise<void>;
  events(executionArn: string): Promise<HistoryEvent[]>;
}

/** Keeps everything in memory; for unit tests. */
export class MemoryExecutionStore implements ExecutionStore {
  readonly records = new Map<string, ExecutionRecord>();
  readonly history = new Map<string, HistoryEvent[]>();

  async list() {
    return [...this.records.values()].map((r) => ({ ...r }));
  }
  async put(record: ExecutionRecord) {
    this.records.set(record.executionArn, { ...record });
  }
  async appendEvents(executionArn: string, events: HistoryEvent[]) {
    const list = this.history.get(executionArn) ?? [];
    list.push(...events.map((e) => structuredClone(e)));
    this.history.set(executionArn, list);
  }
  async events(executionArn: string) {
    return structuredClone(this.history.get(executionArn) ?? []);
  }
}

export const EXECUTIONS_TABLE = 'local-sfn-executions';
export const HISTORY_TABLE = 'local-sfn-history';

/**
 * Executions in DynamoDB Local: one item per execution, and the history in a table of its own, so listing the
 * executions at start does not read every event of every execution ever run.
 */
export class DynamoExecutionStore implements ExecutionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables = { executions: EXECUTIONS_TABLE, history: HISTORY_TABLE },
  ) {}

  /** Creates the tables when they are missing. */
  async init(client: DynamoDBClient): Promise<void> {
    const key = (name: string, type: 'S' | 'N') => ({ AttributeName: name, AttributeType: type });
    await ensureTable(client, this.tables.executions, [key('executionArn', 'S')]);
    await ensureTable(client, this.tables.history, [key('executionArn', 'S'), key('id', 'N')]);
  }

  async list(): Promise<ExecutionRecord[]> {
    const items = await this.all(
      (start) => new ScanCommand({ TableName: this.tables.executions, ExclusiveStartKey: start }),
    );
    return items.map((item) => JSON.parse(String(item.record)) as ExecutionRecord);
  }

  async put(record: ExecutionRecord): Promise<void> {
    const { executionArn, status } = record;
    const Item = { executionArn, status, record: JSON.stringify(record) };
    await this.doc.send(new PutCommand({ TableName: this.tables.executions, Item }));
  }

  async appendEvents(executionArn: string, events: HistoryEvent[]): Promise<void> {
    // One item per event, so the puts may run side by side.
    const put = (event: HistoryEvent) => {
      const Item = { executionArn, id: event.id, event: JSON.stringify(event) };
      return this.doc.send(new PutCommand({ TableName: this.tables.history, Item }));
    };
    await Promise.all(events.map(put));
  }

  async events(executionArn: string): Promise<HistoryEvent[]> {
    const items = await this.all(
      (start) =>
        new QueryCommand({
          TableName: this.tables.history,
          KeyConditionExpression: 'executionArn = :arn',
          ExpressionAttributeValues: { ':arn': executionArn },
          ExclusiveStartKey: start,
        }),
    );
    return items.map((item) => JSON.parse(String(item.event)) as HistoryEvent);
  }

  /** Every item of a Scan or Query, page after page. */
  private async all(command: (start?: Record<string, unknown>) => ScanCommand | QueryCommand) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(command(start) as ScanCommand);
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return items;
  }
}

/** Creates a table keyed on its attributes (hash, then range), unless it is there already. */
async function ensureTable(client: DynamoDBClient, name: string, attributes: AttributeDefinition[]) {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributes,
        KeySchema: attributes.map((a, i) => ({
          AttributeName: a.AttributeName,
          KeyType: i === 0 ? 'HASH' : 'RANGE',
        })),
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}
