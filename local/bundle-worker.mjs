// One Lambda "container" of `npm start -- --bundles` (local/bundles.ts): loads a bundle from cdk.out once, as the
// Node.js runtime loads index.mjs, and runs its handler for each event the runtime posts. Plain JavaScript: the
// bundle runs on Node alone, with no TypeScript loader, as on AWS.
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const loading = import(pathToFileURL(workerData.bundle).href).then((module) => {
  if (typeof module.handler !== 'function') {
    const error = new Error(`${workerData.bundle}.handler is undefined or not exported`);
    error.name = 'Runtime.HandlerNotFound';
    throw error;
  }
  return module.handler;
});
loading.catch(() => {});

// A failing handler must not take the container down unnoticed: Lambda logs it and the invocation fails.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`[container] unhandled rejection: ${reason?.stack ?? String(reason)}\n`);
});

const serialize = (error) => ({
  name: error?.name || 'Error',
  message: error?.message ?? String(error),
  stack: error?.stack,
});

parentPort.on('message', async ({ id, event, context }) => {
  let handler;
  try {
    handler = await loading;
  } catch (error) {
    const e = serialize(error);
    const name = e.name === 'Runtime.HandlerNotFound' ? e.name : 'Runtime.ImportModuleError';
    parentPort.postMessage({ id, ok: false, error: { ...e, name, message: `Error: ${e.message}` } });
    return;
  }
  const unsupported = () => {
    throw new Error('Callback-style completion (done/succeed/fail) is not supported; return a promise');
  };
  const lambdaContext = {
    ...context,
    getRemainingTimeInMillis: () => Math.max(0, context.deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
  try {
    const result = await handler(event, lambdaContext);
    parentPort.postMessage({ id, ok: true, result: JSON.stringify(result ?? null) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: serialize(error) });
  }
});
