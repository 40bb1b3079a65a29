// Invoking handler files as the Lambda runtime does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createInvoker, functionNameOf, LambdaInvokeError } from '../../../local/lambda.ts';

let dir: string;
const fn = (name: string, entry: string, timeoutSeconds = 5) => ({
  name,
  entry,
  timeoutSeconds,
  memoryMb: 256,
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsm-lambda-'));
  writeFileSync(
    join(dir, 'echo.mjs'),
    `export const handler = async (event, context) => ({
       event, at: new Date(0), name: context.functionName, arn: context.invokedFunctionArn,
       memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis(), id: context.awsRequestId });`,
  );
  writeFileSync(
    join(dir, 'fail.mjs'),
    'class ConnectorError extends Error { name = "ConnectorError"; }\nexport const handler = async () => { throw new ConnectorError("down"); };',
  );
  writeFileSync(
    join(dir, 'slow.mjs'),
    'export const handler = () => new Promise((r) => setTimeout(r, 5000));',
  );
  writeFileSync(join(dir, 'nohandler.mjs'), 'export const other = 1;');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invoker = () =>
  createInvoker({
    root: dir,
    region: 'eu-west-1',
    accountId: '000000000000',
    logError: () => {},
    functions: [
      fn('Echo', 'echo.mjs'),
      fn('Fail', 'fail.mjs'),
      fn('Slow', 'slow.mjs', 1),
      fn('NoHandler', 'nohandler.mjs'),
      fn('Gone', 'gone.mjs'),
    ],
  });

describe('Local Lambda', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('passes the event and a Lambda context, and returns the result as JSON', async () => {
    // Prepare: the Echo function, called through its ARN with an alias.
    const lambda = invoker();
    // Act
    const out = (await lambda.invoke('arn:aws:lambda:eu-west-1:000000000000:function:Echo:live', {
      a: 1,
    })) as Record<string, unknown>;
    // Assess
    expect(out).toMatchObject({
      event: { a: 1 },
      at: '1970-01-01T00:00:00.000Z',
      name: 'Echo',
      arn: 'arn:aws:lambda:eu-west-1:000000000000:function:Echo',
      memory: '256',
    });
    expect(out.remaining).toBeGreaterThan(4000);
    expect(out.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('finds a function by name or by entry file', async () => {
    // Prepare
    const lambda = invoker();
    // Act
    const byName = await lambda.invoke('Echo', {});
    const byEntry = await lambda.invoke('echo.mjs', {});
    // Assess
    expect(byName).toMatchObject({ name: 'Echo' });
    expect(byEntry).toMatchObject({ name: 'Echo' });
  });

  it('keeps the error name, which Step Functions matches', async () => {
    // Prepare
    const lambda = invoker();
    // Act
    const failed = lambda.invoke('Fail', {});
    // Assess
    await expect(failed).rejects.toMatchObject({
      name: 'ConnectorError',
      message: 'down',
    });
  });

  it('names load failures and timeouts as the Lambda runtime does', async () => {
    // Prepare: the fake clock, so the 1 s timeout of Slow passes at once.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const lambda = invoker();
    // Act
    const gone = lambda.invoke('Gone', {});
    // Assess
    await expect(gone).rejects.toMatchObject({ name: 'Runtime.ImportModuleError' });
    // Act
    const noHandler = lambda.invoke('NoHandler', {});
    // Assess
    await expect(noHandler).rejects.toMatchObject({ name: 'Runtime.HandlerNotFound' });
    // Act: the timeout is armed once the module has loaded.
    const slow = lambda.invoke('Slow', {});
    const settled = slow.catch((error: unknown) => error);
    while (vi.getTimerCount() === 0) await new Promise((loaded) => setImmediate(loaded));
    await vi.advanceTimersByTimeAsync(1000);
    await settled;
    // Assess
    await expect(slow).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    // Act
    const unknown = lambda.invoke('Unknown', {});
    // Assess
    await expect(unknown).rejects.toBeInstanceOf(LambdaInvokeError);
  });

  it('reads function names out of ARNs', () => {
    // Prepare
    const arn = 'arn:aws:lambda:eu-west-1:000000000000:function:Prepare';
    // Act
    const names = [functionNameOf(arn), functionNameOf(`${arn}:$LATEST`), functionNameOf('Prepare')];
    // Assess
    expect(names[0]).toBe('Prepare');
    expect(names[1]).toBe('Prepare');
    expect(names[2]).toBe('Prepare');
  });
});
