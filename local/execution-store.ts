// Where the local Step Functions keeps executions and their history, so a restart of the runtime loses none:
// a table in DynamoDB Local next to the application's tables, or memory for unit tests.
import { CreateTableCommand, type DynamoDBClient, ResourceInUseException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  paginateQuery,
  paginateScan,
} from '@aws-sdk/lib-dynamodb';

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
  appendEvent(executionArn: string, event: HistoryEvent): Promise<void>;
  /** Several events at once, in order (fewer round trips than one appendEvent each). */
  appendEvents(executionArn: string, events: HistoryEvent[]): Promise<void>;
  /** The history in the order of the event ids. */
  events(executionArn: string): Promise<HistoryEvent[]>;
}

/** Keeps everything in memory; for unit tests. */
export class MemoryExecutionStore implements ExecutionStore {
  readonly records = new Map<string, ExecutionRecord>();
  readonly history = new Map<string, HistoryEvent[]>();

  async list() {
    return structuredClone([...this.records.values()]);
  }
  async put(record: ExecutionRecord) {
    this.records.set(record.executionArn, structuredClone(record));
  }
  async appendEvent(executionArn: string, event: HistoryEvent) {
    this.history.set(executionArn, [...(this.history.get(executionArn) ?? []), structuredClone(event)]);
  }
  async appendEvents(executionArn: string, events: HistoryEvent[]) {
    for (const event of events) await this.appendEvent(executionArn, event);
  }
  async events(executionArn: string) {
    return structuredClone(this.history.get(executionArn) ?? []);
  }
}

export const EXECUTIONS_TABLE = 'local-sfn-executions';
export const HISTORY_TABLE = 'local-sfn-history';

/**
 * Executions in DynamoDB Local: one item per execution, and the history in a table of its own (one item per
 * event), so listing the executions at start does not read every event of every execution ever run.
 */
export class DynamoExecutionStore implements ExecutionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tables = { executions: EXECUTIONS_TABLE, history: HISTORY_TABLE },
  ) {}

  /** Creates the tables when they are missing. */
  async init(client: DynamoDBClient): Promise<void> {
    await createTable(client, this.tables.executions, { executionArn: 'S' });
    await createTable(client, this.tables.history, { executionArn: 'S', id: 'N' });
  }

  async list(): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    for await (const page of paginateScan({ client: this.doc }, { TableName: this.tables.executions }))
      for (const item of page.Items ?? []) records.push(JSON.parse(String(item.record)));
    return records;
  }

  async put(record: ExecutionRecord): Promise<void> {
    const Item = { executionArn: record.executionArn, record: JSON.stringify(record) };
    await this.doc.send(new PutCommand({ TableName: this.tables.executions, Item }));
  }

  async appendEvent(executionArn: string, event: HistoryEvent): Promise<void> {
    const Item = { executionArn, id: event.id, event: JSON.stringify(event) };
    await this.doc.send(new PutCommand({ TableName: this.tables.history, Item }));
  }

  async appendEvents(executionArn: string, events: HistoryEvent[]): Promise<void> {
    if (events.length === 1) return this.appendEvent(executionArn, events[0] as HistoryEvent);
    const TableName = this.tables.history;
    for (let i = 0; i < events.length; i += 25) {
      let requests = events.slice(i, i + 25).map((event) => ({
        PutRequest: { Item: { executionArn, id: event.id, event: JSON.stringify(event) } },
      }));
      for (let round = 0; requests.length > 0; round++) {
        if (round > 8) throw new Error(`${TableName}: items left unprocessed`);
        if (round > 0) await new Promise((done) => setTimeout(done, 20 * 2 ** round));
        const out = await this.doc.send(new BatchWriteCommand({ RequestItems: { [TableName]: requests } }));
        requests = (out.UnprocessedItems?.[TableName] ?? []) as typeof requests;
      }
    }
  }

  async events(executionArn: string): Promise<HistoryEvent[]> {
    const query = {
      TableName: this.tables.history,
      KeyConditionExpression: 'executionArn = :arn',
      ExpressionAttributeValues: { ':arn': executionArn },
    };
    const events: HistoryEvent[] = [];
    for await (const page of paginateQuery({ client: this.doc }, query))
      for (const item of page.Items ?? []) events.push(JSON.parse(String(item.event)));
    return events;
  }
}

/** Creates a table keyed on its attributes (hash, then range), unless it is there already. */
async function createTable(client: DynamoDBClient, TableName: string, key: Record<string, 'S' | 'N'>) {
  const names = Object.keys(key);
  const create = new CreateTableCommand({
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: names.map((AttributeName) => ({
      AttributeName,
      AttributeType: key[AttributeName],
    })),
    KeySchema: names.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
  });
  await client.send(create).catch((error: unknown) => {
    if (!(error instanceof ResourceInUseException)) throw error;
  });
}
