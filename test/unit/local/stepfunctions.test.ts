// The local Step Functions adapter on tiny definitions, with an in-memory store and fake Lambdas. Waits run on
// vitest's fake clock (setTimeout and Date), so no test sits out real seconds.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AslDefinition } from '../../../local/asl.ts';
import { type ExecutionRecord, MemoryExecutionStore } from '../../../local/execution-store.ts';
import { LocalStepFunctions, MAX_TASK_TIMEOUT_SECONDS, SfnError } from '../../../local/stepfunctions.ts';

type Handler = (event: Record<string, unknown>) => unknown;
const FN = (name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`;

const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
  vi.useRealTimers();
});

/** Fakes the timers the library and the adapter wait on; setImmediate and microtasks stay real. */
const fakeClock = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });

function engine(
  definition: object,
  handlers: Record<string, Handler>,
  options: {
    store?: MemoryExecutionStore;
    timerCapMs?: number;
    onEnd?: (r: ExecutionRecord) => void;
    retryIntervalMs?: number;
  } = {},
) {
  const calls: { fn: string; event: Record<string, unknown> }[] = [];
  const waiting: (() => void)[] = [];
  const store = options.store ?? new MemoryExecutionStore();
  const sfn = new LocalStepFunctions({
    stateMachine: { name: 'Test', definition: definition as AslDefinition },
    store,
    log: () => {},
    ...(options.timerCapMs ? { timerCapMs: options.timerCapMs } : {}),
    ...(options.onEnd ? { onEnd: options.onEnd } : {}),
    ...(options.retryIntervalMs === undefined ? {} : { retryIntervalMs: options.retryIntervalMs }),
    invoke: async (ref, payload) => {
      const name = ref.split(':').pop() as string;
      const handler = handlers[name];
      if (!handler)
        throw Object.assign(new Error(`no ${name}`), { name: 'Lambda.ResourceNotFoundException' });
      calls.push({ fn: name, event: payload as Record<string, unknown> });
      for (const wake of waiting.splice(0)) wake();
      return handler(payload as Record<string, unknown>);
    },
  });
  engines.push(sfn);
  /** The task token the index-th invocation received, once it has been invoked. */
  const tokenOf = async (index = 0): Promise<string> => {
    while (calls.length <= index) await new Promise<void>((wake) => waiting.push(wake));
    const token = calls[index]?.event.taskToken;
    if (typeof token !== 'string') throw new Error('the task was invoked without a token');
    return token;
  };
  return { sfn, store, calls, tokenOf };
}

class ConnectorError extends Error {
  override name = 'ConnectorError';
}

const invoke = (fn: string, extra: object = {}) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Parameters: { FunctionName: FN(fn), 'Payload.$': '$' },
  ...extra,
});

const approval = (extra: object = {}) => ({
  StartAt: 'Await',
  States: {
    Await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: {
        FunctionName: FN('Park'),
        Payload: { 'requestId.$': '$.requestId', 'taskToken.$': '$$.Task.Token' },
      },
      ResultPath: '$.decision',
      End: true,
      ...extra,
    },
  },
});

/** An approval whose timeout is the input's `wait`, behind a Catch that would end the execution well. */
const approvalTimedFromInput = () => {
  const definition = approval({
    TimeoutSecondsPath: '$.wait',
    Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
  });
  (definition.States as Record<string, unknown>).Caught = { Type: 'Pass', End: true };
  return definition;
};

async function start(sfn: LocalStepFunctions, input: object, name = 'run-1') {
  const { executionArn } = await sfn.startExecution({
    stateMachineArn: sfn.stateMachineArn,
    name,
    input: JSON.stringify(input),
  });
  return executionArn;
}

describe('Local Step Functions: lambda:invoke', () => {
  it('wraps the handler result in the Lambda invoke envelope', async () => {
    // Prepare: a task that picks Payload and StatusCode out of the envelope.
    const definition = {
      StartAt: 'Hello',
      States: {
        Hello: {
          ...invoke('Hello'),
          ResultSelector: { 'out.$': '$.Payload', 'code.$': '$.StatusCode' },
          End: true,
        },
      },
    };
    const { sfn, calls } = engine(definition, { Hello: (e) => ({ greeting: `hi ${e.who}` }) });
    // Act
    const arn = await start(sfn, { who: 'an' });
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(calls[0]?.event).toEqual({ who: 'an' });
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')).toEqual({ out: { greeting: 'hi an' }, code: 200 });
  });

  it('keeps the error name of a failed handler for Retry and Catch', async () => {
    // Prepare: a handler that always fails, retried twice and then caught.
    let attempts = 0;
    const definition = {
      StartAt: 'Act',
      States: {
        Act: {
          ...invoke('Act'),
          Retry: [{ ErrorEquals: ['ConnectorError'], IntervalSeconds: 0, MaxAttempts: 2 }],
          Catch: [{ ErrorEquals: ['ConnectorError'], ResultPath: '$.error', Next: 'Failed' }],
          End: true,
        },
        Failed: { Type: 'Pass', End: true },
      },
    };
    const { sfn } = engine(definition, {
      Act: () => {
        attempts++;
        throw new ConnectorError('billing is down');
      },
    });
    // Act
    const done = await sfn.waitForExecution(await start(sfn, {}));
    // Assess
    const output = JSON.parse(done.output ?? '');
    expect(attempts).toBe(3);
    expect(output.error.Error).toBe('ConnectorError');
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: 'ConnectorError',
      errorMessage: 'billing is down',
    });
  });

  it('waits retryIntervalMs between attempts instead of the back-off, keeping the ASL’s attempts and Catch (issue 10)', async () => {
    // Prepare: hour-long back-off inside a Map item as in the request workflow; a handler that always fails
    let attempts = 0;
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: {
            StartAt: 'Act',
            States: {
              Act: {
                ...invoke('Act'),
                Retry: [
                  { ErrorEquals: ['ConnectorError'], IntervalSeconds: 3600, MaxAttempts: 3, BackoffRate: 2 },
                ],
                Catch: [{ ErrorEquals: ['ConnectorError'], ResultPath: '$.error', Next: 'Failed' }],
                End: true,
              },
              Failed: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      },
    };
    const { sfn } = engine(
      definition,
      {
        Act: () => {
          attempts++;
          throw new ConnectorError('billing is down');
        },
      },
      { retryIntervalMs: 1 },
    );
    // Act: with real timers, the ASL's waits alone would take seven hours
    const done = await sfn.waitForExecution(await start(sfn, { items: [{ system: 'billing' }] }));
    // Assess: the first try and MaxAttempts retries, then the Catch, as the ASL says
    expect(attempts).toBe(4);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output ?? '')[0].error.Error).toBe('ConnectorError');
  });

  it('fails the execution with the error name when nothing catches it', async () => {
    // Prepare
    const { sfn } = engine(
      { StartAt: 'Act', States: { Act: { ...invoke('Act'), End: true } } },
      {
        Act: () => {
          throw new ConnectorError('no');
        },
      },
    );
    // Act
    const done = await sfn.waitForExecution(await start(sfn, {}));
    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'ConnectorError' });
  });

  it('tells of every end of an execution, as EventBridge is told on AWS, so a failed request is flagged (P9)', async () => {
    // Prepare: one execution that fails and one that succeeds
    const ended: ExecutionRecord[] = [];
    const { sfn } = engine(
      { StartAt: 'Act', States: { Act: { ...invoke('Act'), End: true } } },
      {
        Act: (event) => {
          if (event.fail) throw new ConnectorError('no');
          return {};
        },
      },
      { onEnd: (r) => ended.push(r) },
    );
    // Act
    await sfn.waitForExecution(await start(sfn, { requestId: 'r_1', fail: true }, 'r_1'));
    await sfn.waitForExecution(await start(sfn, { requestId: 'r_2' }, 'r_2'));
    // Assess: both ends, with status, name and input
    expect(ended.map((r) => [r.name, r.status, JSON.parse(r.input).requestId])).toEqual([
      ['r_1', 'FAILED', 'r_1'],
      ['r_2', 'SUCCEEDED', 'r_2'],
    ]);
  });

  it('calls the Lambda a Map item names with FunctionName.$', async () => {
    // Prepare: a Map whose items name the function to call.
    const definition = {
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.systems',
          ItemSelector: { 'system.$': '$$.Map.Item.Value.system', 'fn.$': '$$.Map.Item.Value.fn' },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Locate',
            States: {
              Locate: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Parameters: { 'FunctionName.$': '$.fn', Payload: { 'system.$': '$.system' } },
                OutputPath: '$.Payload',
                End: true,
              },
            },
          },
          End: true,
        },
      },
    };
    const { sfn } = engine(definition, { A: (e) => ({ a: e.system }), B: (e) => ({ b: e.system }) });
    const input = {
      systems: [
        { system: 'crm', fn: FN('A') },
        { system: 'billing', fn: FN('B') },
      ],
    };
    // Act
    const done = await sfn.waitForExecution(await start(sfn, input));
    // Assess
    expect(JSON.parse(done.output ?? '')).toEqual([{ a: 'crm' }, { b: 'billing' }]);
  });
});

describe('Local Step Functions: waitForTaskToken', () => {
  it('hands the handler a fresh token and parks until SendTaskSuccess', async () => {
    // Prepare: an execution parked on its token.
    const { sfn, tokenOf } = engine(approval(), { Park: () => ({ parked: true }) });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf();
    expect(token).not.toContain('__local');
    expect((await sfn.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    // Act
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const done = await sfn.waitForExecution(arn);
    // Assess: the decision is the task's result, and a token is used once.
    expect(JSON.parse(done.output ?? '')).toEqual({ requestId: 'r1', decision: { approved: true } });
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('fails the task with the error SendTaskFailure names', async () => {
    // Prepare: a parked task whose Catch takes the failure.
    const definition = approval({ Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.why', Next: 'No' }] });
    (definition.States as Record<string, unknown>).No = { Type: 'Pass', End: true };
    const { sfn, tokenOf } = engine(definition, { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    // Act
    await sfn.sendTaskFailure({ taskToken: await tokenOf(), error: 'Rejected', cause: 'staff said no' });
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(JSON.parse(done.output ?? '').why).toEqual({ Error: 'Rejected', Cause: 'staff said no' });
  });

  it('completes when the handler itself sends the decision during its invocation', async () => {
    // Prepare: a handler that finds the decision already made and sends it at once.
    let sfnRef: LocalStepFunctions | undefined;
    const { sfn } = engine(approval(), {
      Park: async (e) => {
        await sfnRef?.sendTaskSuccess({ taskToken: String(e.taskToken), output: '{"approved":false}' });
        return null;
      },
    });
    sfnRef = sfn;
    // Act
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1' }));
    // Assess
    expect(JSON.parse(done.output ?? '').decision).toEqual({ approved: false });
  });

  it('times out after TimeoutSecondsPath, then answers TaskTimedOut for the token', async () => {
    // Prepare: a wait of one second whose timeout is caught, on the fake clock.
    fakeClock();
    const definition = approval({
      TimeoutSecondsPath: '$.wait',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Remind' }],
    });
    (definition.States as Record<string, unknown>).Remind = { Type: 'Pass', Result: 'reminded', End: true };
    const { sfn, tokenOf } = engine(definition, { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1', wait: 1 });
    const token = await tokenOf();
    // Act
    await vi.advanceTimersByTimeAsync(1000);
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(done.output).toBe('"reminded"');
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    const { events } = await sfn.getExecutionHistory({ executionArn: arn });
    expect(events.map((e) => e.type)).toContain('TaskTimedOut');
  });

  it('fails the execution, past any Catch, when TimeoutSecondsPath gives no positive integer', async () => {
    // Prepare
    const { sfn, calls } = engine(approvalTimedFromInput(), { Park: () => null });
    // Act
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1', wait: 0 }));
    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(calls).toHaveLength(0);
  });

  it('fails the execution, past any Catch, when TimeoutSecondsPath gives more than one timer holds', async () => {
    // Prepare: a wait one second longer than setTimeout's 2^31-1 ms.
    const { sfn, calls } = engine(approvalTimedFromInput(), { Park: () => null });
    // Act
    const input = { requestId: 'r1', wait: MAX_TASK_TIMEOUT_SECONDS + 1 };
    const done = await sfn.waitForExecution(await start(sfn, input));
    // Assess
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(done.cause).toContain(String(MAX_TASK_TIMEOUT_SECONDS));
    expect(calls).toHaveLength(0);
  });

  it('lets a task without a timeout wait past the library default of 60 s, as AWS sets none', async () => {
    // Prepare: a parked task with neither TimeoutSeconds nor TimeoutSecondsPath, on the fake clock.
    fakeClock();
    const { sfn, tokenOf } = engine(approval(), { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf();
    // Act
    await vi.advanceTimersByTimeAsync(24 * 3600 * 1000);
    const running = (await sfn.describeExecution({ executionArn: arn })).status;
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    // Assess
    expect(running).toBe('RUNNING');
    expect((await sfn.waitForExecution(arn)).status).toBe('SUCCEEDED');
  });

  it('rejects malformed tokens and output as Step Functions does', async () => {
    // Prepare
    const { sfn, tokenOf } = engine(approval(), { Park: () => null });
    await start(sfn, { requestId: 'r1' });
    // Act: a token that was never issued
    const garbage = sfn.sendTaskSuccess({ taskToken: 'garbage', output: '{}' });
    // Assess
    await expect(garbage).rejects.toMatchObject({ name: 'InvalidToken' });
    // Act: a real token with output that is not JSON
    const token = await tokenOf();
    const notJson = sfn.sendTaskSuccess({ taskToken: token, output: 'not json' });
    // Assess: the call is refused, and the task is still parked after it.
    await expect(notJson).rejects.toMatchObject({ name: 'InvalidOutput' });
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).resolves.toEqual({});
  });
});

describe('Local Step Functions: executions', () => {
  it('treats a reused name as AWS does: same input while running is the same start, anything else is refused', async () => {
    // Prepare
    const { sfn, tokenOf } = engine(approval(), { Park: () => null });
    const first = await sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    // Act
    const same = await sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    const other = sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"x"}',
    });
    // Assess
    expect(same.executionArn).toBe(first.executionArn);
    await expect(other).rejects.toBeInstanceOf(SfnError);
    await expect(other).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    // Act: the same start once the execution has ended.
    await sfn.sendTaskSuccess({ taskToken: await tokenOf(), output: '{}' });
    await sfn.waitForExecution(first.executionArn);
    const afterEnd = sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    // Assess
    await expect(afterEnd).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses invalid names and input, and unknown state machines', async () => {
    // Prepare
    const { sfn } = engine(approval(), { Park: () => null });
    const arn = sfn.stateMachineArn;
    // Act
    const badName = sfn.startExecution({ stateMachineArn: arn, name: 'a b' });
    // Assess
    await expect(badName).rejects.toMatchObject({ name: 'InvalidName' });
    // Act
    const badInput = sfn.startExecution({ stateMachineArn: arn, input: '{' });
    // Assess
    await expect(badInput).rejects.toMatchObject({ name: 'InvalidExecutionInput' });
    // Act
    const unknownMachine = sfn.startExecution({ stateMachineArn: `${arn}x` });
    // Assess
    await expect(unknownMachine).rejects.toMatchObject({ name: 'StateMachineDoesNotExist' });
    // Act
    const unknownExecution = sfn.describeExecution({ executionArn: `${arn}:nope` });
    // Assess
    await expect(unknownExecution).rejects.toMatchObject({ name: 'ExecutionDoesNotExist' });
  });

  it('writes the events that arrive during a write together, in order, in fewer store calls (issue 12)', async () => {
    // Prepare: a store whose writes take a few turns of the event loop, counting its calls.
    class CountingStore extends MemoryExecutionStore {
      writes = 0;
      private batching = false;
      override async appendEvent(arn: string, event: Parameters<MemoryExecutionStore['appendEvent']>[1]) {
        if (!this.batching) this.writes += 1;
        await super.appendEvent(arn, event);
      }
      override async appendEvents(arn: string, events: Parameters<MemoryExecutionStore['appendEvents']>[1]) {
        this.writes += 1;
        await new Promise((r) => setImmediate(r));
        this.batching = true;
        for (const event of events) await super.appendEvent(arn, event);
        this.batching = false;
      }
    }
    const store = new CountingStore();
    const { sfn } = engine(
      { StartAt: 'One', States: { One: invoke('One', { End: true }) } },
      { One: () => 1 },
      { store },
    );
    // Act
    const arn = await start(sfn, { requestId: 'r1' });
    await sfn.waitForExecution(arn);
    const { events } = await sfn.getExecutionHistory({ executionArn: arn });
    // Assess
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect(store.writes).toBeLessThan(events.length);
  });

  it('records a history with the payloads, the token included', async () => {
    // Prepare: an execution parked, then approved.
    const { sfn, tokenOf } = engine(approval(), { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf();
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    await sfn.waitForExecution(arn);
    // Act
    const { events } = await sfn.getExecutionHistory({ executionArn: arn });
    const reversed = await sfn.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 2 });
    // Assess
    expect(events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(events.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(JSON.stringify(events)).toContain(token);
    expect(reversed.events.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'TaskStateExited']);
    expect(reversed.nextToken).toBeTruthy();
  });

  it('stops an execution and voids its token', async () => {
    // Prepare
    const { sfn, tokenOf } = engine(approval(), { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf();
    // Act
    await sfn.stopExecution({ executionArn: arn, error: 'Cancelled', cause: 'test' });
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('times the execution out after its TimeoutSeconds', async () => {
    // Prepare: an execution of one second, parked, on the fake clock.
    fakeClock();
    const { sfn, tokenOf } = engine({ ...approval(), TimeoutSeconds: 1 }, { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    await tokenOf();
    // Act
    await vi.advanceTimersByTimeAsync(1000);
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('keeps the execution timeout on chained timers past the longest setTimeout, without repeating the task', async () => {
    // Prepare: a 2 s timer cap stands in for setTimeout's 24.8 days; the execution may run 10 s.
    fakeClock();
    const { sfn, calls, tokenOf } = engine(
      { ...approval({ TimeoutSeconds: 10 }), TimeoutSeconds: 10 },
      { Park: () => null },
      { timerCapMs: 2000 },
    );
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf();
    // Act: the wait outlives two caps before the decision comes.
    await vi.advanceTimersByTimeAsync(4500);
    const status = (await sfn.describeExecution({ executionArn: arn })).status;
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(status).toBe('RUNNING');
    expect(done.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(1);
    const history = await sfn.getExecutionHistory({ executionArn: arn });
    expect(history.events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(1);
  });

  it('times the execution out at its deadline, not at the end of the first chained timer', async () => {
    // Prepare: a 10 s execution with a 2 s timer cap, on the fake clock.
    fakeClock();
    const { sfn, tokenOf } = engine(
      { ...approval(), TimeoutSeconds: 10 },
      { Park: () => null },
      { timerCapMs: 2000 },
    );
    const arn = await start(sfn, { requestId: 'r1' });
    await tokenOf();
    // Act
    await vi.advanceTimersByTimeAsync(9999);
    const before = (await sfn.describeExecution({ executionArn: arn })).status;
    await vi.advanceTimersByTimeAsync(1);
    const done = await sfn.waitForExecution(arn);
    // Assess
    expect(before).toBe('RUNNING');
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('re-runs a RUNNING execution from the top after a restart, with a new token', async () => {
    // Prepare: an execution parked when the runtime stops.
    const store = new MemoryExecutionStore();
    const before = engine(approval(), { Park: () => null }, { store });
    const arn = await start(before.sfn, { requestId: 'r1' });
    const oldToken = await before.tokenOf();
    await before.sfn.close();
    expect(store.records.get(arn)?.status).toBe('RUNNING');

    // Act
    const after = engine(approval(), { Park: () => null }, { store });
    expect(await after.sfn.start()).toBe(1);

    // Assess
    const newToken = await after.tokenOf();
    expect(newToken).not.toBe(oldToken);
    await expect(after.sfn.sendTaskSuccess({ taskToken: oldToken, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
    await after.sfn.sendTaskSuccess({ taskToken: newToken, output: '{"approved":true}' });
    const done = await after.sfn.waitForExecution(arn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', runs: 2 });
    const ids = (await after.sfn.getExecutionHistory({ executionArn: arn })).events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('refuses a definition with a resource it cannot run locally', () => {
    // Prepare
    const definition = {
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } },
    };
    // Act
    const load = () => engine(definition, {});
    // Assess
    expect(load).toThrow(/not supported by the local runtime/);
  });

  it('refuses at load a task whose TimeoutSeconds is longer than one setTimeout holds', () => {
    // Prepare: one second beyond 2^31-1 ms.
    const definition = approval({ TimeoutSeconds: MAX_TASK_TIMEOUT_SECONDS + 1 });
    // Act
    const load = () => engine(definition, { Park: () => null });
    // Assess
    expect(load).toThrow(/Await: TimeoutSeconds \d+ exceeds \d+ \(about 24\.8 days\)/);
  });
});

/** statemachines/request.asl.json with every `${...}` function placeholder named as a fake Lambda. */
const requestMachine = () =>
  JSON.parse(
    readFileSync(new URL('../../../statemachines/request.asl.json', import.meta.url), 'utf8').replace(
      /\$\{(\w+)\}/g,
      (_m, name: string) => FN(name),
    ),
  );

/**
 * Fake tasks and connectors for one request whose systems `operation` acts on; `agrees` is the recheck's verdict.
 * A connector answers through its task token, as functions/connectors/task-token.ts does.
 */
function requestTasks(
  operation: 'erase' | 'export',
  agrees = true,
): { handlers: Record<string, Handler>; answerWith: (sfn: LocalStepFunctions) => void } {
  let sfnRef: LocalStepFunctions | undefined;
  const connector: Handler = async (e) => {
    const result = {
      system: e.system,
      operation: e.operation,
      ...(e.operation === 'locate' || e.operation === 'recheck'
        ? { located: { found: false, records: 0, categories: [] } }
        : {}),
      outcomes: [{ kind: 'not_found' }],
    };
    await sfnRef?.sendTaskSuccess({ taskToken: String(e.taskToken), output: JSON.stringify(result) });
    return null;
  };
  const done = () => ({});
  const handlers: Record<string, Handler> = {
    // Prepare lists the connectors (functions/workflow/prepare.ts), as the stack's CONNECTORS variable names them.
    PrepareFunction: (e) => ({
      ...e,
      operation,
      needsApproval: false,
      closed: false,
      connectors: ['billing', 'crm', 'support', 'marketing'].map((system) => ({
        system,
        functionName: FN(`${system.charAt(0).toUpperCase()}${system.slice(1)}Connector`),
        timeoutSeconds: 960,
      })),
    }),
    BillingConnector: connector,
    CrmConnector: connector,
    SupportConnector: connector,
    MarketingConnector: connector,
    RecordResultsFunction: () => ({ allDone: true, identityCheck: false, approval: { waitSeconds: 60 } }),
    RecordRecheckFunction: () => ({ allDone: agrees }),
    NotifyRecipientsFunction: done,
    AssembleFunction: done,
    TellSubjectFunction: done,
    CloseFunction: (e) => ({ requestId: e.requestId, status: 'closed' }),
  };
  return { handlers, answerWith: (sfn) => (sfnRef = sfn) };
}

/** The request workflow over the fake tasks, its connectors answering through the engine's tokens. */
function requestEngine(operation: 'erase' | 'export', agrees = true) {
  const { handlers, answerWith } = requestTasks(operation, agrees);
  const run = engine(requestMachine(), handlers);
  answerWith(run.sfn);
  return run;
}

describe('Local Step Functions: the request workflow (statemachines/request.asl.json)', () => {
  it('looks at every system again after an erasure, before anyone is told (P3)', async () => {
    // Prepare: the request workflow over fake tasks, for an erasure that needs no approval
    const { sfn, calls } = requestEngine('erase');
    // Act
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1', attempt: 1 }));
    // Assess: every connector erased, then rechecked; RecordRecheck had the four looks; then tell and close
    expect(done.status).toBe('SUCCEEDED');
    const order = calls.map((c) => (c.event.operation ? `${c.event.operation}:${c.event.system}` : c.fn));
    const rechecks = order.filter((o) => o.startsWith('recheck:')).sort();
    expect(rechecks).toEqual(['recheck:billing', 'recheck:crm', 'recheck:marketing', 'recheck:support']);
    expect(order.findLastIndex((o) => o.startsWith('erase:'))).toBeLessThan(order.indexOf(rechecks[0]!));
    const recorded = calls.find((c) => c.fn === 'RecordRecheckFunction')?.event;
    expect(recorded).toMatchObject({ requestId: 'r1', attempt: 1 });
    expect(((recorded?.results ?? []) as { operation: string }[]).map((r) => r.operation)).toEqual(
      Array(4).fill('recheck'),
    );
    expect(order.indexOf('RecordRecheckFunction')).toBeLessThan(order.indexOf('TellSubjectFunction'));
    // Recipients told (Art. 19); no package to assemble for an erasure.
    expect(order).toContain('NotifyRecipientsFunction');
    expect(order).not.toContain('AssembleFunction');
  });

  it('closes without telling the subject when the look after an erasure disagrees (P3)', async () => {
    // Prepare: an erasure whose recheck finds what should be gone
    const { sfn, calls } = requestEngine('erase', false);
    // Act
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1', attempt: 1 }));
    // Assess: closed, never told, no recipients notified
    expect(done.status).toBe('SUCCEEDED');
    const fns = calls.map((c) => c.fn);
    expect(fns).toContain('CloseFunction');
    expect(fns).not.toContain('TellSubjectFunction');
    expect(fns).not.toContain('NotifyRecipientsFunction');
  });

  it('makes no second look for a request that erases nothing, such as an access request, and assembles its package (P1)', async () => {
    // Prepare: an export
    const { sfn, calls } = requestEngine('export');
    // Act
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1', attempt: 1 }));
    // Assess
    expect(done.status).toBe('SUCCEEDED');
    expect(calls.some((c) => c.event.operation === 'recheck' || c.fn === 'RecordRecheckFunction')).toBe(
      false,
    );
    // Assembled, then told; an export has no recipients to tell.
    const fns = calls.map((c) => c.fn);
    expect(fns.indexOf('AssembleFunction')).toBeGreaterThan(-1);
    expect(fns.indexOf('AssembleFunction')).toBeLessThan(fns.indexOf('TellSubjectFunction'));
    expect(fns).not.toContain('NotifyRecipientsFunction');
  });
});
