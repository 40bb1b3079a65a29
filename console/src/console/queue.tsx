// The queue: every request with its deadline, overdue first by default, filtered and paged by the API's cursor.
// The list carries no personal data; a request's page is one click (or Enter) away.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Lang } from '../i18n.ts';
import type { AdminApi, QueueItem, QueueQuery } from './admin.ts';
import { type CT, formatDay, labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';

export const STATUSES = [
  'awaiting_verification',
  'awaiting_identity_check',
  'awaiting_approval',
  'in_progress',
  'completed',
  'partially_completed',
  'rejected',
  'expired',
];
export const TYPES = ['access', 'portability', 'rectification', 'erasure', 'objection'];
const CHANNELS = ['web', 'email', 'letter'];
export const FINAL = ['completed', 'rejected', 'expired'];
const DAY = 86_400_000;

/** Days left as the API counts them, or from the due date when it does not say. */
export const daysLeftOf = (r: { dueAt: string; daysLeft?: number }) =>
  r.daysLeft ?? Math.ceil((Date.parse(r.dueAt) - Date.now()) / DAY);

/** The days left, in words and in the colour of their urgency (the words carry it too, not the colour alone). */
export function DaysLeft({ t, item }: { t: CT; item: { status: string; dueAt: string; daysLeft?: number } }) {
  if (FINAL.includes(item.status)) return <span class="days closed">—</span>;
  const days = daysLeftOf(item);
  const tone = days < 0 ? 'overdue' : days <= 7 ? 'soon' : 'ok';
  const text =
    days < 0
      ? t('days.overdue', { n: String(-days) })
      : days === 0
        ? t('days.today')
        : t(days === 1 ? 'days.one' : 'days.left', { n: String(days) });
  return (
    <span class={`days ${tone}`} data-days={days}>
      {text}
    </span>
  );
}

function Select(props: {
  id: string;
  label: string;
  value: string | undefined;
  options: [string, string][];
  onChange(v: string): void;
}) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} value={props.value ?? ''} onChange={(e) => props.onChange(e.currentTarget.value)}>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </select>
    </div>
  );
}

export function QueueView(props: PageProps & { api: AdminApi }) {
  const { t, lang, api, heading } = props;
  const [filter, setFilter] = useState<QueueQuery>({ order: 'due' });
  const [search, setSearch] = useState('');
  // The cursors of the pages before this one, so "previous" goes back without the API keeping state.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ items: QueueItem[]; cursor?: string } | undefined>();

  const cursor = cursors[cursors.length - 1];
  useEffect(() => {
    props.clear();
    setPage(undefined);
    // A search by number finds the request whatever its state; the due-date order lists open ones only.
    const query = filter.id ? { ...filter, order: undefined } : filter;
    api.queue({ ...query, cursor }).then(setPage, props.onError);
  }, [JSON.stringify(filter), cursor]);

  const change = (name: keyof QueueQuery) => (value: string) => {
    setCursors([undefined]);
    setFilter({ ...filter, [name]: value || undefined });
  };
  const all = (prefix: string, codes: string[]): [string, string][] => [
    ['', t('filter.all')],
    ...codes.map((c): [string, string] => [c, labelOf(t, prefix, c)]),
  ];

  return (
    <section>
      <h1 ref={heading} tabIndex={-1}>
        {t('queue.heading')}
      </h1>
      <form
        class="filters"
        aria-label={t('queue.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          change('id')(search.trim());
        }}
      >
        <Select
          id="q-status"
          label={t('filter.status')}
          value={filter.status}
          options={all('st', STATUSES)}
          onChange={change('status')}
        />
        <Select
          id="q-type"
          label={t('filter.type')}
          value={filter.type}
          options={all('type', TYPES)}
          onChange={change('type')}
        />
        <Select
          id="q-channel"
          label={t('filter.channel')}
          value={filter.channel}
          options={all('ch', CHANNELS)}
          onChange={change('channel')}
        />
        <Select
          id="q-order"
          label={t('filter.order')}
          value={filter.order}
          options={[
            ['due', t('order.due')],
            ['', t('order.received')],
          ]}
          onChange={change('order')}
        />
        <div class="choice">
          <input
            type="checkbox"
            id="q-attention"
            checked={filter.attention === 'needs_action'}
            onChange={(e) => change('attention')(e.currentTarget.checked ? 'needs_action' : '')}
          />
          <label for="q-attention">{t('filter.needsAction')}</label>
        </div>
        <div class="field search">
          <label for="q-id">{t('filter.id')}</label>
          <input
            id="q-id"
            value={search}
            placeholder="r_…"
            onInput={(e) => setSearch(e.currentTarget.value)}
          />
        </div>
        <button type="submit">{t('filter.search')}</button>
      </form>
      {!page && <p aria-live="polite">{t('loading')}</p>}
      {page && page.items.length === 0 && <p>{t('queue.empty')}</p>}
      {page && page.items.length > 0 && <QueueTable t={t} lang={lang} items={page.items} />}
      <nav class="pager" aria-label={t('queue.paging')}>
        <button
          type="button"
          class="secondary"
          disabled={cursors.length < 2}
          onClick={() => setCursors(cursors.slice(0, -1))}
        >
          {t('queue.previous')}
        </button>
        <button
          type="button"
          class="secondary"
          disabled={!page?.cursor}
          onClick={() => setCursors([...cursors, page?.cursor])}
        >
          {t('queue.next')}
        </button>
      </nav>
    </section>
  );
}

/** A table that scrolls sideways on a phone instead of the page; focusable, so the keyboard can scroll it. */
export function Scroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls sideways must take the focus
    <section class="scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

function QueueTable({ t, lang, items }: { t: CT; lang: Lang; items: QueueItem[] }) {
  return (
    <Scroll label={t('queue.heading')}>
      <table class="queue">
        <thead>
          <tr>
            <th scope="col">{t('col.id')}</th>
            <th scope="col">{t('col.type')}</th>
            <th scope="col">{t('col.status')}</th>
            <th scope="col">{t('col.channel')}</th>
            <th scope="col">{t('col.received')}</th>
            <th scope="col">{t('col.due')}</th>
            <th scope="col">{t('col.daysLeft')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((r) => (
            <tr key={r.id} data-id={r.id} data-status={r.status}>
              <td class="code">
                <a href={`#/requests/${encodeURIComponent(r.id)}`}>{r.id}</a>
              </td>
              <td>{labelOf(t, 'type', r.type)}</td>
              <td>
                {labelOf(t, 'st', r.status)}
                {r.attention && (
                  <span
                    class={r.attention === 'undeliverable' ? 'badge alert' : 'badge'}
                    data-attention={r.attention}
                  >
                    {labelOf(t, 'att', r.attention)}
                  </span>
                )}
                {r.bounced && r.attention !== 'undeliverable' && (
                  <span class="badge alert" data-attention="undeliverable">
                    {t('queue.bounced')}
                  </span>
                )}
              </td>
              <td>{labelOf(t, 'ch', r.channel)}</td>
              <td>{formatDay(lang, r.receivedAt)}</td>
              <td>{formatDay(lang, r.dueAt)}</td>
              <td>
                <DaysLeft t={t} item={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}
