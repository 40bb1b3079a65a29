// Local Step Functions: aws-local-stepfunctions validates and runs the synthesized ASL and times every Task
// itself; this adapter serves the operations the handlers and tests call and adds only what the library lacks:
// - every Task is overridden: lambda:invoke calls the local handler and returns the Lambda invoke envelope;
//   .waitForTaskToken issues a token, invokes, and parks until SendTaskSuccess/Failure;
// - the execution timeout (up to a year) runs on a chained timer, since setTimeout holds at most ~24.8 days;
//   a Task timeout beyond one timer is refused at load (TimeoutSeconds) or fails the state (TimeoutSecondsPath);
// - executions and their history are persisted, and RUNNING ones re-run from the top after a restart (the
//   workflow's tasks are idempotent and read their progress from DynamoDB).
import { randomBytes, randomUUID } from 'node:crypto';
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
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
  constructor(name: string, cause: string) {
    super(cause);
    this.name = name;
    // Read by the library: States.Runtime, as on AWS, fails the execution past any Retry or Catch.
    const handled = name !== 'States.Runtime';
    Object.assign(this, { isRetryable: handled, isCatchable: handled });
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type State = Record<string, unknown>;
type LibraryEvent = ReturnType<StateMachine['run']>['eventLogs'] extends AsyncIterable<infer E> ? E : never;

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
  /** longest single timer of the execution timeout; tests lower it to exercise the chaining */
  timerCapMs?: number;
  /** told of every execution's end, as EventBridge is told on AWS (Execution Status Change) */
  onEnd?: (record: ExecutionRecord) => void;
  /**
   * The fault suites' knob: every Retry waits this many ms instead of its IntervalSeconds × BackoffRate, so a run
   * full of injected faults does not sit out minutes of real back-off. The ASL (which errors, how many attempts,
   * what is caught) stays the one CDK synthesizes; only the wall time between attempts shrinks.
   */
  retryIntervalMs?: number;
}

/** The longest Task timeout one setTimeout holds (about 24.8 days). */
export const MAX_TASK_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const TOKEN_PLACEHOLDER = '__local_task_token__';
const TOKEN_PATTERN = /^[\w-]{43}$/;
const SUPPORTED_RESOURCE = /^arn:aws:states:::lambda:invoke(\.waitForTaskToken)?$/;
// AWS: 1-80 characters; no whitespace, brackets, wildcards, special characters or control characters.
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

interface ParkedTask {
  executionArn: string;
  /** when the library times the task out; the token is void from then on */
  deadline: number;
  resolve(output: Json): void;
  reject(error: Error): void;
}

interface Run {
  record: ExecutionRecord;
  abort(): void;
  done: Promise<void>;
  nextEventId: number;
  stopReason?: 'stopped' | 'timed_out' | 'closing';
}

/** The local Step Functions service for one state machine. */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly region: string;
  private readonly roleArn: string;
  private readonly clock: () => Date;
  private readonly log: (line: string) => void;
  private readonly machine: StateMachine;
  private readonly taskStates = new Map<string, State>();
  /** the states with a Retry, for `retryIntervalMs` */
  private readonly retrying = new Set<string>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly runs = new Map<string, Run>();
  private readonly writes = new Map<string, Promise<void>>();
  /** history events not yet handed to the store, per execution */
  private readonly unwritten = new Map<string, HistoryEvent[]>();
  private readonly tokens = new Map<string, ParkedTask>();
  private closing = false;

  constructor(private readonly options: StepFunctionsOptions) {
    const { region = 'eu-west-1', accountId = '000000000000', stateMachine } = options;
    this.region = region;
    this.roleArn = `arn:aws:iam::${accountId}:role/LocalStepFunctionsRole`;
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
    this.stateMachineArn = `arn:aws:states:${region}:${accountId}:stateMachine:${stateMachine.name}`;
    // The library's validator accepts JSONata, which its engine would then read as JSONPath.
    if (stateMachine.definition.QueryLanguage === 'JSONata')
      throw new Error('JSONata is not supported locally (JSONPath only)');
    this.machine = new StateMachine(this.prepare(stateMachine.definition));
  }

  /** Loads persisted executions and re-runs every RUNNING one from the top; returns how many resumed. */
  async start(): Promise<number> {
    let resumed = 0;
    for (const record of await this.options.store.list()) {
      this.records.set(record.executionArn, record);
      if (record.status !== 'RUNNING') continue;
      const { length } = await this.options.store.events(record.executionArn);
      record.runs += 1;
      this.log(`[sfn] resuming ${record.name} from the top (run ${record.runs}); earlier tokens are void`);
      this.launch(record, length + 1);
      await this.save(record);
      resumed++;
    }
    return resumed;
  }

  /** Stops running executions without recording an end, so they resume on the next start; flushes writes. */
  async close(): Promise<void> {
    this.closing = true;
    for (const run of this.runs.values()) this.stop(run, 'closing');
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
    const { stateMachineArn, name = randomUUID(), input = '{}' } = req;
    if (stateMachineArn !== this.stateMachineArn)
      throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${stateMachineArn}'`);
    if (this.closing) throw new SfnError('ServiceUnavailable', 'The local runtime is shutting down');
    if (!NAME_PATTERN.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    if (parseJson(input) === undefined)
      throw new SfnError('InvalidExecutionInput', `Invalid Execution Input: '${input.slice(0, 100)}'`);
    const executionArn = `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = this.records.get(executionArn);
    if (existing) {
      // AWS: the same name and input while RUNNING is the same start; anything else is a reused name.
      if (existing.status === 'RUNNING' && existing.input === input)
        return { executionArn, startDate: seconds(existing.startDate) };
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const startDate = this.clock().getTime();
    const record: ExecutionRecord = {
      executionArn,
      stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate,
      runs: 1,
    };
    this.records.set(executionArn, record);
    // The library's own events reach the history a tick later, so this one comes first.
    const run = this.launch(record, 1);
    this.record(run, 'ExecutionStarted', {
      input,
      inputDetails: { truncated: false },
      roleArn: this.roleArn,
    });
    await this.save(record);
    return { executionArn, startDate: seconds(startDate) };
  }

  async describeExecution(req: { executionArn?: string }) {
    const { runs: _, ...r } = this.requireExecution(req.executionArn);
    // Undefined fields are left out of the JSON answer, as AWS leaves them out.
    return { ...r, startDate: seconds(r.startDate), stopDate: r.stopDate && seconds(r.stopDate) };
  }

  async getExecutionHistory(req: {
    executionArn?: string;
    maxResults?: number;
    nextToken?: string;
    reverseOrder?: boolean;
  }) {
    const { executionArn } = this.requireExecution(req.executionArn);
    await this.writes.get(executionArn);
    const events = await this.options.store.events(executionArn);
    if (req.reverseOrder) events.reverse();
    // The page token is the offset of the next page.
    const offset = Number(req.nextToken ?? 0);
    if (!Number.isInteger(offset) || offset < 0) throw new SfnError('InvalidToken', 'Invalid nextToken');
    const end = offset + (req.maxResults && req.maxResults > 0 ? Math.min(req.maxResults, 1000) : 100);
    return {
      events: events.slice(offset, end).map((e) => ({ ...e, timestamp: seconds(e.timestamp) })),
      nextToken: end < events.length ? String(end) : undefined,
    };
  }

  async stopExecution(req: { executionArn?: string; error?: string; cause?: string }) {
    const r = this.requireExecution(req.executionArn);
    const run = this.runs.get(r.executionArn);
    if (r.status === 'RUNNING' && run) {
      this.finish(run, 'ABORTED', { error: req.error, cause: req.cause });
      this.stop(run, 'stopped');
      await this.writes.get(r.executionArn);
    }
    return { stopDate: seconds(r.stopDate ?? this.clock().getTime()) };
  }

  async sendTaskSuccess(req: { taskToken?: string; output?: string }) {
    const parked = this.parkedTask(req.taskToken);
    const output = parseJson(req.output);
    // AWS refuses the call, not the task: it stays parked.
    if (output === undefined)
      throw new SfnError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    parked.resolve(output);
    return {};
  }

  async sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }) {
    this.parkedTask(req.taskToken).reject(new TaskFailure(req.error ?? '', req.cause ?? ''));
    return {};
  }

  // ---- running executions ----

  private launch(record: ExecutionRecord, nextEventId: number): Run {
    const run: Run = { record, abort: () => {}, done: Promise.resolve(), nextEventId };
    this.runs.set(record.executionArn, run);
    const handlers = Object.fromEntries(
      [...this.taskStates.keys()].map((name) => [name, (input: unknown) => this.runTask(run, name, input)]),
    );
    const { retryIntervalMs } = this.options;
    const retryIntervalOverrides =
      retryIntervalMs === undefined
        ? undefined
        : Object.fromEntries([...this.retrying].map((name) => [name, retryIntervalMs]));
    const execution = this.machine.run(JSON.parse(record.input) as Json, {
      overrides: {
        taskResourceLocalHandlers: handlers as never,
        ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
      },
      context: {
        Execution: { Id: record.executionArn, Name: record.name, RoleArn: this.roleArn, RedriveCount: 0 },
        StateMachine: { Id: this.stateMachineArn, Name: this.options.stateMachine.name },
        Task: { Token: TOKEN_PLACEHOLDER },
      },
    });
    run.abort = execution.abort;
    // The outcome comes as the library's last event; a stopped or closed run rejects with ExecutionAbortedError.
    execution.result.catch(() => {});
    const { TimeoutSeconds } = this.options.stateMachine.definition;
    const remaining = record.startDate + Number(TimeoutSeconds) * 1000 - this.clock().getTime();
    const onTimeout = () => this.stop(run, 'timed_out');
    const timer =
      typeof TimeoutSeconds === 'number'
        ? setLongTimeout(onTimeout, remaining, this.options.timerCapMs)
        : undefined;
    run.done = (async () => {
      for await (const event of execution.eventLogs) this.onLibraryEvent(run, event);
      timer?.cancel();
      // Settling the parked tasks lets the library clear its task timers.
      for (const [token, parked] of this.tokens) {
        if (parked.executionArn !== record.executionArn) continue;
        this.tokens.delete(token);
        parked.reject(new TaskFailure('States.Runtime', 'The execution has ended'));
      }
      if (this.runs.get(record.executionArn) === run) this.runs.delete(record.executionArn);
    })();
    return run;
  }

  private stop(run: Run, reason: Run['stopReason']) {
    run.stopReason = reason;
    run.abort();
  }

  /** Records the end of an execution: its status, its last history event and the persisted record. */
  private finish(
    run: Run,
    status: ExecutionStatus,
    details: { output?: string; error?: string; cause?: string },
  ) {
    const r = run.record;
    // A closing run records no end, so it resumes on the next start.
    if (r.status !== 'RUNNING' || run.stopReason === 'closing') return;
    Object.assign(r, { status, stopDate: this.clock().getTime() }, details);
    // TIMED_OUT is ExecutionTimedOut, and so on.
    const type = status.toLowerCase().replace(/(?:^|_)(\w)/g, (_, c: string) => c.toUpperCase());
    const end =
      status === 'SUCCEEDED'
        ? { output: r.output, outputDetails: { truncated: false } }
        : { error: r.error, cause: r.cause };
    this.record(run, `Execution${type}`, end);
    void this.save(r);
    this.options.onEnd?.({ ...r });
  }

  /**
   * The override of one Task. The library calls it before it reads the timeout and arms its own timer, so an
   * unusable TimeoutSecondsPath is thrown here, synchronously: the state fails before anything is invoked.
   */
  private runTask(run: Run, stateName: string, input: unknown): Promise<Json> {
    const state = this.taskStates.get(stateName) as State;
    const { params, timeout = state.TimeoutSeconds } = input as { params: Json; timeout?: unknown };
    const timeoutSeconds = Number.isInteger(timeout) ? (timeout as number) : 0;
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TASK_TIMEOUT_SECONDS) {
      const limits = `a whole number of seconds from 1 to ${MAX_TASK_TIMEOUT_SECONDS}`;
      throw new TaskFailure(
        'States.Runtime',
        `${stateName}: the timeout ${String(timeout)} is not ${limits}`,
      );
    }
    return this.invokeTask(run, String(state.Resource), params, timeoutSeconds);
  }

  private async invokeTask(run: Run, resource: string, params: Json, timeoutSeconds: number): Promise<Json> {
    const deadline = Date.now() + timeoutSeconds * 1000;
    // Once the library has timed the task out, a late answer changes nothing, not even the history.
    const base = { resourceType: 'lambda', resource: resource.split(':').pop() };
    const task = (type: string, extra: object = {}) =>
      Date.now() < deadline && this.record(run, `Task${type}`, { ...base, ...extra });
    // Lets the library's StateEntered reach the history before this task's own events.
    await new Promise((resolve) => setImmediate(resolve));
    const { executionArn } = run.record;
    const parked = resource.endsWith('.waitForTaskToken')
      ? this.issueToken(executionArn, deadline)
      : undefined;
    try {
      const text = JSON.stringify(params);
      const body = JSON.parse(parked ? text.replaceAll(TOKEN_PLACEHOLDER, parked.token) : text);
      task('Scheduled', {
        region: this.region,
        parameters: JSON.stringify(body),
        timeoutInSeconds: timeoutSeconds,
      });
      task('Started');
      const invoked = this.options.invoke(String(body.FunctionName), body.Payload ?? {}).then(envelope);
      let output: Json;
      if (parked) {
        const submitted = invoked.then((result) => {
          task('Submitted', { output: JSON.stringify(result) });
          return parked.decision;
        });
        // A decision sent while the handler still runs completes the task just the same.
        output = await Promise.race([submitted, parked.decision]);
      } else {
        output = await invoked;
      }
      task('Succeeded', { output: JSON.stringify(output) });
      return output;
    } catch (error) {
      const failure = toTaskFailure(error);
      if (!run.stopReason) task('Failed', { error: failure.name, cause: failure.message });
      throw failure;
    } finally {
      if (parked) this.tokens.delete(parked.token);
    }
  }

  // ---- task tokens ----

  private issueToken(executionArn: string, deadline: number) {
    const token = randomBytes(32).toString('base64url');
    const decision = new Promise<Json>((resolve, reject) => {
      this.tokens.set(token, { executionArn, deadline, resolve, reject });
    });
    decision.catch(() => {});
    return { token, decision };
  }

  /** The task parked on a token; a token past its task's timeout is void, as on AWS. */
  private parkedTask(token = ''): ParkedTask {
    const parked = this.tokens.get(token);
    if (parked && Date.now() < parked.deadline) return parked;
    if (!TOKEN_PATTERN.test(token)) throw new SfnError('InvalidToken', 'Invalid Token');
    // One of ours, gone: its task completed or timed out, or the runtime restarted since.
    throw new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  // ---- history ----

  private onLibraryEvent(run: Run, event: LibraryEvent): void {
    if (event.type === 'ExecutionSucceeded') {
      this.finish(run, 'SUCCEEDED', { output: JSON.stringify(event.output ?? null) });
    } else if (event.type === 'ExecutionFailed') {
      this.finish(run, 'FAILED', { error: event.Error, cause: String(event.Cause) });
    } else if (event.type === 'ExecutionAborted' && run.stopReason === 'timed_out') {
      this.finish(run, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
    } else if (event.type === 'StateEntered' || event.type === 'StateExited') {
      const { name, type, input, output } = event.state;
      const data =
        event.type === 'StateEntered'
          ? { input: JSON.stringify(input), inputDetails: { truncated: false } }
          : { output: JSON.stringify(output), outputDetails: { truncated: false } };
      this.record(run, `${type}${event.type}`, { name, ...data }, event.type);
    } else if (
      event.type === 'StateFailed' &&
      event.state.type === 'Task' &&
      event.Error === 'States.Timeout'
    ) {
      // The library timed the task out; its token is void from the deadline on.
      const resource = String(this.taskStates.get(event.state.name)?.Resource).split(':').pop();
      this.record(run, 'TaskTimedOut', { resourceType: 'lambda', resource, error: event.Error });
    } else if (event.type === 'StateFailed' && ['Map', 'Parallel'].includes(event.state.type)) {
      // Task failures are recorded by the task itself; Map and Parallel failures have their own events.
      this.record(run, `${event.state.type}StateFailed`);
    } else if (event.type.startsWith('MapIteration') && 'parentState' in event && 'index' in event) {
      this.record(run, event.type, { name: event.parentState.name, index: event.index });
    }
    // Retries and catches show as repeated tasks.
  }

  /** Adds an event to the history, its details under `<kind>EventDetails` as in the API. */
  private record(run: Run, type: string, details?: object, kind = type) {
    if (run.stopReason === 'closing') return;
    const id = run.nextEventId++;
    const key = `${kind[0]?.toLowerCase()}${kind.slice(1)}EventDetails`;
    const event = { id, previousEventId: id - 1, timestamp: this.clock().getTime(), type, [key]: details };
    const { executionArn } = run.record;
    // Events that arrive while an earlier write is under way go out together, in one batch, in order.
    const waiting = this.unwritten.get(executionArn);
    if (waiting) {
      waiting.push(event);
      return;
    }
    const batch = [event];
    this.unwritten.set(executionArn, batch);
    void this.persist(executionArn, () => {
      this.unwritten.delete(executionArn);
      return this.options.store.appendEvents(executionArn, batch);
    });
  }

  /** Persists a snapshot of the record, after the writes before it. */
  private save(record: ExecutionRecord): Promise<void> {
    const snapshot = { ...record };
    return this.persist(record.executionArn, () => this.options.store.put(snapshot));
  }

  /** Serializes the writes of one execution, so the store sees them in order. */
  private persist(executionArn: string, write: () => Promise<void>): Promise<void> {
    const next = (this.writes.get(executionArn) ?? Promise.resolve()).then(write).catch((error: unknown) => {
      this.log(`[sfn] could not persist ${executionArn}: ${(error as Error).message}`);
    });
    this.writes.set(executionArn, next);
    void next.then(() => this.writes.get(executionArn) === next && this.writes.delete(executionArn));
    return next;
  }

  // ---- definition ----

  /**
   * The definition handed to the library: no execution timeout (ours, chained), and every Task with its
   * Parameters wrapped as `{params, timeout}`, so the library reads TimeoutSecondsPath off the state input (as AWS
   * does) and the override sees the same value. A Task without a timeout gets the longest one timer holds, where
   * AWS has 99,999,999 s and the library 60 s.
   */
  private prepare(definition: AslDefinition): StateMachineDefinition {
    const copy = structuredClone(definition) as State;
    delete copy.TimeoutSeconds;
    const visit = (machine: State) => {
      for (const [name, state] of Object.entries(machine.States as Record<string, State>)) {
        if (state.Type === 'Map') visit((state.ItemProcessor ?? state.Iterator) as State);
        if (state.Type === 'Parallel') for (const branch of state.Branches as State[]) visit(branch);
        if (Array.isArray(state.Retry) && state.Retry.length > 0) this.retrying.add(name);
        if (state.Type !== 'Task') continue;
        if (!SUPPORTED_RESOURCE.test(String(state.Resource)))
          throw new Error(`Task ${name}: resource ${state.Resource} is not supported by the local runtime`);
        if (Number(state.TimeoutSeconds) > MAX_TASK_TIMEOUT_SECONDS)
          throw new Error(
            `Task ${name}: TimeoutSeconds ${state.TimeoutSeconds} exceeds ${MAX_TASK_TIMEOUT_SECONDS} (about 24.8 days), the most one timer holds`,
          );
        if (state.TimeoutSecondsPath === undefined) state.TimeoutSeconds ??= MAX_TASK_TIMEOUT_SECONDS;
        // The override reads Resource and TimeoutSeconds only, which the wrapping leaves as they are.
        this.taskStates.set(name, state);
        const wrapper: State = 'Parameters' in state ? { params: state.Parameters } : { 'params.$': '$' };
        if (typeof state.TimeoutSecondsPath === 'string') {
          wrapper['timeout.$'] = state.TimeoutSecondsPath;
          state.TimeoutSecondsPath = '$.timeout';
        }
        state.Parameters = wrapper;
      }
    };
    visit(copy);
    return copy as unknown as StateMachineDefinition;
  }

  private requireExecution(arn = ''): ExecutionRecord {
    const record = this.records.get(arn);
    if (!record) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return record;
  }
}

/** The Lambda invoke integration's result: the function's answer under Payload, with the HTTP metadata. */
function envelope(payload: unknown): Json {
  const RequestId = randomUUID();
  const HttpHeaders = {
    'Content-Type': 'application/json',
    Date: new Date().toUTCString(),
    'X-Amz-Executed-Version': '$LATEST',
    'x-amzn-RequestId': RequestId,
  };
  const AllHttpHeaders = Object.fromEntries(Object.entries(HttpHeaders).map(([k, v]) => [k, [v]]));
  return {
    ExecutedVersion: '$LATEST',
    Payload: (payload ?? null) as Json,
    SdkHttpMetadata: { AllHttpHeaders, HttpHeaders, HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId },
    StatusCode: 200,
  };
}

/** A handler's error as Step Functions reports it: the errorType as Error, the Lambda error payload as Cause. */
function toTaskFailure(error: unknown): TaskFailure {
  if (error instanceof TaskFailure) return error;
  const e = error instanceof Error ? error : new Error(String(error));
  const payload =
    e instanceof LambdaInvokeError
      ? e.toPayload()
      : { errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
  return new TaskFailure(e.name, JSON.stringify(payload));
}

/** The parsed JSON text, or undefined when it is not JSON. */
function parseJson(text = ''): Json | undefined {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return undefined;
  }
}

const seconds = (ms: number) => ms / 1000;
