// Local SES v2: aws-ses-v2-local (inbox viewer at /, mails as JSON at GET /store), plus what the runtime adds:
// - the inbox survives a restart (kept in the data directory);
// - SES's mailbox simulator: mail to bounce@ / complaint@ / suppressionlist@simulator.amazonses.com is accepted
//   and then produces the Bounce or Complaint event SES would publish, in EventBridge's shape, listed at
//   GET /events and handed to `onEvent` (where a bounce handler can be wired like an EventBridge rule target);
// - POST /events/replay `{"id"}` hands a listed event to `onEvent` again, as SNS may deliver a message twice.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  headers?: { name: string; value: string }[];
  at: number;
  [other: string]: unknown;
}

/** A SES event as EventBridge delivers it (detail-type "Email Bounced" / "Email Complaint Received"). */
export interface SesEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: 'aws.ses';
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

export interface LocalSesOptions {
  port: number;
  host: string;
  /** where the inbox and the events are kept; undefined keeps them in memory */
  dir?: string;
  region: string;
  accountId: string;
  configurationSet?: string;
  onEvent?: (event: SesEvent) => void | Promise<void>;
  /** told of every mail sent, after it is kept (local/task-owners.ts answers task mails) */
  onMail?: (mail: SentMail) => Promise<void>;
}

/** A mail as the `onMail` hook is told of it. */
export interface SentMail {
  messageId: string;
  destination: { to: string[] };
  subject: string;
  text?: string;
}

export interface LocalSes {
  server: Server;
  port: number;
  events(): SesEvent[];
  /** every mail kept, the ones of earlier runs on this data directory too */
  mails(): SentMail[];
  close(): Promise<void>;
}

const sent = (mail: StoredEmail): SentMail => ({
  ...mail,
  text: (mail.body as { text?: string } | undefined)?.text,
});

const SIMULATOR = /^(bounce|complaint|suppressionlist)(\+[^@]*)?@simulator\.amazonses\.com$/i;

/** Starts the local SES on the given port (0: any free port). */
export async function startSes(options: LocalSesOptions): Promise<LocalSes> {
  // CommonJS: required, so the store below is the very module instance the server uses.
  const { default: startServer } = require('aws-ses-v2-local') as {
    default: (config: { port: number; host: string }) => Promise<Server>;
  };
  const store = require('aws-ses-v2-local/dist/store.js') as {
    getStoreReadonly(): { emails: StoredEmail[] };
    clearStore(): void;
  };
  // Append-only JSON lines: a benchmark sends thousands of mails, and rewriting one file per send would not scale.
  const emailsFile = options.dir ? join(options.dir, 'emails.jsonl') : undefined;
  const eventsFile = options.dir ? join(options.dir, 'events.jsonl') : undefined;
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const events: SesEvent[] = eventsFile ? readLines<SesEvent>(eventsFile) : [];
  const emails = store.getStoreReadonly().emails;
  if (emailsFile && emails.length === 0) emails.push(...readLines<StoredEmail>(emailsFile));
  let seen = emails.length;

  // After every send: keep the new mails and play SES's mailbox simulator for them.
  const afterSend = () => {
    const all = store.getStoreReadonly().emails;
    if (all.length < seen) {
      // POST /clear-store emptied the inbox
      seen = 0;
      if (emailsFile) writeFileSync(emailsFile, '');
      if (eventsFile) writeFileSync(eventsFile, '');
    }
    const fresh = all.slice(seen);
    seen = all.length;
    if (fresh.length === 0) return;
    if (emailsFile) appendFileSync(emailsFile, fresh.map((m) => `${JSON.stringify(m)}\n`).join(''));
    for (const mail of fresh) {
      if (options.onMail) {
        void options
          .onMail(sent(mail))
          .catch((error: unknown) =>
            process.stderr.write(`[ses] mail handler failed: ${(error as Error).message}\n`),
          );
      }
      for (const event of simulate(mail, options)) {
        events.push(event);
        if (eventsFile) appendFileSync(eventsFile, `${JSON.stringify(event)}\n`);
        void deliver(event);
      }
    }
  };

  const deliver = (event: SesEvent) =>
    Promise.resolve()
      .then(() => options.onEvent?.(event))
      .catch((error: unknown) =>
        process.stderr.write(`[ses] event handler failed: ${(error as Error).message}\n`),
      );
  const replay = (req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', async () => {
      let id: unknown;
      try {
        id = (JSON.parse(body) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
      const event = events.find((e) => e.id === id);
      if (event) await deliver(event);
      res.writeHead(event ? 202 : 404, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(event ? { replayed: event.id } : { error: 'no such event' }));
    });
  };

  const server = await startServer({ port: options.port, host: options.host });
  const original = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/events/replay') {
      replay(req, res);
      return;
    }
    if (req.method === 'GET' && path === '/events') {
      const body = JSON.stringify({ events });
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    if (req.method === 'POST') {
      res.on('finish', () => {
        if (path === '/clear-store') events.length = 0;
        afterSend();
      });
    }
    for (const listener of original) listener.call(server, req, res);
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    server,
    port,
    events: () => [...events],
    mails: () => store.getStoreReadonly().emails.map(sent),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The events SES publishes for mail to the mailbox simulator (hard bounce, complaint, suppression list). */
export function simulate(
  mail: StoredEmail,
  options: Pick<LocalSesOptions, 'region' | 'accountId' | 'configurationSet'>,
): SesEvent[] {
  const recipients = [...mail.destination.to, ...mail.destination.cc, ...mail.destination.bcc].map(
    bareAddress,
  );
  const time = new Date().toISOString();
  const mailObject = {
    timestamp: new Date(mail.at * 1000).toISOString(),
    source: mail.from,
    messageId: mail.messageId,
    destination: recipients,
    headersTruncated: false,
    headers: (mail.headers ?? []).map((h) => ({ name: h.name, value: h.value })),
    commonHeaders: { from: [mail.from], to: mail.destination.to, subject: mail.subject },
    tags: options.configurationSet ? { 'ses:configuration-set': [options.configurationSet] } : {},
  };
  const envelope = (detailType: string, detail: Record<string, unknown>): SesEvent => ({
    version: '0',
    id: randomUUID(),
    'detail-type': detailType,
    source: 'aws.ses',
    account: options.accountId,
    time,
    region: options.region,
    resources: options.configurationSet
      ? [`arn:aws:ses:${options.region}:${options.accountId}:configuration-set/${options.configurationSet}`]
      : [],
    detail: { ...detail, mail: mailObject },
  });
  const result: SesEvent[] = [];
  for (const address of recipients) {
    const kind = SIMULATOR.exec(address)?.[1]?.toLowerCase();
    if (kind === 'bounce' || kind === 'suppressionlist') {
      result.push(
        envelope('Email Bounced', {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: kind === 'bounce' ? 'General' : 'OnAccountSuppressionList',
            bouncedRecipients: [
              {
                emailAddress: address,
                action: 'failed',
                status: '5.1.1',
                diagnosticCode: 'smtp; 550 5.1.1 user unknown',
              },
            ],
            timestamp: time,
            feedbackId: randomUUID(),
            reportingMTA: 'dsn; local-ses',
          },
        }),
      );
    } else if (kind === 'complaint') {
      result.push(
        envelope('Email Complaint Received', {
          eventType: 'Complaint',
          complaint: {
            complainedRecipients: [{ emailAddress: address }],
            timestamp: time,
            feedbackId: randomUUID(),
            complaintFeedbackType: 'abuse',
            userAgent: 'local-ses',
            arrivalDate: time,
          },
        }),
      );
    }
  }
  return result;
}

function bareAddress(address: string): string {
  return (/<([^>]+)>/.exec(address)?.[1] ?? address).trim().toLowerCase();
}

function readLines<T>(path: string): T[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/**
 * The SNS event Lambda receives when SES publishes `event` to a configuration set's SNS destination: the message is
 * the event's detail as JSON, which is what SES publishes there (the EventBridge event wraps the same detail).
 */
export function snsEventOf(event: SesEvent, topicArn: string) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:${randomUUID()}`,
        Sns: {
          Type: 'Notification',
          MessageId: randomUUID(),
          TopicArn: topicArn,
          Subject: null,
          Message: JSON.stringify(event.detail),
          Timestamp: event.time,
          MessageAttributes: {},
        },
      },
    ],
  };
}
