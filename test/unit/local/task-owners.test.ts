// The owners of systems without an API, as the embedded runtime plays them in tests (P17): which mails they
// answer, and that a mail of an earlier run is answered through this run's API.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { configuredSystems } from '../../../functions/core/systems.ts';
import { playTaskOwners, TASK_OWNERS_ENV } from '../../../local/task-owners.ts';

const owner = configuredSystems().flatMap((c) => (c.kind === 'manual' ? c.owner.emails : []))[0] as string;
const posted: string[] = [];
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    posted.push(`${req.method} ${req.url}`);
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((r) => server.close(r)));
afterEach(() => {
  posted.length = 0;
  delete process.env[TASK_OWNERS_ENV];
});

const mail = (to: string, subject: string, port = 1) => ({
  messageId: 'ses-1',
  destination: { to: [to] },
  subject,
  text: `Open the task: http://localhost:${port}/tasks/abc.def-1\nThank you.`,
});

describe('The owners played by the runtime (P17)', () => {
  it('answers a new task mail through this run’s API, whatever port the mail names', async () => {
    // Prepare
    process.env[TASK_OWNERS_ENV] = 'answer';
    const lines: string[] = [];
    // Act
    await playTaskOwners((l) => lines.push(l), apiUrl)(mail(owner, 'Nieuwe taak'));
    // Assess
    expect(posted).toEqual(['POST /tasks/abc.def-1']);
    expect(lines).toEqual(['[owners] answered the task of mail ses-1: 200']);
  });

  it('leaves reminders, other addresses and every mail alone unless switched on', async () => {
    // Prepare
    const play = playTaskOwners(() => {}, apiUrl);
    // Act
    await play(mail(owner, 'Nieuwe taak'));
    process.env[TASK_OWNERS_ENV] = 'answer';
    await play(mail(owner, 'Herinnering: taak'));
    await play(mail('someone@example.be', 'Nieuwe taak'));
    // Assess
    expect(posted).toEqual([]);
  });

  it('logs an answer that cannot be sent instead of throwing', async () => {
    // Prepare: an API that is not there
    process.env[TASK_OWNERS_ENV] = 'answer';
    const lines: string[] = [];
    // Act
    await playTaskOwners((l) => lines.push(l), 'http://127.0.0.1:1')(mail(owner, 'Nieuwe taak'));
    // Assess
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[owners\] could not answer the task of mail ses-1: /);
  });
});
