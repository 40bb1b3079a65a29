// The one way a connector Lambda is built. The workflow sends ids only; the handler reads the verified address
// (and, per operation, the changes, the objection's scope or the export's purpose) from the request, runs the
// operation once per (request, system, operation, attempt) and answers counts, kinds, grounds and hashes.
// Nothing personal is logged or returned; exports stream to S3. Every AWS call goes through the ports of
// ConnectorDeps (functions/core/ports.ts), built in functions/connectors/wiring.ts.
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import { now } from '../core/clock.ts';
import {
  type Connector,
  type ConnectorResult,
  ExportPurpose,
  type ExportSink,
  type LocateResult,
  LocateResultSchema,
  ObjectionScopes,
  type OperationContext,
  RectificationChanges,
} from '../core/connector.ts';
import type { ConnectorRequests, LedgerAnswer, OperationLedger, Workflow } from '../core/ports.ts';
import { Operation, Outcome, RequestId, SystemName } from '../core/schemas.ts';
import { exportPrefix } from './export-files.ts';
import { retryable } from './retryable.ts';
import type { ConnectorStores, Subject } from './store/index.ts';
import { answerTask } from './task-token.ts';

/** The workflow's payload (statemachines/request.asl.json): ids only. */
export const ConnectorEventSchema = z.object({
  requestId: RequestId,
  attempt: z.number().int().min(0),
  system: SystemName,
  operation: Operation,
  /** the parked task's token: the handler answers through it (connectors/task-token.ts) */
  taskToken: z.string().min(1).optional(),
});

/** What a connector Lambda answers; also the shape of the recorded idempotency record. */
export const ConnectorResultSchema = z.object({
  system: SystemName,
  operation: Operation,
  located: LocateResultSchema.optional(),
  outcomes: z.array(Outcome),
});

/** Key of the idempotency record in the system's own table (functions/aws/operation-ledger.ts keeps it). */
export { opsKey } from './records.ts';

/** What a connector Lambda works with; functions/connectors/wiring.ts builds the AWS-backed ones. */
export interface ConnectorDeps {
  /** the system's own table (and, for marketing, its suppression entries) */
  stores: ConnectorStores;
  requests: ConnectorRequests;
  /** one run per request, system, operation and attempt */
  ledger: OperationLedger;
  /** where an export's files go, given `exports/<requestId>/<attempt>/<system>/` */
  exportSink(prefix: string): ExportSink;
  /** answers the parked task the workflow invoked the connector for; made on first use */
  workflow: () => Workflow;
}

export interface ConnectorHandlerOptions {
  system: SystemName;
  /** builds the system's connector over its stores */
  connector: (stores: ConnectorStores) => Connector;
  /** made once per container, on first use */
  deps: () => ConnectorDeps;
  logger?: Logger;
}

/**
 * What the handler reads from the request item besides the address. `changes`, `scope`, `exportPurpose` and
 * `newSubjectRef` are written by intake (API) for rectification, objection and access/portability; they are
 * parsed here again, defensively, because the request record is not this module's.
 */
const RequestInputs = z.object({
  email: z.string().optional(),
  subjectRef: z.string().optional(),
  type: z.string().optional(),
  changes: z.unknown().optional(),
  scope: z.unknown().optional(),
  exportPurpose: z.unknown().optional(),
  newSubjectRef: z.string().optional(),
  /** the person staff picked where the address leads to several (P8) */
  identity: z.object({ customerNumber: z.string().min(1) }).optional(),
  /** a check staff must still record (P4, P12): a locate before it is not recorded, so the one after it runs */
  manualCheck: z.object({ checkedAt: z.string().optional() }).optional(),
});
type RequestInputs = z.infer<typeof RequestInputs>;
type Event = z.infer<typeof ConnectorEventSchema>;

/** The request fields every operation reads. */
const PROJECTION = Object.keys(RequestInputs.shape);

/** How long a run holds its key when the caller cannot say (no Lambda context): Lambda's longest timeout. */
const DEFAULT_LOCK_MS = 15 * 60 * 1000;

/** Runs one operation of one system for one request, at most once per attempt (DESIGN: Connector contract). */
export async function runConnectorOperation(
  options: ConnectorHandlerOptions,
  rawEvent: unknown,
  log: Logger,
  lockMs = DEFAULT_LOCK_MS,
): Promise<ConnectorResult> {
  const event = ConnectorEventSchema.parse(rawEvent);
  const { system } = options;
  // A payload for another system is a wiring fault of the state machine: fail loudly, no retry.
  if (event.system !== system) throw new Error(`Event for ${event.system} reached the ${system} connector`);
  const deps = options.deps();
  const key = {
    requestId: event.requestId,
    system,
    operation: event.operation,
    attempt: event.attempt,
  };

  return retryable(system, event.operation, async () => {
    let acted = false;
    const answer = await deps.ledger.once(key, lockMs, async () => {
      acted = true;
      return act(options, deps, event, log);
    });
    if (!acted) log.info('Operation already done; returning the recorded result', { repeated: true });
    return ConnectorResultSchema.parse(answer);
  });
}

/** Reads the request and runs the operation; answers what to record, or what to answer without recording. */
async function act(
  options: ConnectorHandlerOptions,
  deps: ConnectorDeps,
  event: Event,
  log: Logger,
): Promise<LedgerAnswer<ConnectorResult>> {
  const { system } = options;
  const item = await deps.requests.inputs(event.requestId, PROJECTION);
  if (!item) {
    log.error('Request not found');
    return unrecorded(result(event, [{ kind: 'failed', retryable: false, reason: 'request_not_found' }]));
  }
  const inputs = RequestInputs.safeParse(item);
  const fields: RequestInputs = inputs.success ? inputs.data : {};
  const subject: Subject = {
    email: typeof fields.email === 'string' ? fields.email : '',
    subjectRef: typeof fields.subjectRef === 'string' ? fields.subjectRef : undefined,
    customerNumber: fields.identity?.customerNumber,
  };
  const connector = options.connector(deps.stores);
  const ctx: OperationContext = { requestId: event.requestId, now: now() };

  let answer: ConnectorResult;
  switch (event.operation) {
    case 'locate':
    case 'recheck': {
      const located: LocateResult = await connector.locate(subject, ctx);
      if (located.customers) {
        // Several people behind the address: counts only, and not recorded, so the locate after staff pick runs.
        const ambiguous: Outcome = {
          kind: 'ambiguous',
          customers: located.customers,
          records: located.records,
        };
        return unrecorded(ConnectorResultSchema.parse(result(event, [ambiguous], located)));
      }
      answer = result(event, located.found ? [] : [{ kind: 'not_found' }], located);
      // A locate for a picked person is read-only and not recorded: staff may correct a pick that found nobody.
      // The fresh look after an erasure (P3) is recorded, so a restarted execution checks the same answer.
      const checkPending = fields.manualCheck !== undefined && !fields.manualCheck.checkedAt;
      if ((subject.customerNumber || checkPending) && event.operation === 'locate')
        return unrecorded(ConnectorResultSchema.parse(answer));
      break;
    }
    case 'erase':
      answer = result(event, await connector.erase(subject, ctx));
      break;
    case 'export': {
      const purpose = exportPurposeOf(fields);
      if (!purpose) return refuse(event, log, 'invalid_export_purpose');
      const sink = deps.exportSink(exportPrefix(event.requestId, event.attempt, system));
      answer = result(event, await connector.export(subject, ctx, { purpose, sink }));
      break;
    }
    case 'rectify': {
      if (fields.changes === undefined) return refuse(event, log, 'changes_missing');
      const changes = RectificationChanges.safeParse(fields.changes);
      if (!changes.success) return refuse(event, log, 'invalid_changes');
      const input = { changes: changes.data, newSubjectRef: fields.newSubjectRef };
      answer = result(event, await connector.rectify(subject, ctx, input));
      break;
    }
    case 'object': {
      if (fields.scope === undefined) return refuse(event, log, 'scope_missing');
      const scope = ObjectionScopes.safeParse(fields.scope);
      if (!scope.success) return refuse(event, log, 'invalid_scope');
      answer = result(event, await connector.object(subject, ctx, { scope: scope.data }));
      break;
    }
  }
  // Every answer is checked against the Outcome union before it is recorded or returned.
  answer = ConnectorResultSchema.parse(answer);
  log.info('Operation done', summary(answer));
  // Nothing was done for anyone while the address is ambiguous: not recorded, so the act after a pick runs.
  if (answer.outcomes.some((o) => o.kind === 'ambiguous')) return unrecorded(answer);
  return { record: true, result: answer };
}

/** Builds the Lambda handler of one system's connector. */
export function createConnectorHandler(options: ConnectorHandlerOptions) {
  const log = options.logger ?? new Logger({ serviceName: `connector-${options.system}` });
  return middy(async (event: unknown, context: Context): Promise<ConnectorResult> => {
    const ids = ConnectorEventSchema.safeParse(event);
    if (ids.success) {
      const { requestId, attempt, operation } = ids.data;
      log.appendKeys({ requestId, attempt, operation, system: options.system });
    }
    return runConnectorOperation(options, event, log, context.getRemainingTimeInMillis?.());
  })
    .use(injectLambdaContext(log, { resetKeys: true }))
    .use(answerTask({ workflow: () => options.deps().workflow(), log, output: (result) => result }));
}

/** Access unless the request says portability: its own `exportPurpose`, else its type. */
function exportPurposeOf(fields: RequestInputs): ExportPurpose | undefined {
  if (fields.exportPurpose !== undefined) {
    const parsed = ExportPurpose.safeParse(fields.exportPurpose);
    return parsed.success ? parsed.data : undefined;
  }
  return fields.type === 'portability' ? 'portability' : 'access';
}

/** A request whose inputs cannot be read: nothing is done and nothing recorded, so a corrected request can run. */
function refuse(event: Event, log: Logger, reason: string): LedgerAnswer<ConnectorResult> {
  log.error('Request inputs missing or invalid; nothing done', { reason });
  return unrecorded(result(event, [{ kind: 'failed', retryable: false, reason }]));
}

const unrecorded = (answer: ConnectorResult): LedgerAnswer<ConnectorResult> => ({
  record: false,
  result: answer,
});

function result(event: Event, outcomes: Outcome[], located?: LocateResult): ConnectorResult {
  return { system: event.system, operation: event.operation, ...(located ? { located } : {}), outcomes };
}

/** Counts and kinds only, for the log. */
function summary(answer: ConnectorResult) {
  return {
    found: answer.located?.found,
    records: answer.located?.records,
    outcomes: answer.outcomes.map((o) => {
      if (o.kind === 'exported') return `exported:${o.purpose}:${o.records}:${o.files.length} files`;
      if (o.kind === 'failed' || o.kind === 'skipped') return `${o.kind}:${o.reason}`;
      return 'category' in o ? `${o.kind}:${o.category}:${o.records}` : o.kind;
    }),
  };
}
