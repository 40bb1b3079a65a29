// The recipients and processors of the register (functions/core/registers/recipients.json) as real HTTP endpoints
// of the embedded runtime (P13): one small server, a path per recipient id. Each records what it received once
// per Idempotency-Key (a repeat is answered alike and not recorded again) and acknowledges with
// `{"acknowledged":true}`. A recipient can be switched to `down` (answers 503, records nothing) or `ignore`
// (records, but does not acknowledge) to try the unacknowledged path.
//
//   POST /<id>/notices    a notice (JSON, Idempotency-Key header)
//   GET  /<id>/received   what <id> recorded, oldest first
//   POST /<id>/mode       {"mode":"acknowledge"|"ignore"|"down"}
//   GET  /                every recipient with its mode and count
//
// What was received is kept in <dir>/received.jsonl, so a restart still ignores repeats. Logs name the recipient
// and the key (ids only), never the body.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

export const RECIPIENT_MODES = ['acknowledge', 'ignore', 'down'] as const;
export type RecipientMode = (typeof RECIPIENT_MODES)[number];

/** One notice as a local recipient recorded it. */
export interface ReceivedNotice {
  idempotencyKey: string;
  receivedAt: string;
  body: unknown;
}

export interface RecipientsServerOptions {
  /** recipient ids (the register's), each served under /<id>/ */
  ids: string[];
  /** where received notices are kept across restarts; in memory only when absent */
  dir?: string;
  /** recipients that start `down` (e.g. from RECIPIENTS_UNRESPONSIVE) */
  down?: string[];
  log?: (line: string) => void;
}

export interface RecipientsServer {
  server: Server;
  received(id: string): ReceivedNotice[];
  setMode(id: string, mode: RecipientMode): void;
}

const MAX_BODY = 256 * 1024;

/** Creates (does not start) the recipients server. */
export function createRecipientsServer(options: RecipientsServerOptions): RecipientsServer {
  const log = options.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const modes = new Map<string, RecipientMode>(options.ids.map((id) => [id, 'acknowledge']));
  for (const id of options.down ?? []) if (modes.has(id)) modes.set(id, 'down');
  const received = new Map<string, ReceivedNotice[]>(options.ids.map((id) => [id, []]));
  const file = options.dir ? join(options.dir, 'received.jsonl') : undefined;
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  if (file && existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const { recipientId, ...notice } = JSON.parse(line) as ReceivedNotice & { recipientId: string };
      received.get(recipientId)?.push(notice);
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) reply(res, 500, { error: 'internal' });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const method = req.method ?? 'GET';
    if (url.pathname === '/' && method === 'GET') {
      return reply(res, 200, {
        recipients: options.ids.map((id) => ({
          id,
          mode: modes.get(id),
          received: received.get(id)?.length ?? 0,
        })),
      });
    }
    const [, id, action] = /^\/([a-z][a-z0-9-]*)\/(notices|received|mode)$/.exec(url.pathname) ?? [];
    if (!id || !action || !modes.has(id)) return reply(res, 404, { error: 'no such recipient' });
    const list = received.get(id) as ReceivedNotice[];

    if (action === 'received' && method === 'GET') return reply(res, 200, list);
    if (action === 'mode' && method === 'POST') {
      const mode = (parse(await readBody(req)) as { mode?: RecipientMode } | undefined)?.mode;
      if (!mode || !RECIPIENT_MODES.includes(mode)) return reply(res, 400, { error: 'mode?' });
      modes.set(id, mode);
      log(`[recipients] ${id} is now ${mode}`);
      return reply(res, 200, { id, mode });
    }
    if (action !== 'notices' || method !== 'POST') return reply(res, 405, { error: 'method not allowed' });

    const mode = modes.get(id);
    const text = await readBody(req);
    if (mode === 'down') {
      log(`[recipients] ${id} is down: 503`);
      return reply(res, 503, { error: 'unavailable' });
    }
    const key = req.headers['idempotency-key'];
    const body = parse(text);
    if (typeof key !== 'string' || !key || body === undefined)
      return reply(res, 400, { error: 'a JSON notice with an Idempotency-Key header' });
    const repeat = list.some((n) => n.idempotencyKey === key);
    if (!repeat) {
      const notice = { idempotencyKey: key, receivedAt: new Date().toISOString(), body };
      list.push(notice);
      if (file) appendFileSync(file, `${JSON.stringify({ recipientId: id, ...notice })}\n`);
    }
    log(`[recipients] ${id} received ${key}${repeat ? ' again (ignored)' : ''}`);
    return mode === 'ignore'
      ? reply(res, 202, { acknowledged: false })
      : reply(res, 200, { acknowledged: true, noticeId: key });
  }

  return {
    server,
    received: (id) => [...(received.get(id) ?? [])],
    setMode: (id, mode) => {
      if (!modes.has(id)) throw new Error(`No recipient ${id}`);
      modes.set(id, mode);
    },
  };
}

function parse(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}
