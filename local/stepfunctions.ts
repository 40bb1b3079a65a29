// Local Step Functions: aws-local-stepfunctions runs the synthesized ASL and times every Task itself; this adapter
// serves the operations the handlers and tests call and adds only what the library lacks:
// - every Task is overridden: lambda:invoke calls the local handler and returns the Lambda invoke envelope;
//   .waitForTaskToken issues a token, invokes, and parks until SendTaskSuccess/Failure;
// - the execution timeout (up to a year) runs on a chained timer, since setTimeout holds at most ~24.8 days;
//   a Task timeout beyond one timer is refused at load (TimeoutSeconds) or fails the state (TimeoutSecondsPath);
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
import { type LongTimer, MAX_TIMER_MS, setLongTimeout } from './timers.ts';

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
    this.isRetryable = this.isCatchable = name !== 'States.Runtime';
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
  /** longest single timer of the execution timeout; tests lower it to exercise the chaining */
  timerCapMs?: number;
}

/** The longest Task timeout one setTimeout holds (about 24.8 days). */
export const MAX_TASK_TIMEOUT_SECONDS = Math.floor(MAX_TIMER_MS / 1000);
const TOKEN_PLACEHOLDER = '__local_task_token__';
const SUPPORTED_RESOURCE =
  /^arn:aws:(states:::lambda:invoke(\.waitForTaskToken)?|lambda:[^:]*:[^:]*:function:[^:]+(:[^:]+)?)$/;
const MAX_PAYLOAD = 256 * 1024;
// AWS: 1-80 characters; no whitespace, brackets, wildcards, special characters or control characters.
const NAME_PATTERN = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

interface ParkedTask {
  executionArn: string;
  stateName: string;
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
  /** events of this tick, written together */
  pending: HistoryEvent[];
  stopReason?: 'stopped' | 'timed_out' | 'closing';
  timer?: LongTimer;
}

interface LibraryEvent {
  type: string;
  state?: { name: string; type: string; input: unknown; output?: unknown };
  parentState?: { name: string };
  index?: number;
  Error?: string;
}

/** The local Step Functions service for one state machine. */
export class LocalStepFunctions {
  readonly stateMachineArn: string;
  private readonly region: string;
  private readonly accountId: string;
  private readonly clock: () => Date;
  private readonly log: (line: string) => void;
  private readonly libraryDefinition: StateMachineDefinition;
  private readonly taskStates = new Map<string, State>();
  private readonly records = new Map<string, ExecutionRecord>();
  private readonly runs = new Map<string, Run>();
  private readonly writes = new Map<string, Promise<void>>();
  private readonly tokens = new Map<string, ParkedTask>();
  private closing = false;

  constructor(private readonly options: StepFunctionsOptions) {
    this.region = options.region ?? 'eu-west-1';
    this.accountId = options.accountId ?? '000000000000';
    this.clock = options.clock ?? (() => new Date());
    this.log = options.log ?? ((line) => process.stdout.write(`${line}\n`));
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
    this.libraryDefinition = this.prepare(definition);
  }

  /** Loads persisted executions and re-runs every RUNNING one from the top; returns how many resumed. */
  async start(): Promise<number> {
    let resumed = 0;
    for (const record of await this.options.store.list()) {
      this.records.set(record.executionArn, record);
      if (record.status !== 'RUNNING') continue;
      const events = await this.options.store.events(record.executionArn);
      record.runs += 1;
      await this.persist(record.executionArn, () => this.options.store.put({ ...record }));
      this.log(`[sfn] resuming ${record.name} from the top (run ${record.runs}); earlier tokens are void`);
      this.launch(this.track(record, events.length + 1));
      resumed++;
    }
    return resumed;
  }

  /** Stops running executions without recording an end, so they resume on the next start; flushes writes. */
  async close(): Promise<void> {
    this.closing = true;
    for (const run of this.runs.values()) {
      run.stopReason = 'closing';
      run.timer?.cancel();
      run.abort();
    }
    // Settling the parked tasks lets the library clear its task timers.
    this.voidTokens(() => true, 'The runtime is shutting down');
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
    if (!NAME_PATTERN.test(name)) throw new SfnError('InvalidName', `Invalid Name: '${name}'`);
    const input = req.input ?? '{}';
    if (Buffer.byteLength(input) > MAX_PAYLOAD || !isJson(input))
      throw new SfnError(
        'InvalidExecutionInput',
        `Invalid State Machine Execution Input: '${input.slice(0, 100)}'`,
      );
    const executionArn = `${this.stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
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
      stateMachineArn: this.stateMachineArn,
      name,
      status: 'RUNNING',
      input,
      startDate,
      runs: 1,
    };
    this.records.set(executionArn, record);
    const run = this.track(record, 1);
    const roleArn = `arn:aws:iam::${this.accountId}:role/LocalStepFunctionsRole`;
    this.record(run, 'ExecutionStarted', { input, inputDetails: { truncated: false }, roleArn });
    await this.persist(executionArn, () => this.options.store.put({ ...record }));
    this.launch(run);
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
    const run = this.runs.get(executionArn);
    if (run) this.flush(run);
    await this.writes.get(executionArn);
    const events = await this.options.store.events(executionArn);
    if (req.reverseOrder) events.reverse();
    const offset = req.nextToken ? Number(Buffer.from(req.nextToken, 'base64url').toString()) : 0;
    if (!Number.isInteger(offset) || offset < 0) throw new SfnError('InvalidToken', 'Invalid nextToken');
    const end = offset + (req.maxResults && req.maxResults > 0 ? Math.min(req.maxResults, 1000) : 100);
    return {
      events: events.slice(offset, end).map((e) => ({ ...e, timestamp: seconds(e.timestamp) })),
      nextToken: end < events.length ? Buffer.from(String(end)).toString('base64url') : undefined,
    };
  }

  async stopExecution(req: { executionArn?: string; error?: string; cause?: string }) {
    const r = this.requireExecution(req.executionArn);
    const run = this.runs.get(r.executionArn);
    if (r.status === 'RUNNING' && run) {
      run.stopReason = 'stopped';
      this.finish(run, 'ABORTED', { error: req.error, cause: req.cause });
      run.abort();
      await this.writes.get(r.executionArn);
    }
    return { stopDate: seconds(r.stopDate ?? this.clock().getTime()) };
  }

  async sendTaskSuccess(req: { taskToken?: string; output?: string }) {
    const parked = this.takeToken(req.taskToken);
    if (!isJson(req.output ?? '')) {
      // the task stays parked: AWS rejects the call, not the task
      this.tokens.set(req.taskToken as string, parked);
      throw new SfnError('InvalidOutput', 'Invalid Output: the output is not valid JSON');
    }
    parked.resolve(JSON.parse(req.output as string) as Json);
    return {};
  }

  async sendTaskFailure(req: { taskToken?: string; error?: string; cause?: string }) {
    this.takeToken(req.taskToken).reject(new TaskFailure(req.error ?? '', req.cause ?? ''));
    return {};
  }

  /** Only checks the token: heartbeats are not timed locally. */
  async sendTaskHeartbeat(req: { taskToken?: string }) {
    this.tokens.set(req.taskToken as string, this.takeToken(req.taskToken));
    return {};
  }

  // ---- running executions ----

  private track(record: ExecutionRecord, nextEventId: number): Run {
    const run: Run = { record, abort: () => {}, done: Promise.resolve(), nextEventId, pending: [] };
    this.runs.set(record.executionArn, run);
    return run;
  }

  private launch(run: Run): void {
    const { record } = run;
    const machine = new StateMachine(this.libraryDefinition, { validationOptions: { noValidate: true } });
    const overrides = Object.fromEntries(
      [...this.taskStates].map(([name, state]) => [
        name,
        (input: unknown) => this.runTask(run, name, state, input),
      ]),
    );
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
    const timeoutSeconds = this.options.stateMachine.definition.TimeoutSeconds;
    if (typeof timeoutSeconds === 'number') {
      const remaining = record.startDate + timeoutSeconds * 1000 - this.clock().getTime();
      const onTimeout = () => {
        run.stopReason = 'timed_out';
        run.abort();
      };
      run.timer = setLongTimeout(onTimeout, remaining, this.options.timerCapMs ?? MAX_TIMER_MS);
    }

    run.done = (async () => {
      let outcome: [ExecutionStatus, Record<string, string>] | undefined;
      try {
        outcome = ['SUCCEEDED', { output: JSON.stringify((await execution.result) ?? null) }];
      } catch (error) {
        if (run.stopReason === 'timed_out') {
          outcome = ['TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' }];
        } else if (!(error instanceof ExecutionAbortedError)) {
          const cause = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
          outcome = ['FAILED', { error: cause?.name ?? 'States.Runtime', cause: cause?.message ?? '' }];
        }
      } finally {
        run.timer?.cancel();
        this.voidTokens((p) => p.executionArn === record.executionArn, 'The execution has ended');
      }
      await consumed.catch(() => {});
      if (outcome && run.stopReason !== 'stopped' && run.stopReason !== 'closing')
        this.finish(run, ...outcome);
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
    for (const key of ['output', 'error', 'cause'] as const)
      if (details[key] !== undefined) r[key] = details[key];
    const type = {
      SUCCEEDED: 'Succeeded',
      FAILED: 'Failed',
      TIMED_OUT: 'TimedOut',
      ABORTED: 'Aborted',
      RUNNING: '',
    }[status];
    const end =
      status === 'SUCCEEDED'
        ? { output: r.output, outputDetails: { truncated: false } }
        : { error: r.error, cause: r.cause };
    this.record(run, `Execution${type}`, end);
    const snapshot = { ...r };
    void this.persist(r.executionArn, () => this.options.store.put(snapshot));
  }

  /**
   * The override of one Task. The library calls it before it reads the timeout and arms its own timer, so an
   * unusable TimeoutSecondsPath is thrown here, synchronously: the state fails before anything is invoked.
   */
  private runTask(run: Run, stateName: string, state: State, input: unknown): Promise<Json> {
    const { params, timeout } = input as { params: Json; timeout?: unknown };
    const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : Number(timeout);
    if (
      !Number.isInteger(timeoutSeconds) ||
      timeoutSeconds < 1 ||
      timeoutSeconds > MAX_TASK_TIMEOUT_SECONDS
    ) {
      const limits = `a whole number of seconds from 1 to ${MAX_TASK_TIMEOUT_SECONDS}`;
      throw new TaskFailure(
        'States.Runtime',
        `${stateName}: the timeout ${String(timeout ?? state.TimeoutSeconds)} is not ${limits}`,
      );
    }
    return this.invokeTask(run, stateName, String(state.Resource), params, timeoutSeconds);
  }

  private async invokeTask(
    run: Run,
    stateName: string,
    resource: string,
    params: Json,
    timeoutSeconds: number,
  ) {
    const deadline = Date.now() + timeoutSeconds * 1000;
    // Once the library has timed the task out, a late answer changes nothing, not even the history.
    const rec = (type: string, details?: object) => Date.now() < deadline && this.record(run, type, details);
    const short = resource.split(':').pop();
    const task = (type: string, extra: object = {}) =>
      rec(`Task${type}`, { resourceType: 'lambda', resource: short, ...extra });
    let token: string | undefined;
    // Lets the library's StateEntered reach the history before this task's own events.
    await new Promise((resolve) => setImmediate(resolve));
    try {
      if (!resource.startsWith('arn:aws:states:::lambda:invoke')) {
        // A Lambda ARN as the Resource: the input is the event and the result is the output, no envelope.
        rec('LambdaFunctionScheduled', {
          resource,
          input: JSON.stringify(params),
          timeoutInSeconds: timeoutSeconds,
        });
        rec('LambdaFunctionStarted');
        const output = (await this.options.invoke(resource, params)) as Json;
        rec('LambdaFunctionSucceeded', { output: JSON.stringify(output) });
        return output;
      }
      if (
        !params ||
        typeof params !== 'object' ||
        Array.isArray(params) ||
        typeof params.FunctionName !== 'string'
      )
        throw new TaskFailure(
          'States.Runtime',
          `${stateName}: lambda:invoke needs Parameters with a FunctionName`,
        );
      let body = params;
      let parked: Promise<Json> | undefined;
      if (resource.endsWith('.waitForTaskToken')) {
        ({ token, parked } = this.issueToken(run, stateName, deadline));
        body = replaceDeep(params, TOKEN_PLACEHOLDER, token) as Record<string, Json>;
      }
      task('Scheduled', {
        region: this.region,
        parameters: JSON.stringify(body),
        timeoutInSeconds: timeoutSeconds,
      });
      task('Started');
      const invoked = this.options.invoke(String(body.FunctionName), body.Payload ?? {}).then(envelope);
      let output: Json;
      if (parked) {
        const decision = parked;
        const submitted = invoked.then((result) => {
          task('Submitted', { output: JSON.stringify(result) });
          return decision;
        });
        // A decision sent while the handler still runs completes the task just the same.
        output = await Promise.race([submitted, decision]);
      } else {
        output = await invoked;
      }
      task('Succeeded', { output: JSON.stringify(output) });
      return output;
    } catch (error) {
      if (token) this.tokens.delete(token);
      const failure = error instanceof TaskFailure ? error : toTaskFailure(error);
      if (!run.stopReason) task('Failed', { error: failure.name, cause: failure.message });
      throw failure;
    }
  }

  // ---- task tokens ----

  private issueToken(run: Run, stateName: string, deadline: number) {
    const executionArn = run.record.executionArn;
    const nonce = randomBytes(24).toString('base64url');
    const token = Buffer.from(JSON.stringify({ e: executionArn, s: stateName, n: nonce })).toString(
      'base64url',
    );
    const parked = new Promise<Json>((resolve, reject) => {
      this.tokens.set(token, { executionArn, stateName, deadline, resolve, reject });
    });
    parked.catch(() => {});
    return { token, parked };
  }

  /** Takes a parked task off its token; a token past its task's timeout is void, as on AWS. */
  private takeToken(token: string | undefined): ParkedTask {
    const parked = token ? this.tokens.get(token) : undefined;
    if (token) this.tokens.delete(token);
    if (parked && Date.now() < parked.deadline) return parked;
    // Not parked: malformed, of an unknown execution, or gone (completed, timed out, issued before a restart).
    let executionArn: string | undefined;
    try {
      executionArn = (JSON.parse(Buffer.from(token ?? '', 'base64url').toString()) as { e?: string }).e;
    } catch {}
    if (!token || !executionArn) throw new SfnError('InvalidToken', 'Invalid Token');
    if (!this.records.has(executionArn)) throw new SfnError('TaskDoesNotExist', 'Task does not exist');
    throw new SfnError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
  }

  private voidTokens(which: (parked: ParkedTask) => boolean, cause: string): void {
    for (const [token, parked] of this.tokens) {
      if (!which(parked)) continue;
      this.tokens.delete(token);
      parked.reject(new TaskFailure('States.Runtime', cause));
    }
  }

  // ---- history ----

  private onLibraryEvent(run: Run, { type, state, Error: error, parentState, index }: LibraryEvent): void {
    if ((type === 'StateEntered' || type === 'StateExited') && state) {
      const data =
        type === 'StateEntered'
          ? { input: JSON.stringify(state.input), inputDetails: { truncated: false } }
          : { output: JSON.stringify(state.output), outputDetails: { truncated: false } };
      this.record(run, `${state.type}${type}`, { name: state.name, ...data }, type);
    } else if (type === 'StateFailed' && state?.type === 'Task' && error === 'States.Timeout') {
      // The library timed the task out: record it and void the tokens whose time is up.
      const resource = String(this.taskStates.get(state.name)?.Resource).split(':').pop();
      this.record(run, 'TaskTimedOut', { resourceType: 'lambda', resource, error });
      const now = Date.now();
      const { executionArn } = run.record;
      this.voidTokens(
        (p) => p.executionArn === executionArn && p.stateName === state.name && p.deadline <= now,
        'The task timed out',
      );
    } else if (type === 'StateFailed' && (state?.type === 'Map' || state?.type === 'Parallel')) {
      // Task failures are recorded by the task itself; Map and Parallel failures have their own events.
      this.record(run, `${state.type}StateFailed`);
    } else if (type.startsWith('MapIteration')) {
      this.record(run, type, { name: parentState?.name, index });
    }
    // Execution-level events are recorded by this adapter; retries and catches show as repeated tasks.
  }

  /** Adds an event to the history, its details under `<kind>EventDetails` as in the API; written next tick. */
  private record(run: Run, type: string, details?: object, kind = type) {
    if (run.stopReason === 'closing') return;
    const id = run.nextEventId++;
    const key = `${kind[0]?.toLowerCase()}${kind.slice(1)}EventDetails`;
    const event = { id, previousEventId: id - 1, timestamp: this.clock().getTime(), type, [key]: details };
    if (run.pending.push(event) === 1) queueMicrotask(() => this.flush(run));
  }

  private flush(run: Run): void {
    const { executionArn } = run.record;
    const events = run.pending.splice(0);
    if (events.length)
      void this.persist(executionArn, () => this.options.store.appendEvents(executionArn, events));
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
      for (const [name, state] of Object.entries((machine.States ?? {}) as Record<string, State>)) {
        if (state.Type === 'Map') visit((state.ItemProcessor ?? state.Iterator) as State);
        if (state.Type === 'Parallel') for (const branch of state.Branches as State[]) visit(branch);
        if (state.Type !== 'Task') continue;
        const refuse = (why: string) => new Error(`Task ${name}: ${why}`);
        if (!SUPPORTED_RESOURCE.test(String(state.Resource)))
          throw refuse(`resource ${state.Resource} is not supported by the local runtime`);
        if (this.taskStates.has(name))
          throw refuse('the name is used twice; Step Functions requires unique names');
        if (Number(state.TimeoutSeconds) > MAX_TASK_TIMEOUT_SECONDS)
          throw refuse(
            `TimeoutSeconds ${state.TimeoutSeconds} exceeds ${MAX_TASK_TIMEOUT_SECONDS} (about 24.8 days), the most one timer holds`,
          );
        if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
          state.TimeoutSeconds = MAX_TASK_TIMEOUT_SECONDS;
        this.taskStates.set(name, structuredClone(state));
        const wrapper: State = 'Parameters' in state ? { params: state.Parameters } : { 'params.$': '$' };
        if (typeof state.TimeoutSecondsPath === 'string') {
          wrapper['timeout.$'] = state.TimeoutSecondsPath;
          state.TimeoutSecondsPath = '$.timeout';
        }
        state.Parameters = wrapper;
        delete state.HeartbeatSeconds;
        delete state.HeartbeatSecondsPath;
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

function toTaskFailure(error: unknown): TaskFailure {
  if (error instanceof LambdaInvokeError)
    return new TaskFailure(error.name, JSON.stringify(error.toPayload()));
  if (!(error instanceof Error)) return new TaskFailure('Error', String(error));
  const payload = {
    errorType: error.name,
    errorMessage: error.message,
    trace: (error.stack ?? '').split('\n'),
  };
  return new TaskFailure(error.name, JSON.stringify(payload));
}

function replaceDeep(value: Json, search: string, replacement: string): Json {
  if (typeof value === 'string') return value.replaceAll(search, replacement);
  if (Array.isArray(value)) return value.map((v) => replaceDeep(v, search, replacement));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceDeep(v, search, replacement)]),
    );
  return value;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const seconds = (ms: number) => ms / 1000;
