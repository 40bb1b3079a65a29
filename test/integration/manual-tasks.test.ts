// A system without an API on the embedded runtime (P16, P17, P3, P1, P9): the configured paper archive has no
// service at all; its owner is mailed a signed link, answers on the page without a console login, and the request
// waits for that answer like for any system, then completes and names the system to the subject.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoRequestStore } from '../../functions/aws/request-store.ts';
import { newRequestId } from '../../functions/core/ids.ts';
import { DEMO_CUSTOMERS } from '../../local/demo-data.ts';
import { TABLE_NAMES } from '../../local/tables.ts';
import { requestRecord } from '../fixtures/requests.ts';
import { call, type InboxMail, inbox, waitForMail } from '../helpers/api.ts';
import { download, linksIn } from '../helpers/downloads.ts';
import { fileAndVerify, reachStatus } from '../helpers/requests.ts';
import { type Runtime, startRuntime } from '../helpers/runtime.ts';
import { readZip } from '../unit/export/zip.ts';

const OWNER = 'archief@jsm.example';
const CLOCK = '2026-11-25T09:00:00.000Z';
const DAY = 86_400_000;
const an = DEMO_CUSTOMERS.an;
const luc = DEMO_CUSTOMERS.luc;
let rt: Runtime;

beforeAll(async () => {
  rt = await startRuntime({
    clock: CLOCK,
    env: {
      RATE_LIMIT_PER_SOURCE: '200',
      RATE_LIMIT_PER_ADDRESS: '20',
      LOCAL_SCHEDULE_EVERY_MS: '1000',
      LOCAL_TASK_OWNERS: 'off',
    },
  });
});
afterAll(async () => {
  await rt?.stop();
});

/** The link in the owner's mail about a request. */
const taskLinkIn = (m: InboxMail) =>
  /(https?:\/\/\S+\/tasks\/[\w.-]+)/.exec(m.body.text ?? '')?.[1] as string;

/** Files, verifies and approves a request; answers its id, status token and the owner's mail. */
async function fileApproveAndAsk(type: 'erasure' | 'access', email: string) {
  const { id, token } = await fileAndVerify(rt, { type, email, language: 'en' }, [email]);
  await reachStatus(rt, id, token, ['awaiting_approval']);
  const staff = await rt.staffToken('approver');
  expect((await call(rt.apiUrl, 'POST', `/admin/requests/${id}/approve`, { token: staff })).status).toBe(200);
  const ownerMail = await waitForMail(rt.sesUrl, OWNER, (m) => m.subject.includes(id), 60_000);
  return { id, token, ownerMail, link: taskLinkIn(ownerMail) };
}

/** The owner's answer, as the page's form posts it (multipart). */
function answer(link: string, fields: Record<string, string>, file?: { name: string; text: string }) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (file) form.append('extract', new Blob([file.text], { type: 'text/csv' }), file.name);
  return fetch(link, { method: 'POST', body: form });
}

describe('A system without an API: the owner answers through a signed link (P17, P16)', () => {
  it('keeps an erasure in progress while the owner’s task is open, completes it on their answer and names the system to the subject (P3, P17)', async () => {
    // Prepare: An's erasure, approved; the archive's owner is mailed a link, without her data
    const { id, token, ownerMail, link } = await fileApproveAndAsk('erasure', an.email);
    expect(ownerMail.body.text).not.toContain(an.email);
    expect(ownerMail.body.text).not.toContain(an.lastName);

    // Assess: the request waits for the archive, which the staff view shows as waiting for its owner
    const waiting = await reachStatus(rt, id, token, ['in_progress']);
    expect(waiting.status).toBe('in_progress');
    const staff = await rt.staffToken('approver');
    const detail = await call(rt.apiUrl, 'GET', `/admin/requests/${id}`, { token: staff });
    const archive = (detail.json.systems as { system: string; waiting?: string }[]).find(
      (s) => s.system === 'paper-archive',
    );
    expect(archive).toMatchObject({ waiting: 'owner' });

    // Act: the owner opens the link (no login) and answers done, with counts
    const page = await fetch(link);
    const html = await page.text();
    const answered = await answer(link, {
      answer: 'done',
      'count.contract': '2',
      'count.identification': '1',
    });

    // Assess: the page showed whom it concerns; the answer is recorded and the request completes
    expect(page.status).toBe(200);
    expect(html).toContain(an.email);
    expect(answered.status).toBe(200);
    await reachStatus(rt, id, token, ['completed'], 90_000);
    const toHer = (await inbox(rt.sesUrl)).filter(
      (m) => m.destination.to.includes(an.email) && m.subject !== ownerMail.subject,
    );
    expect(toHer.at(-1)?.body.text).toContain('Archive of signed paper contracts');

    // Act: the same answer again
    const again = await answer(link, { answer: 'done', 'count.contract': '2' });
    // Assess: nothing changes
    expect(again.status).toBe(409);
  }, 180_000);

  it('puts the extract the owner uploads for an access request into the subject’s package (P1, P17)', async () => {
    // Prepare
    const { id, token, link } = await fileApproveAndAsk('access', luc.email);
    const csv = 'contract,signed_on\nC-2019-114,2019-03-01\n';
    // Act: the owner uploads the extract
    const answered = await answer(link, { answer: 'extract' }, { name: 'contracten.csv', text: csv });
    await reachStatus(rt, id, token, ['completed'], 90_000);
    // Act: the subject follows her package link
    const toHer = (await inbox(rt.sesUrl)).filter(
      (m) => m.destination.to.includes(luc.email) && linksIn(m).length > 0,
    );
    const files = await Promise.all(linksIn(toHer.at(-1) as InboxMail).map(download));
    const zip = files.find((f) => f.body.subarray(0, 2).toString() === 'PK');
    const entries = await readZip(zip?.body as Buffer);
    // Assess: the archive's extract is in it, byte for byte
    expect(answered.status).toBe(200);
    const extract = [...entries.entries()].find(([name]) => name.includes('paper-archive'));
    expect(extract?.[1].toString()).toBe(csv);
  }, 180_000);

  it('answers a forged or altered link with a 4xx page for a browser, a problem for anyone else, and changes nothing (P17, P15)', async () => {
    // Prepare
    const forged = `${rt.apiUrl}/tasks/eyJhbGciOiJIUzI1NiJ9.eyJyIjoicl8wMDAwIn0.c2lnbmF0dXJl`;
    // Act
    const page = await fetch(`${forged}?lang=en`, { headers: { Accept: 'text/html' } });
    const problem = await fetch(forged);
    const posted = await answer(forged, { answer: 'nothing_held' });
    // Assess
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('not valid or has expired');
    expect(problem.status).toBe(400);
    expect(problem.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(((await problem.json()) as { type: string }).type).toMatch(/task-link-invalid$/);
    expect(posted.status).toBe(400);
  });

  it('reminds the owner of a task still open after the system’s reminder interval (P9, P17)', async () => {
    // Prepare: a request in progress whose archive task was opened four days ago (the interval is three)
    const doc = DynamoDBDocumentClient.from(
      new DynamoDBClient({
        region: 'eu-west-1',
        endpoint: rt.dynamodbEndpoint,
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }),
      { marshallOptions: { removeUndefinedValues: true } },
    );
    const id = newRequestId();
    const openedAt = new Date(Date.parse(CLOCK) - 4 * DAY).toISOString();
    await dynamoRequestStore(doc, TABLE_NAMES.requests).create(
      requestRecord({
        id,
        pk: `REQ#${id}`,
        type: 'erasure',
        status: 'in_progress',
        dueAt: new Date(Date.parse(CLOCK) + 20 * DAY).toISOString(),
        manualTasks: {
          'paper-archive:erase': {
            system: 'paper-archive',
            operation: 'erase',
            attempt: 1,
            state: 'open',
            openedAt,
            reminders: 0,
          },
        },
      }),
    );
    // Act: the hourly task reminders run every second here
    const reminder = await waitForMail(rt.sesUrl, OWNER, (m) => m.subject.includes(id), 60_000);
    // Assess: a reminder with the task's link, in the owner's language (Dutch)
    expect(reminder.subject).toBe(
      `Herinnering: taak voor Archief van getekende papieren contracten (wissen, verzoek ${id})`,
    );
    expect(taskLinkIn(reminder)).toContain('/tasks/');
  });
});
