// "Show personal data": only for approvers, only on demand, and each opening is an audit entry (P15).
import { useEffect, useState } from 'preact/hooks';
import type { AdminApi } from './admin.ts';
import { allows, type Session } from './auth.ts';
import { labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';

const flatten = (value: unknown, prefix = ''): [string, string][] =>
  value && typeof value === 'object'
    ? Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
        flatten(v, prefix ? `${prefix}.${k}` : k),
      )
    : value === undefined || value === null
      ? []
      : [[prefix, String(value)]];

export function SubjectData(props: PageProps & { api: AdminApi; session: Session; id: string }) {
  const { t, api, session, id } = props;
  const [data, setData] = useState<Record<string, unknown> | undefined>();
  useEffect(() => setData(undefined), [id]);
  if (!allows(session, 'approver')) return null;
  return (
    <section class="subject" aria-labelledby="subject-h">
      <h2 id="subject-h">{t('subject.heading')}</h2>
      {!data && (
        <>
          <p class="hint">{t('subject.hint')}</p>
          <button
            type="button"
            class="secondary"
            onClick={() => void api.subject(id).then(setData, props.onError)}
          >
            {t('subject.show')}
          </button>
        </>
      )}
      {data && (
        <>
          <dl class="summary">
            {flatten(data).map(([k, v]) => [
              <dt key={`t${k}`}>{labelOf(t, 'field', k)}</dt>,
              <dd key={`d${k}`}>{v}</dd>,
            ])}
          </dl>
          <button type="button" class="secondary" onClick={() => setData(undefined)}>
            {t('subject.hide')}
          </button>
        </>
      )}
    </section>
  );
}
