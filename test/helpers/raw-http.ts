// A bare HTTP/1.1 client over a socket, for tests that must send what fetch would refuse or rewrite: duplicated
// headers, raw bytes (invalid UTF-8, a BOM), request targets with `..` or encoded slashes left as they are.
import { connect } from 'node:net';

export interface RawRequest {
  method: string;
  /** the request target exactly as sent: path and query, not normalised */
  target: string;
  /** in order, duplicates kept; values as bytes (obs-text) or strings (sent as UTF-8) */
  headers?: [string, string | Buffer][];
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  /** lower-case names, every value */
  headers: Map<string, string[]>;
  body: Buffer;
}

/** Sends one request on its own connection (Connection: close) and reads the whole answer. */
export function rawRequest(baseUrl: string, req: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(baseUrl);
  const head: Buffer[] = [
    Buffer.from(`${req.method} ${req.target} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`),
  ];
  for (const [name, value] of req.headers ?? []) {
    head.push(
      Buffer.from(`${name}: `),
      Buffer.isBuffer(value) ? value : Buffer.from(value),
      Buffer.from('\r\n'),
    );
  }
  if (req.body !== undefined) head.push(Buffer.from(`Content-Length: ${req.body.length}\r\n`));
  head.push(Buffer.from('Connection: close\r\n\r\n'));
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(parseAnswer(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    });
    socket.write(Buffer.concat(head));
    if (req.body?.length) socket.write(req.body);
  });
}

function parseAnswer(raw: Buffer): RawAnswer {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`No HTTP answer: ${raw.subarray(0, 200).toString('latin1')}`);
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const i = line.indexOf(':');
    const name = line.slice(0, i).trim().toLowerCase();
    headers.set(name, [...(headers.get(name) ?? []), line.slice(i + 1).trim()]);
  }
  let body = raw.subarray(end + 4);
  const length = headers.get('content-length')?.[0];
  if (length !== undefined) body = body.subarray(0, Number(length));
  return { status, headers, body };
}
