// The local Step Functions engine on tiny definitions, with an in-memory store and fake Lambdas.
import { afterEach, describe, expect, it } from 'vitest';
import type { AslDefinition } from '../../../local/asl.ts';
import { MemoryExecutionStore } from '../../../local/execution-store.ts';
import { LocalStepFunctions, SfnError } from '../../../local/stepfunctions.ts';

type Handler = (event: Record<string, unknown>) => unknown;
const FN = (name: string) => `arn:aws:lambda:eu-west-1:000000000000:function:${name}`;

const engines: LocalStepFunctions[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.close()));
});

function engine(
  definition: object,
  handlers: Record<string, Handler>,
  options: { store?: MemoryExecutionStore; timerCapMs?: number } = {},
) {
  const calls: { fn: string; event: Record<string, unknown> }[] = [];
  const store = options.store ?? new MemoryExecutionStore();
  const sfn = new LocalStepFunctions({
    stateMachine: { name: 'Test', definition: definition as AslDefinition },
    store,
    log: () => {},
    ...(options.timerCapMs ? { timerCapMs: options.timerCapMs } : {}),
    invoke: async (ref, payload) => {
      const name = ref.split(':').pop() as string;
      const handler = handlers[name];
      if (!handler)
        throw Object.assign(new Error(`no ${name}`), { name: 'Lambda.ResourceNotFoundException' });
      calls.push({ fn: name, event: payload as Record<string, unknown> });
      return handler(payload as Record<string, unknown>);
    },
  });
  engines.push(sfn);
  return { sfn, store, calls };
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

async function start(sfn: LocalStepFunctions, input: object, name = 'run-1') {
  const { executionArn } = await sfn.startExecution({
    stateMachineArn: sfn.stateMachineArn,
    name,
    input: JSON.stringify(input),
  });
  return executionArn;
}

async function tokenOf(calls: { event: Record<string, unknown> }[], index = 0): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const token = calls[index]?.event.taskToken;
    if (typeof token === 'string') return token;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the task was not invoked');
}

describe('Local Step Functions: lambda:invoke', () => {
  it('wraps the handler result in the Lambda invoke envelope', async () => {
    // Prepare
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
    const done = await sfn.waitForExecution(await start(sfn, {}));
    const output = JSON.parse(done.output ?? '');
    expect(attempts).toBe(3);
    expect(output.error.Error).toBe('ConnectorError');
    expect(JSON.parse(output.error.Cause)).toMatchObject({
      errorType: 'ConnectorError',
      errorMessage: 'billing is down',
    });
  });

  it('fails the execution with the error name when nothing catches it', async () => {
    const { sfn } = engine(
      { StartAt: 'Act', States: { Act: { ...invoke('Act'), End: true } } },
      {
        Act: () => {
          throw new ConnectorError('no');
        },
      },
    );
    const done = await sfn.waitForExecution(await start(sfn, {}));
    expect(done).toMatchObject({ status: 'FAILED', error: 'ConnectorError' });
  });

  it('calls the Lambda a Map item names with FunctionName.$', async () => {
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
    const done = await sfn.waitForExecution(await start(sfn, input));
    expect(JSON.parse(done.output ?? '')).toEqual([{ a: 'crm' }, { b: 'billing' }]);
  });
});

describe('Local Step Functions: waitForTaskToken', () => {
  it('hands the handler a fresh token and parks until SendTaskSuccess', async () => {
    const { sfn, calls } = engine(approval(), { Park: () => ({ parked: true }) });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf(calls);
    expect(token).not.toContain('__local');
    expect((await sfn.describeExecution({ executionArn: arn })).status).toBe('RUNNING');

    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const done = await sfn.waitForExecution(arn);
    expect(JSON.parse(done.output ?? '')).toEqual({ requestId: 'r1', decision: { approved: true } });
    // A token is used once.
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('fails the task with the error SendTaskFailure names', async () => {
    const definition = approval({ Catch: [{ ErrorEquals: ['Rejected'], ResultPath: '$.why', Next: 'No' }] });
    (definition.States as Record<string, unknown>).No = { Type: 'Pass', End: true };
    const { sfn, calls } = engine(definition, { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    await sfn.sendTaskFailure({ taskToken: await tokenOf(calls), error: 'Rejected', cause: 'staff said no' });
    const done = await sfn.waitForExecution(arn);
    expect(JSON.parse(done.output ?? '').why).toEqual({ Error: 'Rejected', Cause: 'staff said no' });
  });

  it('completes when the handler itself sends the decision during its invocation', async () => {
    let sfnRef: LocalStepFunctions | undefined;
    const { sfn } = engine(approval(), {
      Park: async (e) => {
        await sfnRef?.sendTaskSuccess({ taskToken: String(e.taskToken), output: '{"approved":false}' });
        return null;
      },
    });
    sfnRef = sfn;
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1' }));
    expect(JSON.parse(done.output ?? '').decision).toEqual({ approved: false });
  });

  it('times out after TimeoutSecondsPath, then answers TaskTimedOut for the token', async () => {
    const definition = approval({
      TimeoutSecondsPath: '$.wait',
      Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'Remind' }],
    });
    (definition.States as Record<string, unknown>).Remind = { Type: 'Pass', Result: 'reminded', End: true };
    const { sfn, calls } = engine(definition, { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1', wait: 1 });
    const token = await tokenOf(calls);
    const done = await sfn.waitForExecution(arn);
    expect(done.output).toBe('"reminded"');
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('fails the execution, past any Catch, when TimeoutSecondsPath gives no positive integer', async () => {
    const definition = approval({
      TimeoutSecondsPath: '$.wait',
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
    });
    (definition.States as Record<string, unknown>).Caught = { Type: 'Pass', End: true };
    const { sfn, calls } = engine(definition, { Park: () => null });
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1', wait: 0 }));
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(calls).toHaveLength(0);
  });

  it('rejects malformed tokens and output as Step Functions does', async () => {
    const { sfn, calls } = engine(approval(), { Park: () => null });
    await start(sfn, { requestId: 'r1' });
    await expect(sfn.sendTaskSuccess({ taskToken: 'garbage', output: '{}' })).rejects.toMatchObject({
      name: 'InvalidToken',
    });
    const token = await tokenOf(calls);
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: 'not json' })).rejects.toMatchObject({
      name: 'InvalidOutput',
    });
    // the task is still parked after a bad call
    await expect(sfn.sendTaskHeartbeat({ taskToken: token })).resolves.toEqual({});
  });

  it('chains timers past the longest setTimeout without repeating the task', async () => {
    // A 2 s timer cap stands in for setTimeout's 24.8 days; the wait outlives two caps.
    const { sfn, calls } = engine(
      approval({ TimeoutSeconds: 10 }),
      { Park: () => null },
      { timerCapMs: 2000 },
    );
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf(calls);
    await new Promise((r) => setTimeout(r, 4500));
    expect((await sfn.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    const done = await sfn.waitForExecution(arn);
    expect(done.status).toBe('SUCCEEDED');
    expect(calls).toHaveLength(1);
    const history = await sfn.getExecutionHistory({ executionArn: arn });
    expect(history.events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(1);
  }, 15_000);
});

describe('Local Step Functions: executions', () => {
  it('treats a reused name as AWS does: same input while running is the same start, anything else is refused', async () => {
    const { sfn, calls } = engine(approval(), { Park: () => null });
    const first = await sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    const same = await sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    expect(same.executionArn).toBe(first.executionArn);
    const other = sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"x"}',
    });
    await expect(other).rejects.toBeInstanceOf(SfnError);
    await expect(other).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });

    await sfn.sendTaskSuccess({ taskToken: await tokenOf(calls), output: '{}' });
    await sfn.waitForExecution(first.executionArn);
    const afterEnd = sfn.startExecution({
      stateMachineArn: sfn.stateMachineArn,
      name: 'r1',
      input: '{"requestId":"r1"}',
    });
    await expect(afterEnd).rejects.toMatchObject({ name: 'ExecutionAlreadyExists' });
  });

  it('refuses invalid names and input, and unknown state machines', async () => {
    const { sfn } = engine(approval(), { Park: () => null });
    const arn = sfn.stateMachineArn;
    await expect(sfn.startExecution({ stateMachineArn: arn, name: 'a b' })).rejects.toMatchObject({
      name: 'InvalidName',
    });
    await expect(sfn.startExecution({ stateMachineArn: arn, input: '{' })).rejects.toMatchObject({
      name: 'InvalidExecutionInput',
    });
    await expect(sfn.startExecution({ stateMachineArn: `${arn}x` })).rejects.toMatchObject({
      name: 'StateMachineDoesNotExist',
    });
    await expect(sfn.describeExecution({ executionArn: `${arn}:nope` })).rejects.toMatchObject({
      name: 'ExecutionDoesNotExist',
    });
  });

  it('records a history with the payloads, the token included', async () => {
    const { sfn, calls } = engine(approval(), { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf(calls);
    await sfn.sendTaskSuccess({ taskToken: token, output: '{"approved":true}' });
    await sfn.waitForExecution(arn);
    const { events } = await sfn.getExecutionHistory({ executionArn: arn });
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
    const reversed = await sfn.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 2 });
    expect(reversed.events.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'TaskStateExited']);
    expect(reversed.nextToken).toBeTruthy();
  });

  it('stops an execution and voids its token', async () => {
    const { sfn, calls } = engine(approval(), { Park: () => null });
    const arn = await start(sfn, { requestId: 'r1' });
    const token = await tokenOf(calls);
    await sfn.stopExecution({ executionArn: arn, error: 'Cancelled', cause: 'test' });
    const done = await sfn.waitForExecution(arn);
    expect(done).toMatchObject({ status: 'ABORTED', error: 'Cancelled' });
    await expect(sfn.sendTaskSuccess({ taskToken: token, output: '{}' })).rejects.toMatchObject({
      name: 'TaskTimedOut',
    });
  });

  it('times the execution out after its TimeoutSeconds', async () => {
    const { sfn } = engine({ ...approval(), TimeoutSeconds: 1 }, { Park: () => null });
    const done = await sfn.waitForExecution(await start(sfn, { requestId: 'r1' }));
    expect(done).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout' });
  });

  it('re-runs a RUNNING execution from the top after a restart, with a new token', async () => {
    // Prepare: an execution parked when the runtime stops.
    const store = new MemoryExecutionStore();
    const before = engine(approval(), { Park: () => null }, { store });
    const arn = await start(before.sfn, { requestId: 'r1' });
    const oldToken = await tokenOf(before.calls);
    await before.sfn.close();
    expect(store.records.get(arn)?.status).toBe('RUNNING');

    // Act
    const after = engine(approval(), { Park: () => null }, { store });
    expect(await after.sfn.start()).toBe(1);

    // Assess
    const newToken = await tokenOf(after.calls);
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
    const definition = {
      StartAt: 'Put',
      States: { Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', End: true } },
    };
    expect(() => engine(definition, {})).toThrow(/not supported by the local runtime/);
  });
});
