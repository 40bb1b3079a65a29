// A request's page: what it is and when it is due, what each system did, who was told, the messages, and the
// audit trail with its hash chain verified. The actions (actions.tsx) sit beside it for the roles that may act.
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n.ts';
import { Actions } from './actions.tsx';
import type { AdminApi, AuditEntry, Outcome, RequestDetail } from './admin.ts';
import { allows, type Session } from './auth.ts';
import { type CT, formatDay, formatTime, labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';
import { DaysLeft } from './queue.tsx';
import { SubjectData } from './subject.tsx';

// While the workflow works, the page follows it, so staff watch a request complete without reloading.
const FOLLOW_MS = 1500;
// A check just recorded moves the request on to approval shortly after, so the page follows that too.
const moving = (r: RequestDetail) =>
  r.status === 'in_progress' ||
  (r.status === 'awaiting_identity_check' &&
    r.check?.pending === false &&
    !r.systems.some((s) => s.outcomes?.some((o) => o.kind === 'ambiguous')));

export function RequestView(props: PageProps & { api: AdminApi; session: Session; id: string }) {
  const { t, lang, api, id, heading } = props;
  const [r, setR] = useState<RequestDetail | undefined>();
  const load = () => api.request(id).then(setR, props.onError);
  useEffect(() => {
    setR(undefined);
    void load();
  }, [id]);
  useEffect(() => {
    if (!r || !moving(r)) return;
    const timer = setTimeout(() => void load(), FOLLOW_MS);
    return () => clearTimeout(timer);
  }, [r]);

  return (
    <section>
      <h1 ref={heading} tabIndex={-1}>
        {t('req.heading')} <span class="code">{id}</span>
      </h1>
      <p>
        <a href="#/">{t('req.back')}</a>
      </p>
      {!r && <p aria-live="polite">{t('loading')}</p>}
      {r && (
        <div class="columns">
          <div>
            <Summary t={t} lang={lang} r={r} />
            <Systems t={t} lang={lang} r={r} />
            <Notices t={t} lang={lang} r={r} />
            <Messages t={t} lang={lang} r={r} canPrint={allows(props.session, 'approver')} />
          </div>
          <div>
            <Actions {...props} r={r} onDone={load} />
            <SubjectData {...props} />
            <Timeline t={t} lang={lang} r={r} />
          </div>
        </div>
      )}
    </section>
  );
}

function Summary({ t, lang, r }: { t: CT; lang: Lang; r: RequestDetail }) {
  const extension = r.extension ?? r.extended;
  return (
    <>
      {r.delivery && !r.delivery.reachedAt && (
        <p class="alert-box" role="alert" data-undelivered={r.delivery.state}>
          {t('req.bounced', {
            state: labelOf(t, 'delivery', r.delivery.state),
            date: formatDay(lang, r.delivery.at),
          })}
        </p>
      )}
      {r.delivery?.reachedAt && (
        <p class="hint" data-reached={r.delivery.means ?? ''}>
          {t('req.reached', {
            state: labelOf(t, 'delivery', r.delivery.state),
            date: formatDay(lang, r.delivery.at),
          })}
        </p>
      )}
      <dl class="summary">
        <dt>{t('col.type')}</dt>
        <dd>{labelOf(t, 'type', r.type)}</dd>
        <dt>{t('col.status')}</dt>
        <dd data-status={r.status}>
          {labelOf(t, 'st', r.status)}
          {r.attention && <span class="badge">{labelOf(t, 'att', r.attention)}</span>}
        </dd>
        {r.channel && <dt>{t('col.channel')}</dt>}
        {r.channel && <dd>{labelOf(t, 'ch', r.channel)}</dd>}
        <dt>{t('col.received')}</dt>
        <dd>{formatDay(lang, r.receivedAt)}</dd>
        <dt>{t('col.due')}</dt>
        <dd>
          {formatDay(lang, r.dueAt)} <DaysLeft t={t} item={r} />
        </dd>
        {extension && <dt>{t('req.extended')}</dt>}
        {extension && (
          <dd data-extended={extension.reason}>
            {t('req.extendedText', {
              reason: labelOf(t, 'ext', extension.reason),
              date: formatDay(lang, extension.dueAt),
            })}
          </dd>
        )}
        {r.rejection && <dt>{t('req.rejection')}</dt>}
        {r.rejection && <dd data-rejection={r.rejection.reason}>{labelOf(t, 'rej', r.rejection.reason)}</dd>}
        {r.closedAt && <dt>{t('req.closed')}</dt>}
        {r.closedAt && <dd>{formatTime(lang, r.closedAt)}</dd>}
        {r.language && <dt>{t('req.language')}</dt>}
        {r.language && <dd>{r.language.toUpperCase()}</dd>}
        {r.answered !== undefined && <dt>{t('req.answered')}</dt>}
        {r.answered !== undefined && (
          <dd data-answered={String(r.answered)}>{t(r.answered ? 'req.answeredYes' : 'req.answeredNo')}</dd>
        )}
        {r.answerBy && <dt>{t('req.answerBy')}</dt>}
        {r.answerBy && <dd>{labelOf(t, 'answer', r.answerBy)}</dd>}
        {r.representation && <dt>{t('req.representation')}</dt>}
        {r.representation && (
          <dd>
            {labelOf(t, 'rel', r.representation.relation)}
            {r.representation.checkedAt
              ? ` · ${t('req.authorityChecked', { date: formatDay(lang, r.representation.checkedAt) })}`
              : ` · ${t('req.authorityPending')}`}
          </dd>
        )}
      </dl>
    </>
  );
}

/** One outcome in words: counts, categories, grounds and dates, never the data. */
export function outcomeText(t: CT, lang: Lang, o: Outcome): string {
  const v = (name: string) => String(o[name] ?? '');
  const list = (name: string) => (Array.isArray(o[name]) ? (o[name] as unknown[]).join(', ') : '');
  switch (o.kind) {
    case 'retained':
      return t('out.retained', {
        records: v('records'),
        category: v('category'),
        ground: labelOf(t, 'ground', v('ground')),
        until: o.until ? formatDay(lang, v('until')) : '',
      });
    case 'failed':
      return t('out.failed', { reason: v('reason') });
    case 'exported':
      return t('out.exported', {
        records: v('records'),
        files: String((o.files as unknown[] | undefined)?.length ?? 0),
      });
    case 'rectified':
      return t('out.rectified', { records: v('records'), category: v('category'), fields: list('fields') });
    case 'suppressed':
      return t('out.suppressed', { lists: list('lists') });
    case 'withdrawn':
    case 'objected':
      return t(`out.${o.kind}`, {
        records: v('records'),
        category: v('category'),
        purposes: list('purposes'),
      });
    default:
      return t(`out.${o.kind}` as never, {
        records: v('records'),
        category: v('category'),
        customers: v('customers'),
        reason: v('reason'),
      });
  }
}

function Systems({ t, lang, r }: { t: CT; lang: Lang; r: RequestDetail }) {
  if (r.systems.length === 0) return null;
  return (
    <>
      <h2>{t('req.systems')}</h2>
      <ul class="systems">
        {r.systems.map((s) => (
          <li key={s.system} data-system={s.system} data-state={s.state}>
            <strong>{s.system}</strong> <span class={`state ${s.state}`}>{labelOf(t, 'sys', s.state)}</span>
            {s.outcomes && s.outcomes.length > 0 && (
              <ul>
                {s.outcomes.map((o, i) => (
                  <li key={i} data-outcome={o.kind}>
                    {outcomeText(t, lang, o)}
                  </li>
                ))}
              </ul>
            )}
            {s.waiting === 'owner' && <p class="hint">{t('req.waitingOwner')}</p>}
            {s.recheck && (
              <p class="hint">
                {t(s.recheck.agrees ? 'req.recheckAgrees' : 'req.recheckDisagrees', {
                  live: String(s.recheck.live),
                })}
              </p>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

function Notices({ t, lang, r }: { t: CT; lang: Lang; r: RequestDetail }) {
  if (!r.notices?.length) return null;
  return (
    <>
      <h2>{t('req.recipients')}</h2>
      <ul class="plain">
        {r.notices.map((n) => (
          <li key={n.recipientId + n.event} data-recipient={n.recipientId}>
            <strong>{n.recipient}</strong> ({labelOf(t, 'kind', n.kind)}) ·{' '}
            {n.acknowledgedAt
              ? t('req.acknowledged', { date: formatTime(lang, n.acknowledgedAt) })
              : t('req.notAcknowledged', { attempts: String(n.attempts) })}
          </li>
        ))}
      </ul>
    </>
  );
}

function Messages({ t, lang, r, canPrint }: { t: CT; lang: Lang; r: RequestDetail; canPrint: boolean }) {
  const letters = r.letters ?? [];
  if (!r.messages?.length && !letters.length) return null;
  return (
    <>
      <h2>{t('req.messages')}</h2>
      <ul class="plain">
        {(r.messages ?? []).map((m) => (
          <li key={m.id} data-delivery={m.delivery}>
            {formatTime(lang, m.at)} · {labelOf(t, 'msg', m.kind)} · {labelOf(t, 'to', m.to)} ·{' '}
            <span class={m.delivery === 'sent' ? '' : 'alert-text'}>
              {labelOf(t, 'delivery', m.delivery)}
            </span>
          </li>
        ))}
        {letters.map((l) => (
          <li key={l.id} data-letter={l.kind}>
            {formatTime(lang, l.at)} · {t('req.letter')} · {labelOf(t, 'msg', l.kind)}
            {canPrint && (
              <>
                {' · '}
                <a
                  href={`#/requests/${encodeURIComponent(r.id)}/letters/${encodeURIComponent(l.id)}`}
                  aria-label={t('req.printLetter', { kind: labelOf(t, 'msg', l.kind) })}
                >
                  {t('letter.print')}
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}

const detailText = (details: Record<string, unknown> | undefined) =>
  Object.entries(details ?? {})
    .filter(([, v]) => v !== undefined && v !== null && typeof v !== 'object')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');

function Timeline({ t, lang, r }: { t: CT; lang: Lang; r: RequestDetail }) {
  const entries: AuditEntry[] = r.audit ?? [];
  const chain = r.chain;
  return (
    <>
      <h2>{t('req.timeline')}</h2>
      <p
        class={chain ? (chain.intact ? 'chain intact' : 'chain broken') : 'chain unknown'}
        data-chain={chain ? String(chain.intact) : 'unknown'}
      >
        {chain
          ? chain.intact
            ? t('chain.intact', { n: String(chain.entries) })
            : t('chain.broken', { at: String(chain.brokenAt ?? '?') })
          : t('chain.unknown')}
      </p>
      <ol class="timeline">
        {entries.map((e) => (
          <li
            key={e.seq}
            data-action={e.action}
            class={
              chain && !chain.intact && chain.brokenAt !== undefined && e.seq >= chain.brokenAt
                ? 'suspect'
                : ''
            }
          >
            <time dateTime={e.at}>{formatTime(lang, e.at)}</time>{' '}
            <strong>{labelOf(t, 'audit', e.action)}</strong> <span class="actor">{e.actor}</span>
            {detailText(e.details) && <span class="details">{detailText(e.details)}</span>}
          </li>
        ))}
      </ol>
    </>
  );
}
