// What staff may do to a request, by role and status. The buttons appear only where the server would accept the
// call; the server checks the role regardless (functions/api/http.ts). Every action is audited by the API.
import { useState } from 'preact/hooks';
import type { AdminApi, RequestDetail } from './admin.ts';
import { allows, type Session } from './auth.ts';
import { AuthorityForm, ReachedForm } from './checks.tsx';
import { labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';
import { FINAL } from './queue.tsx';

const REJECT_REASONS = [
  'verification_failed',
  'identity_not_established',
  'manifestly_unfounded',
  'excessive',
  'compelling_legitimate_grounds',
  'other',
];
const EXTEND_REASONS = ['complexity', 'number_of_requests'];
const EXPLANATION_MIN = 10;

type Props = PageProps & { api: AdminApi; session: Session; r: RequestDetail; onDone(): Promise<void> };

export function Actions(props: Props) {
  const { t, api, session, r } = props;
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | undefined>();
  if (!allows(session, 'approver')) return null;

  const run = async (what: string, work: () => Promise<unknown>) => {
    setBusy(true);
    setDone(undefined);
    props.clear();
    try {
      await work();
      setDone(what);
      await props.onDone();
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(false);
    }
  };
  const open = !FINAL.includes(r.status) && r.status !== 'awaiting_verification';
  const ambiguous = r.systems.some((s) => s.outcomes?.some((o) => o.kind === 'ambiguous'));
  const canExtend = open && !r.extension && !r.extended;
  const checkOwed = r.status === 'awaiting_identity_check' && r.check?.pending === true;
  const unreached = r.delivery !== undefined && !r.delivery.reachedAt;

  return (
    <section class="actions" aria-labelledby="actions-h">
      <h2 id="actions-h">{t('act.heading')}</h2>
      <p role="status" class="done">
        {done ? t(`done.${done}` as never) : ''}
      </p>
      {r.status === 'awaiting_approval' && (
        <>
          <button type="button" disabled={busy} onClick={() => void run('approve', () => api.approve(r.id))}>
            {t('act.approve')}
          </button>
          <RejectForm
            {...props}
            busy={busy}
            onSubmit={(reason, text) => run('reject', () => api.reject(r.id, reason, text))}
          />
        </>
      )}
      {r.status === 'partially_completed' && (
        <button type="button" disabled={busy} onClick={() => void run('retry', () => api.retry(r.id))}>
          {t('act.retry')}
        </button>
      )}
      {r.status === 'awaiting_identity_check' && ambiguous && (
        <ResolveForm {...props} busy={busy} onSubmit={(n) => run('resolve', () => api.resolve(r.id, n))} />
      )}
      {checkOwed && r.check && (
        <AuthorityForm
          t={t}
          busy={busy}
          of={r.check.of}
          onSubmit={(body) => run('authority', () => api.authority(r.id, body))}
        />
      )}
      {unreached && (
        <ReachedForm t={t} busy={busy} onSubmit={(body) => run('reached', () => api.reached(r.id, body))} />
      )}
      {canExtend && (
        <ExtendForm
          {...props}
          busy={busy}
          onSubmit={(reason, note) => run('extend', () => api.extend(r.id, reason, note))}
        />
      )}
    </section>
  );
}

function RejectForm(props: Props & { busy: boolean; onSubmit(reason: string, explanation?: string): void }) {
  const { t } = props;
  const [reason, setReason] = useState('');
  const [explanation, setExplanation] = useState('');
  const [invalid, setInvalid] = useState(false);
  return (
    <form
      class="action"
      onSubmit={(e) => {
        e.preventDefault();
        if (reason === 'other' && explanation.trim().length < EXPLANATION_MIN) return setInvalid(true);
        setInvalid(false);
        props.onSubmit(reason, reason === 'other' ? explanation.trim() : undefined);
      }}
    >
      <h3>{t('act.reject')}</h3>
      <div class="field">
        <label for="f-reason">{t('act.rejectReason')}</label>
        <select id="f-reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          <option value="">{t('act.choose')}</option>
          {REJECT_REASONS.map((c) => (
            <option key={c} value={c}>
              {labelOf(t, 'rej', c)}
            </option>
          ))}
        </select>
      </div>
      {reason === 'other' && (
        <div class="field">
          <label for="f-explanation">{t('act.explanation')}</label>
          <textarea
            id="f-explanation"
            required
            minLength={EXPLANATION_MIN}
            aria-invalid={invalid}
            aria-describedby="f-explanation-hint"
            value={explanation}
            onInput={(e) => setExplanation(e.currentTarget.value)}
          />
          <p id="f-explanation-hint" class={invalid ? 'hint invalid' : 'hint'}>
            {t('act.explanationHint')}
          </p>
        </div>
      )}
      <button type="submit" class="danger" disabled={props.busy}>
        {t('act.rejectSubmit')}
      </button>
    </form>
  );
}

function ExtendForm(props: Props & { busy: boolean; onSubmit(reason: string, note: string): void }) {
  const { t } = props;
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  return (
    <form
      class="action"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(reason, note.trim());
      }}
    >
      <h3>{t('act.extend')}</h3>
      <p class="hint">{t('act.extendHint')}</p>
      <div class="field">
        <label for="f-ext-reason">{t('act.extendReason')}</label>
        <select id="f-ext-reason" required value={reason} onChange={(e) => setReason(e.currentTarget.value)}>
          <option value="">{t('act.choose')}</option>
          {EXTEND_REASONS.map((c) => (
            <option key={c} value={c}>
              {labelOf(t, 'ext', c)}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-ext-note">{t('act.extendNote')}</label>
        <textarea
          id="f-ext-note"
          required
          minLength={EXPLANATION_MIN}
          maxLength={500}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={props.busy}>
        {t('act.extendSubmit')}
      </button>
    </form>
  );
}

function ResolveForm(props: Props & { busy: boolean; onSubmit(customerNumber: string): void }) {
  const { t } = props;
  const [number, setNumber] = useState('');
  return (
    <form
      class="action"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(number.trim());
      }}
    >
      <h3>{t('act.resolve')}</h3>
      <p class="hint">{t('act.resolveHint')}</p>
      <div class="field">
        <label for="f-customer">{t('act.customerNumber')}</label>
        <input
          id="f-customer"
          required
          pattern="C-[0-9]{6}"
          placeholder="C-100234"
          value={number}
          onInput={(e) => setNumber(e.currentTarget.value)}
        />
      </div>
      <button type="submit" disabled={props.busy}>
        {t('act.resolveSubmit')}
      </button>
    </form>
  );
}
