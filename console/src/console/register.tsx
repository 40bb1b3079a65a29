// Register a request received by letter or e-mail (P4), or made by someone for the subject (P12): the centre's own
// request form (forms.tsx) for the type and its fields, with what only staff know: the channel, the real receipt
// date (the period counts from it, P9), the postal address, and who acts for the subject.
import { useState } from 'preact/hooks';
import { type Draft, RequestForm } from '../forms.tsx';
import { type Key, LANGUAGES, type Lang, translator } from '../i18n.ts';
import type { AdminApi } from './admin.ts';
import { allows, type Session } from './auth.ts';
import { type CKey, labelOf } from './i18n.ts';
import type { PageProps } from './main.tsx';

const RELATIONS = ['parent', 'guardian', 'representative'];

/** The centre's form speaks to the subject; on the console a few of its texts speak to staff instead. */
const STAFF_WORDING: Partial<Record<Key, CKey>> = {
  'file.type': 'reg.type',
  'file.email': 'reg.email',
  'file.emailHint': 'reg.emailHint',
  'file.submit': 'reg.submit',
};

/** Midnight at the start of that day in Brussels (winter time): a receipt of today is never in the future. */
const receiptMoment = (day: string) => `${day}T00:00:00+01:00`;

type Fields = Record<string, string>;

export function RegisterView(props: PageProps & { api: AdminApi; session: Session }) {
  const { t, lang, api, session, heading } = props;
  const [subjectLang, setSubjectLang] = useState<Lang>(lang);
  const [f, setF] = useState<Fields>({ channel: 'letter' });
  const [busy, setBusy] = useState(false);
  const [invalid, setInvalid] = useState<string | undefined>();
  const centre = translator(lang);
  const formT = (key: Key, values?: Record<string, string>) => {
    const own = STAFF_WORDING[key];
    return own ? t(own, values) : centre(key, values);
  };
  const set = (name: string) => (e: Event) =>
    setF({ ...f, [name]: (e.currentTarget as HTMLInputElement).value });
  const value = (name: string) => f[name]?.trim() ?? '';

  const submit = async (draft: Draft) => {
    props.clear();
    setInvalid(undefined);
    const representative = f.someoneElse
      ? {
          relation: value('relation'),
          name: value('repName'),
          ...(value('repEmail') ? { email: value('repEmail') } : {}),
          ...(value('repAddress') ? { postalAddress: value('repAddress') } : {}),
        }
      : undefined;
    const body = {
      ...draft.body,
      channel: value('channel'),
      receivedAt: receiptMoment(value('receivedAt')),
      ...(value('postalAddress') ? { postalAddress: value('postalAddress') } : {}),
      ...(representative ? { representative } : {}),
    };
    setBusy(true);
    try {
      const filed = await api.register(body);
      location.hash = `#/requests/${encodeURIComponent(filed.id)}`;
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!allows(session, 'approver')) return <p>{t('err.forbidden')}</p>;
  const input = (name: string, label: CKey, type: 'text' | 'email' = 'text', required = false) => (
    <div class="field">
      <label for={`r-${name}`}>{t(label)}</label>
      <input
        id={`r-${name}`}
        type={type as 'text'}
        required={required}
        value={f[name] ?? ''}
        onInput={set(name)}
      />
    </div>
  );
  const address = (name: string, label: CKey) => (
    <div class="field">
      <label for={`r-${name}`}>{t(label)}</label>
      <textarea
        id={`r-${name}`}
        aria-describedby="r-address-hint"
        value={f[name] ?? ''}
        onInput={set(name)}
      />
    </div>
  );

  return (
    <section class="narrow-form">
      <h1 ref={heading} tabIndex={-1}>
        {t('reg.heading')}
      </h1>
      <p class="hint">{t('reg.intro')}</p>
      <p role="alert" class={invalid ? 'error' : 'error empty'}>
        {invalid ?? ''}
      </p>
      <RequestForm
        t={formT}
        lang={subjectLang}
        busy={busy}
        emailOptional
        onSubmit={(d) => void submit(d)}
        onInvalid={(key) => setInvalid(centre(key))}
      >
        <fieldset>
          <legend>{t('reg.receipt')}</legend>
          <div class="field">
            <label for="r-channel">{t('reg.channel')}</label>
            <select id="r-channel" required value={f.channel} onChange={set('channel')}>
              <option value="letter">{labelOf(t, 'ch', 'letter')}</option>
              <option value="email">{labelOf(t, 'ch', 'email')}</option>
            </select>
          </div>
          <div class="field">
            <label for="r-receivedAt">{t('reg.receivedAt')}</label>
            <input
              id="r-receivedAt"
              type="date"
              required
              aria-describedby="r-receivedAt-hint"
              value={f.receivedAt ?? ''}
              onInput={set('receivedAt')}
            />
            <p id="r-receivedAt-hint" class="hint">
              {t('reg.receivedAtHint')}
            </p>
          </div>
          <div class="field">
            <label for="r-language">{t('reg.language')}</label>
            <select
              id="r-language"
              value={subjectLang}
              onChange={(e) => setSubjectLang(e.currentTarget.value as Lang)}
            >
              {LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`lang.${l}` as CKey)}
                </option>
              ))}
            </select>
          </div>
          {address('postalAddress', 'reg.postalAddress')}
          <p id="r-address-hint" class="hint">
            {t('reg.addressHint')}
          </p>
        </fieldset>
        <fieldset>
          <legend>{t('reg.someoneElseLegend')}</legend>
          <div class="choice">
            <input
              type="checkbox"
              id="r-someoneElse"
              checked={Boolean(f.someoneElse)}
              onChange={(e) => setF({ ...f, someoneElse: e.currentTarget.checked ? 'yes' : '' })}
            />
            <label for="r-someoneElse">{t('reg.someoneElse')}</label>
          </div>
          {f.someoneElse && (
            <>
              <div class="field">
                <label for="r-relation">{t('reg.relation')}</label>
                <select id="r-relation" required value={f.relation ?? ''} onChange={set('relation')}>
                  <option value="">{t('act.choose')}</option>
                  {RELATIONS.map((r) => (
                    <option key={r} value={r}>
                      {labelOf(t, 'rel', r)}
                    </option>
                  ))}
                </select>
              </div>
              {input('repName', 'reg.repName', 'text', true)}
              {input('repEmail', 'reg.repEmail', 'email')}
              {address('repAddress', 'reg.repAddress')}
              <p class="hint">{t('reg.repHint')}</p>
            </>
          )}
        </fieldset>
      </RequestForm>
    </section>
  );
}
