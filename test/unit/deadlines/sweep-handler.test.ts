// The DeadlineSweep Lambda with its AWS clients mocked (P9): the figures go out as Powertools EMF, totals with the
// service dimension and one set per type and status, counts only; staff are mailed through SES.
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeAuditHeads, lambdaContext, setHandlerEnv } from '../../fixtures/lambda.ts';
import { requestRecord } from '../../fixtures/requests.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
fakeAuditHeads();
const ses = mockClient(SESv2Client);
const NOW = '2026-06-15T10:00:00.000Z';
const DAY = 86_400_000;
const due = (days: number) => new Date(Date.parse(NOW) + days * DAY).toISOString();

let handler: typeof import('../../../functions/scheduled/deadline-sweep.ts').handler;

beforeAll(async () => {
  setHandlerEnv({
    CLOCK_START: NOW,
    MAIL_FROM: 'privacy@jsm.be',
    STAFF_INBOX: 'privacy-team@jsm.be',
    POWERTOOLS_SERVICE_NAME: 'privacy-rights',
    POWERTOOLS_METRICS_NAMESPACE: 'PrivacyRights',
  });
  ({ handler } = await import('../../../functions/scheduled/deadline-sweep.ts'));
});

afterEach(() => {
  delete process.env.CLOCK_START;
  vi.restoreAllMocks();
});

const requests = [
  requestRecord({
    id: 'r_0000000000000000000001',
    type: 'erasure',
    status: 'awaiting_approval',
    dueAt: due(1.5),
  }),
  requestRecord({ id: 'r_0000000000000000000002', type: 'access', status: 'in_progress', dueAt: due(20) }),
];

beforeEach(() => {
  process.env.CLOCK_START = NOW;
  dynamo.reset();
  ses.reset();
  dynamo.on(QueryCommand, { IndexName: 'byDue' }).resolves({ Items: requests });
  dynamo.on(QueryCommand, { TableName: 'audit' }).resolves({ Items: [] });
  dynamo.on(GetCommand).callsFake((input) => ({ Item: requests.find((r) => r.pk === input.Key.pk) }));
  dynamo.on(PutCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

/** The EMF blobs written to stdout while `act` runs. */
async function emf(act: () => Promise<unknown>) {
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  await act();
  vi.restoreAllMocks();
  return lines
    .flatMap((l) => l.split('\n'))
    .filter((l) => l.includes('"_aws"'))
    .map(
      (l) =>
        JSON.parse(l) as Record<string, unknown> & {
          _aws: { CloudWatchMetrics: { Dimensions: string[][] }[] };
        },
    );
}

describe('Lambda: deadline sweep (P9)', () => {
  it('publishes the totals and each type and status as EMF metrics, with counts and no personal data', async () => {
    // Act
    const blobs = await emf(() => handler({}, lambdaContext('DeadlineSweep')));
    // Assess: a totals blob on the service dimension alone
    const totals = blobs.find((b) => b._aws.CloudWatchMetrics[0]?.Dimensions[0]?.join() === 'service');
    expect(totals).toMatchObject({
      service: 'privacy-rights',
      OpenRequests: 2,
      DueWithin7Days: 1,
      DueWithin2Days: 1,
      OverdueRequests: 0,
      PartiallyCompletedOverADay: 0,
      DeadlineRemindersSent: 1,
    });
    // Assess: one blob per type and status, in the PrivacyRights namespace
    const grouped = blobs.filter((b) => b._aws.CloudWatchMetrics[0]?.Dimensions[0]?.includes('type'));
    expect(grouped.map((b) => [b.type, b.status, b.OpenRequests, b.DueWithin2Days])).toEqual([
      ['erasure', 'awaiting_approval', 1, 1],
      ['access', 'in_progress', 1, 0],
    ]);
    expect(JSON.stringify(blobs)).toContain('"Namespace":"PrivacyRights"');
    expect(JSON.stringify(blobs)).not.toMatch(/@|r_000/);
  });

  it('mails the staff inbox the 5-day reminder through SES, with the request id and its idempotency key', async () => {
    // Act
    await emf(() => handler({}, lambdaContext('DeadlineSweep')));
    // Assess
    const mails = ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.Destination?.ToAddresses).toEqual(['privacy-team@jsm.be']);
    expect(mails[0]?.Content?.Simple?.Subject?.Data).toBe(
      'Reminder: request r_0000000000000000000001 (awaiting_approval) is due in 2 days',
    );
    expect(mails[0]?.Content?.Simple?.Headers).toEqual([
      { Name: 'X-Idempotency-Key', Value: `r_0000000000000000000001:deadline:${due(1.5)}:5` },
    ]);
  });
});
