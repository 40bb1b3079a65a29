import { describe, expect, it } from 'vitest';
import { decide, retry } from '../../../functions/core/decisions.ts';
import { fileRequest, verifyRequest } from '../../../functions/core/intake.ts';
import {
  approvalWindow,
  awaitApproval,
  close,
  MAX_WAIT_SECONDS,
  prepare,
  recordResults,
  tellSubject,
} from '../../../functions/core/progress.ts';
import { recordRecheck } from '../../../functions/core/recheck.ts';
import { fakeDeps } from '../../fixtures/fakes.ts';
import { refused } from '../../fixtures/problems.ts';
import { look } from '../../fixtures/requests.ts';

async function verifiedErasure(language: 'nl' | 'fr' | 'en' = 'nl') {
  const d = fakeDeps();
  const { id } = await fileRequest(
    d,
    { type: 'erasure', email: 'an.devos@example.be', language },
    '10.0.0.1',
  );
  await verifyRequest(d, id, /(\d{8})/.exec(d.mailer.sent[0]!.text)![1]!);
  return { d, id, setClock: d.setClock };
}

const located = (system: 'billing' | 'crm' | 'support' | 'marketing', records: number) => ({
  system,
  operation: 'locate' as const,
  located: { found: records > 0, records, categories: ['contact'] },
  outcomes: [],
});

describe('Workflow steps (P3, P9, P10)', () => {
  it('hands a decision made before the wait to the parked task at once', async () => {
    // Prepare: a verified erasure
    const { d, id } = await verifiedErasure();
    // Act: staff approve, then the workflow parks its task
    await decide(d, id, 'staff-1', { approved: true });
    // Act
    await awaitApproval(d, id, 'token-1');
    // Assess: the parked task is resumed at once with the approval
    expect(d.workflow.resumed).toEqual([{ token: 'token-1', output: { approved: true } }]);
  });

  it('fails a parked approval at once as RequestRejected when staff rejected before the wait (P10)', async () => {
    // Prepare: a verified erasure that staff rejected
    const { d, id } = await verifiedErasure();
    await decide(d, id, 'staff-1', { approved: false, reason: 'excessive' });
    // Act
    await awaitApproval(d, id, 'token-1');
    // Assess
    expect(d.workflow.resumed).toEqual([]);
    expect(d.workflow.failed).toEqual([{ token: 'token-1', error: 'RequestRejected' }]);
  });

  it('keeps the token while waiting, and fails it as RequestRejected when staff reject (P10)', async () => {
    // Prepare: a verified erasure
    const { d, id } = await verifiedErasure();
    // Act: park the task
    await awaitApproval(d, id, 'token-2');
    // Assess: nothing resumed yet; the privacy team is told
    expect(d.workflow.resumed).toEqual([]);
    expect(d.mailer.sent.at(-1)?.to).toBe('privacy-team@jsm.be');
    // Act: staff reject
    await decide(d, id, 'staff-1', { approved: false, reason: 'excessive' });
    // Assess: the parked task fails with the rejection's name, which the workflow catches to tell the subject
    expect(d.workflow.resumed).toEqual([]);
    expect(d.workflow.failed).toEqual([{ token: 'token-2', error: 'RequestRejected' }]);
    expect(d.store.items.get(id)?.status).toBe('rejected');
  });

  it('refuses a second decision', async () => {
    // Prepare: a verified erasure that staff approved
    const { d, id } = await verifiedErasure();
    await decide(d, id, 'staff-1', { approved: true });
    // Act: a second decision
    const second = refused(
      decide(d, id, 'staff-2', {
        approved: false,
        reason: 'other',
        explanation: 'Wij hebben uw verzoek al beantwoord.',
      }),
    );
    // Assess: refused with 409
    await expect(second).resolves.toMatchObject({
      status: 409,
    });
  });

  it('waits at most a week, and ends the wait before the due date (P9)', async () => {
    // Prepare: a verified erasure, filed just now
    const { d, id, setClock } = await verifiedErasure();
    // Act: ask for the approval window
    // Assess: the maximum wait, a week
    expect((await approvalWindow(d, id)).waitSeconds).toBe(MAX_WAIT_SECONDS);
    // Prepare: the clock two days before the due date
    const due = Date.parse(d.store.items.get(id)!.dueAt);
    // Prepare: two days before the due date
    setClock(new Date(due - 2 * 86_400_000).toISOString());
    // Act: ask for the approval window again
    const { waitSeconds } = await approvalWindow(d, id);
    // Assess: the wait ends within those two days
    expect(waitSeconds).toBeGreaterThan(0);
    expect(waitSeconds).toBeLessThanOrEqual(2 * 86_400);
  });

  it('answers the approval wait with the located systems, and none after they acted (P9)', async () => {
    // Prepare: a verified erasure, filed just now
    const { d, id } = await verifiedErasure();
    // Act
    const afterLocate = await recordResults(d, id, [located('crm', 3)]);
    await decide(d, id, 'staff-1', { approved: true });
    const afterAct = await recordResults(d, id, [
      { system: 'crm', operation: 'erase', outcomes: [{ kind: 'erased', records: 3, category: 'contact' }] },
    ]);
    // Assess: the same wait the identity check's window gives, in RecordLocate's answer; none for an act
    expect(afterLocate.approval).toEqual(await approvalWindow(d, id));
    expect(afterLocate.approval?.waitSeconds).toBe(MAX_WAIT_SECONDS);
    expect(afterAct.approval).toBeUndefined();
  });

  it('never tells the subject while a system failed, and closes as partially completed', async () => {
    // Prepare: an erasure that located data in CRM and billing and was approved
    const { d, id } = await verifiedErasure();
    await recordResults(d, id, [located('crm', 3), located('billing', 5)]);
    await decide(d, id, 'staff-1', { approved: true });
    // Act: record CRM erased and billing failed
    const { allDone } = await recordResults(d, id, [
      { system: 'crm', operation: 'erase', outcomes: [{ kind: 'erased', records: 3, category: 'contact' }] },
      {
        system: 'billing',
        operation: 'erase',
        outcomes: [{ kind: 'failed', retryable: true, reason: 'ConnectorError' }],
      },
    ]);
    // Assess: not all done; the subject is not told; the request closes as partially completed
    expect(allDone).toBe(false);
    expect((await tellSubject(d, id)).told).toBe(false);
    expect((await close(d, id)).status).toBe('partially_completed');
  });

  it('tells the subject what was erased and what was kept, on which ground and until when, in Dutch (P3, P10)', async () => {
    // Prepare: an approved erasure in Dutch; CRM erased, billing erased part and kept invoices on fiscal grounds
    const { d, id } = await verifiedErasure('nl');
    await decide(d, id, 'staff-1', { approved: true });
    await recordResults(d, id, [
      {
        system: 'crm',
        operation: 'erase',
        outcomes: [{ kind: 'erased', records: 4, category: 'identification' }],
      },
      {
        system: 'billing',
        operation: 'erase',
        outcomes: [
          { kind: 'erased', records: 2, category: 'financial' },
          {
            kind: 'retained',
            records: 3,
            category: 'contract',
            ground: 'fiscal_retention',
            until: '2035-12-31',
            kept: ['name', 'address'],
          },
        ],
      },
    ]);
    // Prepare: the fresh look finds nothing in CRM and only the three kept invoices in billing
    const kept = [{ category: 'contract', ground: 'fiscal_retention', until: '2035-12-31', records: 3 }];
    await recordRecheck(d, id, 1, [look('crm'), look('billing', { kept })]);
    // Act: tell the subject
    // Assess: told, by mail to the subject, naming the law, the date kept until, the check and the authority
    expect((await tellSubject(d, id)).told).toBe(true);
    const mail = d.mailer.sent.at(-1)!;
    expect(mail.to).toBe('an.devos@example.be');
    expect(mail.text).toContain('artikel 60, § 4, Btw-Wetboek');
    expect(mail.text).toContain('31 december 2035');
    expect(mail.text).toContain('alle systemen opnieuw doorzocht');
    expect(mail.text).toContain('Gegevensbeschermingsautoriteit');
    expect(mail.html).toContain('<li>');
    // Act: tell again: telling twice sends nothing more.
    // Assess: not told again
    expect((await tellSubject(d, id)).told).toBe(false);
    // Act: close
    const closed = await close(d, id);
    // Assess: completed, and the address on the request is erased
    expect(closed.status).toBe('completed');
    expect(d.store.items.get(id)?.email).toBe('');
  });

  it('reports a closed request as closed, so a restarted execution changes nothing', async () => {
    // Prepare: a rejected request that was told and closed
    const { d, id } = await verifiedErasure();
    await decide(d, id, 'staff-1', {
      approved: false,
      reason: 'other',
      explanation: 'Wij hebben uw verzoek al beantwoord.',
    });
    await tellSubject(d, id);
    await close(d, id);
    const entries = d.audit.entries.length;
    // Act: prepare a restarted execution
    // Assess: the request reports closed
    expect((await prepare(d, id, 1)).closed).toBe(true);
    // Act: close again
    await close(d, id);
    // Assess: no new audit entry
    expect(d.audit.entries.length).toBe(entries);
  });

  it('retries a partially completed request as a new attempt, keeping what systems already did (DESIGN: Retry)', async () => {
    // Prepare: an approved erasure that closed partially completed: CRM erased, billing failed
    const { d, id } = await verifiedErasure();
    await decide(d, id, 'staff-1', { approved: true });
    await recordResults(d, id, [
      { system: 'crm', operation: 'erase', outcomes: [{ kind: 'erased', records: 3, category: 'contact' }] },
      {
        system: 'billing',
        operation: 'erase',
        outcomes: [{ kind: 'failed', retryable: true, reason: 'ConnectorError' }],
      },
    ]);
    await close(d, id);
    // Act: staff retry
    // Assess: a new attempt in progress, started as execution #2, not closed
    await expect(retry(d, id, 'staff-2')).resolves.toMatchObject({ status: 'in_progress', attempt: 2 });
    expect(d.workflow.started).toContain(`${id}#2`);
    expect((await prepare(d, id, 2)).closed).toBe(false);
    // Act: the retry's run: CRM answers not_found now (already erased), billing succeeds.
    await recordResults(d, id, [
      { system: 'crm', operation: 'erase', outcomes: [{ kind: 'not_found' }] },
      {
        system: 'billing',
        operation: 'erase',
        outcomes: [{ kind: 'erased', records: 2, category: 'financial' }],
      },
    ]);
    // Act: the retry's fresh look finds nothing left in either system (P3)
    const { allDone } = await recordRecheck(d, id, 2, [look('crm'), look('billing')]);
    // Assess: all done; CRM keeps the outcome of the first attempt
    expect(allDone).toBe(true);
    expect(d.store.items.get(id)?.systems.crm?.outcomes).toEqual([
      { kind: 'erased', records: 3, category: 'contact' },
    ]);
    // Act: retry the completed request
    // Assess: refused with 409
    await expect(refused(retry(d, id, 'staff-2'))).resolves.toMatchObject({ status: 409 });
  });
});
