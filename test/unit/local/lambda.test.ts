// Invoking handler files as the Lambda runtime does.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('passes the event and a Lambda context, and returns the result as JSON', async () => {
    const out = (await invoker().invoke('arn:aws:lambda:eu-west-1:000000000000:function:Echo:live', {
      a: 1,
    })) as Record<string, unknown>;
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
    expect(await invoker().invoke('Echo', {})).toMatchObject({ name: 'Echo' });
    expect(await invoker().invoke('echo.mjs', {})).toMatchObject({ name: 'Echo' });
  });

  it('keeps the error name, which Step Functions matches', async () => {
    await expect(invoker().invoke('Fail', {})).rejects.toMatchObject({
      name: 'ConnectorError',
      message: 'down',
    });
  });

  it('names load failures and timeouts as the Lambda runtime does', async () => {
    const lambda = invoker();
    await expect(lambda.invoke('Gone', {})).rejects.toMatchObject({ name: 'Runtime.ImportModuleError' });
    await expect(lambda.invoke('NoHandler', {})).rejects.toMatchObject({ name: 'Runtime.HandlerNotFound' });
    await expect(lambda.invoke('Slow', {})).rejects.toMatchObject({ name: 'Sandbox.Timedout' });
    await expect(lambda.invoke('Unknown', {})).rejects.toBeInstanceOf(LambdaInvokeError);
  });

  it('reads function names out of ARNs', () => {
    expect(functionNameOf('arn:aws:lambda:eu-west-1:000000000000:function:Prepare')).toBe('Prepare');
    expect(functionNameOf('arn:aws:lambda:eu-west-1:000000000000:function:Prepare:$LATEST')).toBe('Prepare');
    expect(functionNameOf('Prepare')).toBe('Prepare');
  });
});
