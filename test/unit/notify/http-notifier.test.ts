// The HTTP notifier: JSON with an Idempotency-Key; only 2xx with {"acknowledged":true} acknowledges (P13).
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpNotifier } from '../../../functions/aws/http-notifier.ts';
import type { NoticeBody } from '../../../functions/core/notifications.ts';

let server: Server;
let base: string;
const seen: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const answers: Record<string, [number, string]> = {
        '/ack': [200, '{"acknowledged":true}'],
        '/received-only': [200, '{"received":true}'],
        '/down': [503, 'busy'],
        '/not-json': [200, 'ok'],
      };
      if (req.url === '/slow') return; // never answers
      const [status, text] = answers[req.url ?? ''] ?? [404, ''];
      res.writeHead(status, { 'content-type': 'application/json' }).end(text);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const body = { noticeId: 'r_1:invoicing', recipient: 'invoicing' } as NoticeBody;

describe('Adapter: HTTP notifier (P13)', () => {
  it('posts the notice as JSON with its Idempotency-Key and counts {"acknowledged":true} as acknowledged', async () => {
    // Prepare: /ack answers 200 {"acknowledged":true}
    const notifier = httpNotifier();
    // Act
    const result = await notifier.send(`${base}/ack`, 'r_1:invoicing', body);
    // Assess
    expect(result).toEqual({ acknowledged: true });
    const req = seen.find((s) => s.path === '/ack');
    expect(req?.headers['idempotency-key']).toBe('r_1:invoicing');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual(body);
  });

  it.each([
    ['a 2xx without acknowledged:true', '/received-only', 'NotAcknowledged'],
    ['a 2xx that is not JSON', '/not-json', 'NotAcknowledged'],
    ['an error status', '/down', 'HTTP503'],
  ])('does not count %s as an acknowledgement', async (_what, path, error) => {
    // Prepare
    const notifier = httpNotifier();
    // Act
    const result = await notifier.send(`${base}${path}`, 'k', body);
    // Assess
    expect(result).toEqual({ acknowledged: false, error });
  });

  it('names a refused connection and a timeout, never a message', async () => {
    // Prepare: a port nobody listens on any more, and /slow, which never answers
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    // Act (the timeout is the adapter's AbortSignal.timeout on a real socket, which fake timers cannot drive)
    const refused = await httpNotifier().send(`http://127.0.0.1:${port}/x`, 'k', body);
    const slow = await httpNotifier({ timeoutMs: 200 }).send(`${base}/slow`, 'k', body);
    // Assess
    expect(refused).toEqual({
      acknowledged: false,
      error: 'ECONNREFUSED',
    });
    expect(slow).toEqual({
      acknowledged: false,
      error: 'TimeoutError',
    });
  });
});
