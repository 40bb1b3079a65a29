// The paths one request of each right does not take, so that every function of the template runs at least once
// (test/integration/iam.test.ts, P15): a resent code, an extension, reminders to staff (approval and identity
// check, after their one-minute least wait), a rejection, a pick among a household, a bounce staff reached past, a
// letter with its check and its printable answer, the subject card and dashboard, the API reference, a system down
// for good and the retry after it, the CLI's export and sweeps, and a workflow that ends ABORTED (the failure rule).
import { SFNClient, StopExecutionCommand } from '@aws-sdk/client-sfn';
import { expect } from 'vitest';
import { DEMO_CUSTOMERS, INACTIVE_CUSTOMERS } from '../../local/demo-data.ts';
import { call, codeIn, eventually, inbox, waitForMail } from './api.ts';
import { clearFaults, setFaults } from './faults.ts';
import { approveAndFinish, fileAndVerify, reachStatus, reject } from './requests.ts';
import type { Runtime } from './runtime.ts';

const { celine, koen, noor } = DEMO_CUSTOMERS;
const { griet } = INACTIVE_CUSTOMERS;
const BOUNCE = 'bounce@simulator.amazonses.com';
const NOTE = 'Several systems to search by hand';
// AwaitApproval and AwaitIdentityCheck wait at least a minute, at most until three days before the due date,
// before they remind staff (core/progress.ts approvalWindow).
const REMINDER_MS = 240_000;

type View = {
  status?: string;
  audit?: { action: string }[];
  letters?: { id: string; kind: string }[];
  delivery?: { state?: string };
};

const POSTAL = `${griet.firstName} ${griet.lastName}\n${griet.address.street}\n${griet.address.postalCode} ${griet.address.city}`;

/**
 * The reminders, on two letters received at `receivedAt`, on a runtime whose clock starts shortly (a minute or two)
 * before three days ahead of their due date: one waits for its identity check until staff are reminded, then is
 * checked and approved; the other is checked at once, waits for approval until the approvers are reminded, and is
 * rejected. Start it first, so the windows are computed before the reminder point passes.
 */
export async function remindersFire(rt: Runtime, receivedAt: string): Promise<void> {
  const staff = async (role: 'viewer' | 'approver', method: string, path: string, body?: unknown) =>
    call(rt.apiUrl, method, path, {
      token: await rt.staffToken(role),
      ...(body === undefined ? {} : { body }),
    });
  const view = async (id: string) => (await staff('viewer', 'GET', `/admin/requests/${id}`)).json as View;
  const until = (id: string, done: (v: View) => boolean, what: string, ms = 90_000) =>
    eventually(async () => ((v) => (done(v) ? v : undefined))(await view(id)), ms, what, 1000);
  const audited = (action: string) => (v: View) => (v.audit ?? []).some((e) => e.action === action);
  const letter = async () => {
    const filed = await staff('approver', 'POST', '/admin/requests', {
      type: 'access',
      channel: 'letter',
      receivedAt,
      language: 'nl',
      postalAddress: POSTAL,
    });
    expect(filed.status).toBe(201);
    const id = filed.json.id as string;
    await until(id, (v) => v.status === 'awaiting_identity_check', 'the letter waiting for its check');
    return id;
  };
  const checked = async (id: string) =>
    expect(
      (await staff('approver', 'POST', `/admin/requests/${id}/authority`, { method: 'id_document_seen' }))
        .status,
    ).toBe(200);
  const paths = await Promise.allSettled([
    (async () => {
      const id = await letter();
      await until(id, audited('identity.reminded'), 'the identity check reminded', REMINDER_MS);
      await checked(id);
      await until(id, (v) => v.status === 'awaiting_approval', 'the letter awaiting approval');
      expect((await staff('approver', 'POST', `/admin/requests/${id}/approve`)).status).toBe(200);
      await until(id, (v) => v.status === 'completed', 'the letter answered');
    })(),
    (async () => {
      const id = await letter();
      await checked(id);
      await until(id, audited('approval.reminded'), 'the approvers reminded', REMINDER_MS);
      expect((await reject(rt, id, 'other', NOTE)).status).toBe(200);
    })(),
  ]);
  const failed = paths.flatMap((p, i) =>
    p.status === 'rejected' ? [`reminder ${i + 1}: ${String(p.reason)}`] : [],
  );
  expect(failed).toEqual([]);
}

/** Takes every such path on a running runtime started at `clock`; resolves once each has run. */
export async function everyOtherPath(rt: Runtime, clock: string): Promise<void> {
  const staff = async (role: 'viewer' | 'approver' | 'admin', method: string, path: string, body?: unknown) =>
    call(rt.apiUrl, method, path, {
      token: await rt.staffToken(role),
      ...(body === undefined ? {} : { body }),
    });
  const view = async (id: string) => (await staff('viewer', 'GET', `/admin/requests/${id}`)).json as View;
  const until = (id: string, done: (v: View) => boolean, what: string, ms = 90_000) =>
    eventually(async () => ((v) => (done(v) ? v : undefined))(await view(id)), ms, what);
  const audited = (action: string) => (v: View) => (v.audit ?? []).some((e) => e.action === action);

  const paths = await Promise.allSettled([
    (async () => {
      // Céline's erasure: a resent code, an extension, then a rejection
      const filed = await call(rt.apiUrl, 'POST', '/requests', {
        body: { type: 'erasure', email: celine.email, language: 'fr' },
      });
      const id = filed.json.id as string;
      const first = codeIn(await waitForMail(rt.sesUrl, celine.email));
      expect((await call(rt.apiUrl, 'POST', `/requests/${id}/resend`)).status).toBe(202);
      const code = codeIn(await waitForMail(rt.sesUrl, celine.email, (m) => codeIn(m) !== first));
      const verified = await call(rt.apiUrl, 'POST', `/requests/${id}/verify`, { body: { code } });
      expect(verified.status).toBe(200);
      await reachStatus(rt, id, verified.json.statusToken as string, ['awaiting_approval']);
      expect(
        (
          await staff('approver', 'POST', `/admin/requests/${id}/extend`, {
            reason: 'complexity',
            note: NOTE,
          })
        ).status,
      ).toBe(200);
      expect((await reject(rt, id, 'other', NOTE)).status).toBe(200);
    })(),
    (async () => {
      // Koen's household address: staff pick Koen
      const { id, token } = await fileAndVerify(rt, { type: 'access', email: koen.email, language: 'nl' }, [
        koen.email,
      ]);
      await reachStatus(rt, id, token, ['awaiting_identity_check']);
      const pick = await staff('approver', 'POST', `/admin/requests/${id}/resolve`, {
        customerNumber: koen.customerNumber,
      });
      expect(pick.status).toBe(200);
      await approveAndFinish(rt, id, token);
      expect((await staff('approver', 'GET', `/admin/requests/${id}/subject`)).status).toBe(200);
      // the CLI's `dsr export`: the package through a staff route
      expect((await staff('approver', 'GET', `/admin/requests/${id}/export`)).status).toBe(302);
    })(),
    (async () => {
      // The CLI's sweeps on demand: the deadline sweep, and a retention dry run followed to its end
      expect((await staff('admin', 'POST', '/admin/sweeps/deadlines')).status).toBe(200);
      const started = await staff('admin', 'POST', '/admin/sweeps/retention', { dryRun: true });
      expect(started.status).toBe(202);
      await eventually(
        async () => {
          const run = await staff('admin', 'GET', `/admin/sweeps/retention/${started.json.runId}`);
          return run.json.state === 'done' ? true : undefined;
        },
        90_000,
        'the dry run done',
      );
    })(),
    (async () => {
      // A code mail that bounces; staff reached the subject another way
      const filed = await call(rt.apiUrl, 'POST', '/requests', { body: { type: 'access', email: BOUNCE } });
      const id = filed.json.id as string;
      await until(id, (v) => v.delivery?.state === 'bounced', 'the bounce recorded', 60_000);
      expect(
        (await staff('approver', 'POST', `/admin/requests/${id}/reached`, { means: 'phone' })).status,
      ).toBe(200);
    })(),
    (async () => {
      // A letter: registered by staff, its authority checked, approved, answered on paper
      const filed = await staff('approver', 'POST', '/admin/requests', {
        type: 'access',
        channel: 'letter',
        // a letter received the day before the runtime's clock started
        receivedAt: new Date(Date.parse(clock) - 86_400_000).toISOString(),
        language: 'nl',
        postalAddress: POSTAL,
      });
      expect(filed.status).toBe(201);
      const id = filed.json.id as string;
      await until(id, (v) => v.status === 'awaiting_identity_check', 'the letter waiting for its check');
      expect(
        (await staff('approver', 'POST', `/admin/requests/${id}/authority`, { method: 'id_document_seen' }))
          .status,
      ).toBe(200);
      await until(id, (v) => v.status === 'awaiting_approval', 'the letter awaiting approval');
      expect((await staff('approver', 'POST', `/admin/requests/${id}/approve`)).status).toBe(200);
      const done = await until(id, (v) => v.status === 'completed', 'the letter answered');
      const letter = done.letters?.find((l) => l.kind === 'outcome');
      expect((await staff('approver', 'GET', `/admin/requests/${id}/letters/${letter?.id}`)).status).toBe(
        200,
      );
    })(),
    (async () => {
      // Support down for good while Noor is erased: partially completed; back, and retried to completion
      setFaults(rt, { support: { mode: 'fail', operations: ['erase'] } });
      const { id, token } = await fileAndVerify(rt, { type: 'erasure', email: noor.email, language: 'en' }, [
        noor.email,
      ]);
      const { done } = await approveAndFinish(rt, id, token);
      expect(done.status).toBe('partially_completed');
      clearFaults(rt);
      expect((await staff('approver', 'POST', `/admin/requests/${id}/retry`)).status).toBe(202);
      await reachStatus(rt, id, token, ['completed'], 120_000);
    })(),
    (async () => {
      // A workflow stopped from outside ends ABORTED: the failure rule tells staff
      const { id } = await fileAndVerify(rt, { type: 'access', email: griet.email, language: 'nl' }, [
        griet.email,
      ]);
      const sfn = new SFNClient({
        region: 'eu-west-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        endpoint: rt.awsLocalUrl,
      });
      const executionArn = `${rt.stateMachineArn.replace(':stateMachine:', ':execution:')}:${id}`;
      await sfn.send(
        new StopExecutionCommand({ executionArn, error: 'Test', cause: 'stopped by the IAM run' }),
      );
      await until(id, audited('workflow.failed'), 'the failure recorded', 60_000);
    })(),
    (async () => {
      expect((await staff('viewer', 'GET', '/admin/dashboard')).status).toBe(200);
      expect((await call(rt.apiUrl, 'GET', '/openapi.json')).status).toBe(200);
      expect((await inbox(rt.sesUrl)).length).toBeGreaterThan(0);
    })(),
  ]);
  // every path's failure, not only the first one's
  const failed = paths.flatMap((p, i) =>
    p.status === 'rejected' ? [`path ${i + 1}: ${String(p.reason)}`] : [],
  );
  expect(failed).toEqual([]);
}
