// Local Step Functions: runs the synthesized ASL on aws-local-stepfunctions and answers the Step Functions API
// (StartExecution, DescribeExecution, ListExecutions, GetExecutionHistory, StopExecution, SendTask*).
// What the library lacks is done here, around it:
// - every Task state is overridden: lambda:invoke calls the local handler and wraps its result in the Lambda
//   invoke envelope; .waitForTaskToken issues a token, invokes, and parks until SendTaskSuccess/Failure;
// - timeouts (task and execution) run on chained timers, since setTimeout overflows beyond ~24.8 days and the
//   library's default task timeout is 60 s where AWS has none;
// - executions and their history are persisted, and RUNNING ones re-run from the top after a restart (the
//   workflow's tasks are idempotent and read their progress from DynamoDB).
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ExecutionAbortedError,
  ExecutionError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { AslDefinition } from './asl.ts';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, HistoryEvent } from './execution-store.ts';
import { LambdaInvokeError } from './lambda.ts';
import { MAX_TIMER_MS, setLongTimeout } from './timers.ts';

/** An API error of Step Functions; `name` is the `__type` the SDK turns into an exception class. */
export class SfnError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** A failed task as the state machine sees it: `name` is what Retry/Catch match, `message` the Cause. */
class TaskFailure extends Error {
  // Read by the library: States.Runtime, as on AWS, fails the execution past any Retry or Catch.
  readonly isRetryable: boolean;
  readonly isCatchable: boolean;

  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
    this.isRetryable = name !== 'States.Runtime';
    this.isCatchable = name !== 'States.Runtime';
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, unknown>;

export interface StepFunctionsOptions {
  stateMachine: { name: string; definition: AslDefinition };
  /** Invokes a Lambda by name or ARN with a JSON payload; rejects with an error whose name is the errorType. */
  invoke(functionRef: string, payload: Json): Promise<unknown>;
  store: ExecutionStore;
  region?: string;
  accountId?: string;
  /** the runtime's clock (CLOCK_START); dates in the API and history follow it */
  clock?: () => Date;
  log?: (line: string) => void;
  /** longest single timer; tests lower it to exercise the chaining of long waits */
  timerCapMs?: number;
}

const TOKEN_PLACEHOLDER = '__local_task_token__';
const ROLLOVER = 'Local.TimerRollover';
/** AWS's default for a Task without TimeoutSeconds: effectively none. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
const MAX_PAYLOAD = 256 * 1024;
// AWS: 1-80 characters; no whitespace, brackets, wildcards, special characters or control characters.
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/]{1,80}$/;
const hasControlCharacter = (name: string) =>
  [...name].some((c) => c.charCodeAt(0) < 0x20 || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

interface ParkedTask {
  executionArn: string;
  resolve(output: Json): void;
  reject(error: Error): void;
}

/** A task's work in flight; survives a timer rollover so the task is not started twice. */
interface InFlight {
  result: Promise<Json>;
  deadline: number;
}

interface Run {
  record: ExecutionRecord;
  abort(): void;
  done: Promise<void>;
  nextEventId: number;
  stopReason?: 'stopped' | 'timed_out' | 'closing';
  cleanups: Set<() => void>;
  rollovers: Map<string, InFlight[]>;
}

/** The local Step Functions service for one state machine. */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly region: string;
  private readonly accountId: string;
  private readonly clock: () => Date;
  private readonly log: (line: string) => void;
  private readonly capMs: number;
  private readonly libraryDefinition: StateMachineDefinition;
  private readonly taskStates = new Map<string, State>();
  private readonly executionTimeoutSeconds?: number;
  private readonly createdAt: number;

  private readonly records = new Map<string, ExecutionRecord>();
  private readonly runs = new Map<string, Run>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly pendingEvents = new Map<string, HistoryEvent[]>();
  private readonly tokens = new Map<string, ParkedTask>();
  private closing = false;

  constructor(private readonly options: StepFunctionsOptions) {
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '000000000000';
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.capMs = options.timerCapMs ?? MAX_TIMER_MS;
    this.createdAt = this.clock().getTime();
    this.stateMachineArn = `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${options.stateMachine.name}`;
    const definition = options.stateMachine.definition;
    if (definition.QueryLanguage === 'JSONata')
      throw new Error('JSONata is not supported locally (JSONPath only)');
    try {
      new StateMachine(definition as unknown as StateMachineDefinition);
    } catch (error) {
      // The validator lags behind AWS on newer fields; a real error shows up when the state runs.
      this.log(`[sfn] warning: ${(error as Error).message.split('\n').slice(0, 4).join(' ')}`);
    }
    if (typeof definition.TimeoutSeconds === 'number')
      this.executionTimeoutSeconds = definition.TimeoutSeconds;
    this.libraryDefinition = this.prepare(definition);
  }

  /** Loads persisted executions and re-runs every RUNNING one from the top; returns how many resumed. */
  async start(): Promise<number> {
    const records = await this.options.store.list();
    let resumed = 0;
    for (const record of records) {
      this.records.set(record.executionArn, record);
      if (record.status !== 'RUNNING') continue;
      const events = await this.options.store.events(record.executionArn);
      record.runs += 1;
      await this.enqueue(record.executionArn, () => this.options.store.put({ ...record }));
      this.log(
        `[sfn] resuming ${record.name} from the top (run ${record.runs}); tokens issued before the restart are void`,
      );
      this.launch(record, events.length + 1);
      resumed++;
    }
    return resumed;
  }

  /** Stops running executions without recording an end, so they resume on the next start; flushes writes. */
  async close(): Promise<void> {
    this.closing = true;
    for (const run of this.runs.values()) {
      run.stopReason = 'closing';
      for (const cleanup of run.cleanups) cleanup();
      run.abort();
    }
    for (const [token, parked] of this.tokens) {
      this.tokens.delete(token);
      parked.reject(new TaskFailure('States.Runtime', 'The runtime is shutting down'));
    }
    await Promise.allSettled([...this.runs.values()].map((r) => r.done));
    await Promise.allSettled([...this.writes.values()]);
  }

  /** Resolves once the execution has ended (for tests and tools). */
  async waitForExecution(executionArn: string): Promise<ExecutionRecord> {
    await this.runs.get(executionArn)?.done;
    await this.writes.get(executionArn);
    return { ...this.requireExecution(executionArn) };
  }

  // ---- the Step Functions API ----

  async startExecution(req: { stateMachineArn?: string; name?: string; input?: string }) {
    this.requireStateMachine(req.stateMachineArn);
    if (this.closing) throw new SfnError('ServiceUnavailable', 'The local runtime is shutting down');
    const name = req.name ?? randomUUID();
    if (!NAME_PATTERN.test(name) || hasControlCharacter(name))
      throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    if (Buffer.byteLength(input) > MAX_PAYLOAD)
      throw new SfnError('InvalidExecutionInput', 'Input exceeds 256 KiB');
    try {
      JSON.parse(input);
    } catch {
      throw new SfnError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`,
      );
    }
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${this.options.stateMachine.name}:${name}`;
    const existing = this.records.get(executionArn);
    if (existing) {
      // AWS: the same name and input while RUNNING is the same start; anything else is a reused name.
      if (existing.status === 'RUNNING' && existing.input === input) {
        return { executionArn, startDate: seconds(existing.startDate) };
      }
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate: this.clock().getTime(),
      runs: 1,
    };
    this.records.set(executionArn, record);
    this.pushEvent(executionArn, 1, 'ExecutionStarted', {
      executionStartedEventDetails: {
        input,
        inputDetails: { truncated: false },
        roleArn: `arn:aws:iam::${this.accountId}:role/LocalStepFunctionsRole`,
      },
    });
    await this.enqueue(executionArn, () => this.options.store.put({ ...record }));
    this.launch(record, 2);
    return { executionArn, startDate: seconds(record.startDate) };
  }

  async describeExecution(req: { executionArn?: string }) {
    const r = this.requireExecution(req.executionArn);
    return {
      executionArn: r.executionArn,
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      startDate: seconds(r.startDate),
      ...(r.stopDate !== undefined ? { stopDate: seconds(r.stopDate) } : {}),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Redrive is not supported by the local runtime',
    };
  }

  async listExecutions(req: {
    stateMachineArn?: string;
    statusFilter?: string;
    maxResults?: number;
    nextToken?: string;
  }) {
    this.requireStateMachine(req.stateMachineArn);
    const all = [...this.records.values()]
      .filter((r) => !req.statusFilter || r.status === req.statusFilter)
      .sort((a, b) => b.startDate - a.startDate || b.name.localeCompare(a.name));
    const { page, nextToken } = paginate(all, req.maxResults, req.nextToken);
    return {
      executions: page.map((r) => ({
        executionArn: r.executionArn,
        stateMachineArn: r.stateMachineArn,
        name: r.name,
        status: r.status,
        startDate: seconds(r.startDate),
        ...(r.stopDate !== undefined ? { stopDate: seconds(r.stopDate) } : {}),
      })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async getExecutionHistory(req: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
    includeExecutionData?: boolean;
  }) {
    const r = this.requireExecution(req.executionArn);
    this.flush(r.executionArn);
    await this.writes.get(r.executionArn);
    let events = await this.options.store.events(r.executionArn);
    if (req.reverseOrder) events = events.reverse();
    const { page, nextToken } = paginate(events, req.maxResults, req.nextToken);
    const withData = req.includeExecutionData !== false;
    return {
      events: page.map((e) => ({ ...(withData ? e : stripData(e)), timestamp: seconds(e.timestamp) })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  async stopExecution(req: { executionArn?: string; error?: string; cause?: string }) {
    const r = this.requireExecution(req.executionArn);
    const run = this.runs.get(r.executionArn);
    if (r.status !== 'RUNNING' || !run) return { stopDate: seconds(r.stopDate ?? this.clock().getTime()) };
    run.stopReason = 'stopped';
    this.finish(run, 'ABORTED', {
      ...(req.error !== undefined ? { error: req.error } : {}),
      ...(req.cause !== undefined ? { cause: req.cause } : {}),
    });
    run.abort();
    await this.writes.get(r.executionArn);
    return { stopDate: seconds(r.stopDate ?? this.clock().getTime()) };
  }

  async sendTaskSuccess(req: { taskToken?: string; output?: string }) {
    const parked = this.takeToken(req.taskToken);
    let output: Json;
    try {
      output = JSON.parse(req.output ?? '') as Json;
    } catch {
      // the task stays parked: AWS rejects the call, not the task
      this.tokens.set(req.taskToken as string, parked);
      throw new SfnError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    parked.resolve(output);
    return {};
  }

  async sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }) {
    const parked = this.takeToken(req.taskToken);
    parked.reject(new TaskFailure(req.error ?? '', req.cause ?? ''));
    return {};
  }

  async sendTaskHeartbeat(req: { taskToken?: string }) {
    const token = req.taskToken;
    if (!token || !this.tokens.has(token)) this.diagnoseToken(token);
    return {};
  }

  async describeStateMachine(req: { stateMachineArn?: string }) {
    this.requireStateMachine(req.stateMachineArn);
    return {
      stateMachineArn: this.stateMachineArn,
      name: this.options.stateMachine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(this.options.stateMachine.definition),
      roleArn: `arn:aws:iam::${this.accountId}:role/LocalStepFunctionsRole`,
      type: 'STANDARD',
      creationDate: seconds(this.createdAt),
    };
  }

  async listStateMachines() {
    return {
      stateMachines: [
        {
          stateMachineArn: this.stateMachineArn,
          name: this.options.stateMachine.name,
          type: 'STANDARD',
          creationDate: seconds(this.createdAt),
        },
      ],
    };
  }

  // ---- running executions ----

  private launch(record: ExecutionRecord, firstEventId: number): void {
    const machine = new StateMachine(this.libraryDefinition, { validationOptions: { noValidate: true } });
    const run: Run = {
      record,
      abort: () => {},
      done: Promise.resolve(),
      nextEventId: firstEventId,
      cleanups: new Set(),
      rollovers: new Map(),
    };
    this.runs.set(record.executionArn, run);
    const overrides: Record<string, (input: unknown) => Promise<Json>> = {};
    for (const [stateName, state] of this.taskStates)
      overrides[stateName] = (input) => this.runTask(run, stateName, state, input);
    const execution = machine.run(JSON.parse(record.input) as Json, {
      overrides: { taskResourceLocalHandlers: overrides as never },
      context: {
        Execution: {
          Id: record.executionArn,
          Name: record.name,
          RoleArn: `arn:aws:iam::${this.accountId}:role/LocalStepFunctionsRole`,
          RedriveCount: 0,
        },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.stateMachine.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    run.abort = execution.abort;

    const consumed = (async () => {
      for await (const event of execution.eventLogs)
        this.onLibraryEvent(run, event as unknown as LibraryEvent);
    })();

    if (this.executionTimeoutSeconds !== undefined) {
      const remaining = record.startDate + this.executionTimeoutSeconds * 1000 - this.clock().getTime();
      const timer = setLongTimeout(
        () => {
          run.stopReason = 'timed_out';
          run.abort();
        },
        remaining,
        this.capMs,
      );
      run.cleanups.add(() => timer.cancel());
    }

    run.done = (async () => {
      let outcome: { status: ExecutionStatus; details: Record<string, string> } | undefined;
      try {
        const output = await execution.result;
        outcome = { status: 'SUCCEEDED', details: { output: JSON.stringify(output ?? null) } };
      } catch (error) {
        if (run.stopReason === 'timed_out') {
          outcome = {
            status: 'TIMED_OUT',
            details: { error: 'States.Timeout', cause: 'The execution timed out' },
          };
        } else if (!(error instanceof ExecutionAbortedError)) {
          const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
          outcome = {
            status: 'FAILED',
            details: { error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? '' },
          };
        }
      } finally {
        for (const cleanup of run.cleanups) cleanup();
        this.voidTokens(record.executionArn);
      }
      await consumed.catch(() => {});
      if (outcome && !run.stopReason?.match(/stopped|closing/))
        this.finish(run, outcome.status, outcome.details);
      if (this.runs.get(record.executionArn) === run) this.runs.delete(record.executionArn);
    })();
  }

  /** Records the end of an execution: its status, its last history event and the persisted record. */
  private finish(
    run: Run,
    status: ExecutionStatus,
    details: { output?: string; error?: string; cause?: string },
  ) {
    const r = run.record;
    if (r.status !== 'RUNNING') return;
    r.status = status;
    r.stopDate = this.clock().getTime();
    if (details.output !== undefined) r.output = details.output;
    if (details.error !== undefined) r.error = details.error;
    if (details.cause !== undefined) r.cause = details.cause;
    const [type, key] = {
      SUCCEEDED: ['ExecutionSucceeded', 'executionSucceededEventDetails'],
      FAILED: ['ExecutionFailed', 'executionFailedEventDetails'],
      TIMED_OUT: ['ExecutionTimedOut', 'executionTimedOutEventDetails'],
      ABORTED: ['ExecutionAborted', 'executionAbortedEventDetails'],
      RUNNING: ['', ''],
    }[status] as [string, string];
    const eventDetails =
      status === 'SUCCEEDED'
        ? { output: details.output, outputDetails: { truncated: false } }
        : { error: r.error, cause: r.cause };
    this.record(run, type, { [key]: eventDetails });
    const snapshot = { ...r };
    void this.enqueue(r.executionArn, () => this.options.store.put(snapshot));
  }

  private async runTask(run: Run, stateName: string, state: State, wrapped: unknown): Promise<Json> {
    // Same state, same input after a rollover: re-attach to the task already in flight instead of repeating it.
    const key = `${stateName}\u0000${JSON.stringify(wrapped)}`;
    const inFlight =
      run.rollovers.get(key)?.shift() ?? this.beginTask(run, stateName, state, wrapped as Wrapped);
    const libraryTimeoutMs = Math.floor(this.capMs / 1000) * 1000;
    const rolloverAfter = libraryTimeoutMs - Math.min(60_000, libraryTimeoutMs / 10);
    if (inFlight.deadline - Date.now() <= rolloverAfter) return inFlight.result;
    // Give the library a fresh timer before its own (capped) one fires.
    return new Promise<Json>((resolve, reject) => {
      let settled = false;
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        run.cleanups.delete(cancel);
        const queue = run.rollovers.get(key) ?? [];
        queue.push(inFlight);
        run.rollovers.set(key, queue);
        reject(new TaskFailure(ROLLOVER, ''));
      }, rolloverAfter);
      const cancel = () => clearTimeout(timer);
      run.cleanups.add(cancel);
      inFlight.result.then(
        (value) => {
          if (settled) return;
          settled = true;
          cancel();
          run.cleanups.delete(cancel);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          cancel();
          run.cleanups.delete(cancel);
          reject(error);
        },
      );
    });
  }

  private beginTask(run: Run, stateName: string, state: State, wrapped: Wrapped): InFlight {
    const resource = String(state.Resource);
    const params = wrapped.params;
    const timeoutSeconds =
      typeof state.TimeoutSeconds === 'number'
        ? state.TimeoutSeconds
        : wrapped.timeout !== undefined
          ? Number(wrapped.timeout)
          : DEFAULT_TASK_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
      const invalid = `TimeoutSecondsPath gave ${String(wrapped.timeout)}, not a positive integer`;
      const result = Promise.reject(new TaskFailure('States.Runtime', invalid));
      result.catch(() => {});
      return { result, deadline: Date.now() };
    }
    const deadline = Date.now() + timeoutSeconds * 1000;
    let token: string | undefined;
    // Once the task has timed out, a late answer of its handler changes nothing, not even the history.
    let over = false;
    const rec = (type: string, details: Record<string, unknown>) => {
      if (!over) this.record(run, type, details);
    };

    const work = async (): Promise<Json> => {
      // Lets the library's StateEntered reach the history before this task's own events.
      await new Promise((resolve) => setImmediate(resolve));
      if (resource.startsWith('arn:aws:states:::lambda:invoke')) {
        const waits = resource.endsWith('.waitForTaskToken');
        const body = asObject(params, stateName);
        let parked: Promise<Json> | undefined;
        let sent = body;
        if (waits) {
          const issued = this.issueToken(run, stateName);
          token = issued.token;
          parked = issued.parked;
          sent = replaceDeep(body, TOKEN_PLACEHOLDER, token) as Record<string, Json>;
        }
        const taskResource = waits ? 'invoke.waitForTaskToken' : 'invoke';
        rec('TaskScheduled', {
          taskScheduledEventDetails: {
            resourceType: 'lambda',
            resource: taskResource,
            region: this.region,
            parameters: JSON.stringify(sent),
            timeoutInSeconds: timeoutSeconds,
          },
        });
        rec('TaskStarted', { taskStartedEventDetails: { resourceType: 'lambda', resource: taskResource } });
        const invoked = this.invokeLambda(String(sent.FunctionName), sent.Payload ?? {}).then(envelope);
        let output: Json;
        if (parked) {
          const wait = parked;
          // A decision sent while the handler still runs completes the task just the same.
          output = await Promise.race([
            invoked.then((submitted) => {
              rec('TaskSubmitted', {
                taskSubmittedEventDetails: {
                  resourceType: 'lambda',
                  resource: taskResource,
                  output: JSON.stringify(submitted),
                },
              });
              return wait;
            }),
            wait,
          ]);
        } else {
          output = await invoked;
        }
        rec('TaskSucceeded', {
          taskSucceededEventDetails: {
            resourceType: 'lambda',
            resource: taskResource,
            output: JSON.stringify(output),
          },
        });
        return output;
      }
      // A Lambda ARN as the Resource: the input is the event and the result is the output, no envelope.
      rec('LambdaFunctionScheduled', {
        lambdaFunctionScheduledEventDetails: {
          resource,
          input: JSON.stringify(params),
          timeoutInSeconds: timeoutSeconds,
        },
      });
      rec('LambdaFunctionStarted', {});
      const output = (await this.invokeLambda(resource, params)) as Json;
      rec('LambdaFunctionSucceeded', {
        lambdaFunctionSucceededEventDetails: { output: JSON.stringify(output) },
      });
      return output;
    };

    const result = new Promise<Json>((resolve, reject) => {
      const timer = setLongTimeout(
        () => {
          rec('TaskTimedOut', {
            taskTimedOutEventDetails: {
              resourceType: 'lambda',
              resource: resource.split(':').pop(),
              error: 'States.Timeout',
            },
          });
          over = true;
          reject(new TaskFailure('States.Timeout', ''));
          // SendTaskSuccess with this token now answers TaskTimedOut
          const parked = token ? this.tokens.get(token) : undefined;
          if (token) this.tokens.delete(token);
          parked?.reject(new TaskFailure('States.Timeout', ''));
        },
        deadline - Date.now(),
        this.capMs,
      );
      const cancel = () => timer.cancel();
      run.cleanups.add(cancel);
      work().then(
        (value) => {
          cancel();
          run.cleanups.delete(cancel);
          resolve(value);
        },
        (error: unknown) => {
          cancel();
          run.cleanups.delete(cancel);
          if (token) this.tokens.delete(token);
          const failure = error instanceof TaskFailure ? error : toTaskFailure(error);
          if (!run.stopReason) {
            rec('TaskFailed', {
              taskFailedEventDetails: {
                resourceType: 'lambda',
                resource: resource.split(':').pop(),
                error: failure.name,
                cause: failure.message,
              },
            });
          }
          reject(failure);
        },
      );
    });
    // A rolled-over task may settle while nobody awaits it.
    result.catch(() => {});
    return { result, deadline };
  }

  private async invokeLambda(functionRef: string, payload: Json): Promise<Json> {
    return (await this.options.invoke(functionRef, payload)) as Json;
  }

  // ---- task tokens ----

  private issueToken(run: Run, stateName: string): { token: string; parked: Promise<Json> } {
    const token = Buffer.from(
      JSON.stringify({ e: run.record.executionArn, s: stateName, n: randomBytes(24).toString('base64url') }),
    ).toString('base64url');
    let resolve!: (output: Json) => void;
    let reject!: (error: Error) => void;
    const parked = new Promise<Json>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    parked.catch(() => {});
    this.tokens.set(token, { executionArn: run.record.executionArn, resolve, reject });
    return { token, parked };
  }

  private takeToken(token: string | undefined): ParkedTask {
    const parked = token ? this.tokens.get(token) : undefined;
    if (!parked || !token) this.diagnoseToken(token);
    this.tokens.delete(token as string);
    return parked as ParkedTask;
  }

  /** Names the error AWS gives for a token that is not parked: malformed, unknown execution, or gone. */
  private diagnoseToken(token: string | undefined): never {
    let executionArn: string | undefined;
    try {
      executionArn = (JSON.parse(Buffer.from(token ?? '', 'base64url').toString()) as { e?: string }).e;
    } catch {
      executionArn = undefined;
    }
    if (!token || !executionArn) throw new SfnError('InvalidToken', 'Invalid Token');
    if (!this.records.has(executionArn)) throw new SfnError('TaskDoesNotExist', 'Task does not exist');
    // Completed, timed out, or issued before a restart of the runtime.
    throw new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  private voidTokens(executionArn: string): void {
    for (const [token, parked] of this.tokens) {
      if (parked.executionArn !== executionArn) continue;
      this.tokens.delete(token);
      parked.reject(new TaskFailure('States.Runtime', 'The execution has ended'));
    }
  }

  // ---- history ----

  private onLibraryEvent(run: Run, event: LibraryEvent): void {
    const state = event.state;
    switch (event.type) {
      case 'StateEntered':
        if (!state) return;
        this.record(run, `${state.type}StateEntered`, {
          stateEnteredEventDetails: {
            name: state.name,
            input: JSON.stringify(state.input),
            inputDetails: { truncated: false },
          },
        });
        return;
      case 'StateExited':
        if (!state) return;
        this.record(run, `${state.type}StateExited`, {
          stateExitedEventDetails: {
            name: state.name,
            output: JSON.stringify(state.output),
            outputDetails: { truncated: false },
          },
        });
        return;
      case 'StateFailed':
        // Task failures are recorded by the task itself; Map and Parallel failures have their own events.
        if (state && (state.type === 'Map' || state.type === 'Parallel') && event.Error !== ROLLOVER) {
          this.record(run, `${state.type}StateFailed`, {});
        }
        return;
      case 'MapIterationStarted':
      case 'MapIterationSucceeded':
      case 'MapIterationFailed': {
        const key = `mapIteration${event.type.slice('MapIteration'.length)}EventDetails`;
        this.record(run, event.type, { [key]: { name: event.parentState?.name, index: event.index } });
        return;
      }
      default:
        // Execution-level events are recorded by the engine; retries and catches show as repeated tasks.
        return;
    }
  }

  private record(run: Run, type: string, details: Record<string, unknown>): void {
    if (run.stopReason === 'closing') return;
    this.pushEvent(run.record.executionArn, run.nextEventId++, type, details);
  }

  private pushEvent(executionArn: string, id: number, type: string, details: Record<string, unknown>): void {
    const event: HistoryEvent = {
      id,
      previousEventId: id - 1,
      timestamp: this.clock().getTime(),
      type,
      ...details,
    };
    const pending = this.pendingEvents.get(executionArn) ?? [];
    pending.push(event);
    this.pendingEvents.set(executionArn, pending);
    queueMicrotask(() => this.flush(executionArn));
  }

  private flush(executionArn: string): void {
    const pending = this.pendingEvents.get(executionArn);
    if (!pending?.length) return;
    this.pendingEvents.delete(executionArn);
    void this.enqueue(executionArn, () => this.options.store.appendEvents(executionArn, pending));
  }

  /** Serializes the writes of one execution, so the store sees them in order. */
  private enqueue(executionArn: string, write: () => Promise<void>): Promise<void> {
    const previous = this.writes.get(executionArn) ?? Promise.resolve();
    const next = previous.then(write).catch((error: unknown) => {
      this.log(`[sfn] could not persist ${executionArn}: ${(error as Error).message}`);
    });
    this.writes.set(executionArn, next);
    void next.then(() => {
      if (this.writes.get(executionArn) === next) this.writes.delete(executionArn);
    });
    return next;
  }

  // ---- definition ----

  /**
   * The definition handed to the library: no execution timeout (the engine keeps it), and every Task with its
   * Parameters wrapped as `{params, timeout}` so the override also gets TimeoutSecondsPath evaluated against the
   * state input, a capped TimeoutSeconds, and a first retrier that catches the engine's timer rollover.
   */
  private prepare(definition: AslDefinition): StateMachineDefinition {
    const copy = structuredClone(definition) as Record<string, unknown>;
    delete copy.TimeoutSeconds;
    const libraryTimeoutSeconds = Math.max(1, Math.floor(this.capMs / 1000));
    const visit = (machine: Record<string, unknown>) => {
      const states = (machine.States ?? {}) as Record<string, State>;
      for (const [name, state] of Object.entries(states)) {
        if (state.Type === 'Map') visit((state.ItemProcessor ?? state.Iterator) as Record<string, unknown>);
        if (state.Type === 'Parallel')
          for (const branch of state.Branches as Record<string, unknown>[]) visit(branch);
        if (state.Type !== 'Task') continue;
        const resource = String(state.Resource);
        const supported =
          resource === 'arn:aws:states:::lambda:invoke' ||
          resource === 'arn:aws:states:::lambda:invoke.waitForTaskToken' ||
          /^arn:aws:lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?$/.test(resource);
        if (!supported)
          throw new Error(`Task ${name}: resource ${resource} is not supported by the local runtime`);
        if (this.taskStates.has(name))
          throw new Error(`State name ${name} is used twice; Step Functions requires unique names`);
        this.taskStates.set(name, structuredClone(state));
        const wrapper: Record<string, unknown> =
          'Parameters' in state ? { params: state.Parameters } : { 'params.$': '$' };
        if (typeof state.TimeoutSecondsPath === 'string') wrapper['timeout.$'] = state.TimeoutSecondsPath;
        state.Parameters = wrapper;
        delete state.TimeoutSecondsPath;
        delete state.HeartbeatSeconds;
        delete state.HeartbeatSecondsPath;
        state.TimeoutSeconds = libraryTimeoutSeconds;
        state.Retry = [
          { ErrorEquals: [ROLLOVER], IntervalSeconds: 0, MaxAttempts: 2 ** 31, BackoffRate: 1 },
          ...((state.Retry as unknown[]) ?? []),
        ];
      }
    };
    visit(copy);
    return copy as unknown as StateMachineDefinition;
  }

  private requireStateMachine(arn: string | undefined): void {
    if (!arn) throw new SfnError('ValidationException', 'stateMachineArn is required');
    if (!arn.startsWith('arn:')) throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    if (arn !== this.stateMachineArn)
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private requireExecution(arn: string | undefined): ExecutionRecord {
    if (!arn) throw new SfnError('ValidationException', 'executionArn is required');
    if (!arn.startsWith('arn:')) throw new SfnError('InvalidArn', `Invalid Arn: '${arn}'`);
    const record = this.records.get(arn);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }
}

interface Wrapped {
  params: Json;
  timeout?: unknown;
}

interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  Error?: string;
}

/** The Lambda invoke integration's result: the function's answer under Payload, with the HTTP metadata. */
function envelope(payload: unknown): Json {
  const requestId = randomUUID();
  const headers = {
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': requestId,
  };
  return {
    ExecutedVersion: '$LATEST',
    Payload: (payload ?? null) as Json,
    SdkHttpMetadata: {
      AllHttpHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      HttpHeaders: headers,
      HttpStatusCode: 200,
    },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

function toTaskFailure(error: unknown): TaskFailure {
  if (error instanceof LambdaInvokeError)
    return new TaskFailure(error.name, JSON.stringify(error.toPayload()));
  if (error instanceof Error) {
    return new TaskFailure(
      error.name,
      JSON.stringify({
        errorType: error.name,
        errorMessage: error.message,
        trace: (error.stack ?? '').split('\n'),
      }),
    );
  }
  return new TaskFailure('Error', String(error));
}

function asObject(value: Json, stateName: string): Record<string, Json> {
  if (!value || typeof value !== 'object' || Array.isArray(value) || typeof value.FunctionName !== 'string') {
    throw new TaskFailure(
      'States.Runtime',
      `${stateName}: lambda:invoke needs Parameters with a FunctionName`,
    );
  }
  return value;
}

function replaceDeep(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, search, replacement));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceDeep(v, search, replacement)]),
    );
  }
  return value;
}

function stripData(event: HistoryEvent): HistoryEvent {
  const copy = structuredClone(event);
  for (const value of Object.values(copy)) {
    if (value && typeof value === 'object') {
      for (const field of ['input', 'output', 'parameters']) delete (value as Record<string, unknown>)[field];
    }
  }
  return copy;
}

function paginate<T>(items: T[], maxResults: number | undefined, nextToken: string | undefined) {
  let offset = 0;
  if (nextToken) {
    offset = Number(Buffer.from(nextToken, 'base64url').toString());
    if (!Number.isInteger(offset) || offset < 0) throw new SfnError('InvalidToken', 'Invalid nextToken');
  }
  const size = maxResults && maxResults > 0 ? Math.min(maxResults, 1000) : 100;
  const page = items.slice(offset, offset + size);
  const more = offset + size < items.length;
  return { page, nextToken: more ? Buffer.from(String(offset + size)).toString('base64url') : undefined };
}

const seconds = (ms: number) => ms / 1000;
