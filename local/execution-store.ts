// Where the local Step Functions keeps executions and their history, so a restart of the runtime loses none:
// a table in DynamoDB Local next to the application's tables, or memory for unit tests.
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  ScanCommand,
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
const RECORD_SK = 'EXECUTION';
const eventSk = (id: number) => `EVENT#${String(id).padStart(10, '0')}`;

/** Executions in a DynamoDB Local table: one item per execution and one per history event. */
export class DynamoExecutionStore implements ExecutionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly table = EXECUTIONS_TABLE,
  ) {}

  /** Creates the table when it is missing. */
  async init(client: DynamoDBClient): Promise<void> {
    try {
      await client.send(new DescribeTableCommand({ TableName: this.table }));
      return;
    } catch (error) {
      if (!(error instanceof ResourceNotFoundException)) throw error;
    }
    try {
      await client.send(
        new CreateTableCommand({
          TableName: this.table,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }

  async list(): Promise<ExecutionRecord[]> {
    const records: ExecutionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new ScanCommand({
          TableName: this.table,
          FilterExpression: 'sk = :sk',
          ExpressionAttributeValues: { ':sk': RECORD_SK },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) records.push(JSON.parse(String(item.record)) as ExecutionRecord);
      start = page.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async put(record: ExecutionRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.table,
        Item: { pk: record.executionArn, sk: RECORD_SK, status: record.status, record: JSON.stringify(record) },
      }),
    );
  }

  async appendEvents(executionArn: string, events: HistoryEvent[]): Promise<void> {
    for (let i = 0; i < events.length; i += 25) {
      let requests = events.slice(i, i + 25).map((event) => ({
        PutRequest: { Item: { pk: executionArn, sk: eventSk(event.id), event: JSON.stringify(event) } },
      }));
      for (let attempt = 0; requests.length > 0; attempt++) {
        const result = await this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: requests } }));
        requests = (result.UnprocessedItems?.[this.table] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      }
    }
  }

  async events(executionArn: string): Promise<HistoryEvent[]> {
    const events: HistoryEvent[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': executionArn, ':prefix': 'EVENT#' },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) events.push(JSON.parse(String(item.event)) as HistoryEvent);
      start = page.LastEvaluatedKey;
    } while (start);
    return events;
  }
}
