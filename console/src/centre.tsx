// The privacy centre (P4, P18): file a request, enter the code, follow it with the status token.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, fileRequest, type Progress, progress, verify } from './api.ts';
import { type Draft, RequestForm } from './forms.tsx';
import { browserLanguage, formatDate, type Key, LANGUAGES, type Lang, type T, translator } from './i18n.ts';
import '../styles.css';

type View =
  | { kind: 'file' }
  | { kind: 'verify'; id: string; organisation?: string; newEmail?: boolean }
  | { kind: 'follow' }
  | { kind: 'status'; id: string; token: string; fresh: boolean };

const errorKey = (e: unknown): Key => {
  const slug = e instanceof ApiError ? e.problem.slug : 'unknown';
  const known: Key[] = [
    'err.invalid-request',
    'err.invalid-code',
    'err.code-expired',
    'err.verification-failed',
    'err.invalid-status-token',
    'err.rate-limited',
    'err.already-verified',
    'err.request-closed',
    'err.network',
  ];
  return known.find((k) => k === `err.${slug}`) ?? 'err.unknown';
};

function App() {
  const [lang, setLang] = useState<Lang>(browserLanguage);
  const [view, setView] = useState<View>({ kind: 'file' });
  const [error, setError] = useState<Key | undefined>();
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const t = translator(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
  }, [lang]);
  // A new step moves the focus to its heading, so keyboard and screen-reader users start there.
  useEffect(() => heading.current?.focus(), [view.kind]);

  const go = (next: View) => {
    setError(undefined);
    setView(next);
  };
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (e) {
      setError(errorKey(e));
    } finally {
      setBusy(false);
    }
  };
  const file = (draft: Draft) =>
    run(async () => {
      const filed = await fileRequest(draft.body);
      go({ kind: 'verify', id: filed.id, organisation: draft.organisation });
    });

  return (
    <>
      <header>
        <p class="brand">{t('title')}</p>
        <nav aria-label={t('language')}>
          {LANGUAGES.map((l) => (
            <button type="button" key={l} lang={l} aria-pressed={l === lang} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </button>
          ))}
        </nav>
      </header>
      <main>
        <p>{t('intro')}</p>
        <nav class="tabs" aria-label={t('title')}>
          <button type="button" aria-pressed={view.kind === 'file'} onClick={() => go({ kind: 'file' })}>
            {t('nav.file')}
          </button>
          <button type="button" aria-pressed={view.kind === 'follow'} onClick={() => go({ kind: 'follow' })}>
            {t('nav.follow')}
          </button>
        </nav>
        <div role="alert" class={error ? 'error' : 'error empty'}>
          {error ? t(error) : ''}
        </div>
        {view.kind === 'file' && (
          <section>
            <h1 ref={heading} tabIndex={-1}>
              {t('file.heading')}
            </h1>
            <RequestForm t={t} lang={lang} busy={busy} onSubmit={file} onInvalid={setError} />
          </section>
        )}
        {view.kind === 'verify' && (
          <section>
            <h1 ref={heading} tabIndex={-1}>
              {t('verify.heading')}
            </h1>
            <VerifyForm
              t={t}
              busy={busy}
              view={view}
              onSubmit={(code, confirm) =>
                run(async () => {
                  const answer = await verify(view.id, code, confirm);
                  if (answer.confirmNewEmail) go({ ...view, newEmail: true });
                  else go({ kind: 'status', id: view.id, token: answer.statusToken, fresh: true });
                })
              }
            />
          </section>
        )}
        {view.kind === 'follow' && (
          <section>
            <h1 ref={heading} tabIndex={-1}>
              {t('follow.heading')}
            </h1>
            <FollowForm
              t={t}
              busy={busy}
              onSubmit={(id, token) => go({ kind: 'status', id, token, fresh: false })}
            />
          </section>
        )}
        {view.kind === 'status' && (
          <section>
            <h1 ref={heading} tabIndex={-1}>
              {t('status.heading')}
            </h1>
            <StatusView t={t} lang={lang} view={view} onError={setError} />
          </section>
        )}
      </main>
    </>
  );
}

function VerifyForm(props: {
  t: T;
  busy: boolean;
  view: Extract<View, { kind: 'verify' }>;
  onSubmit(code: string, confirmTransfer: boolean): void;
}) {
  const { t, view } = props;
  const [code, setCode] = useState('');
  const [confirm, setConfirm] = useState(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(code.trim(), confirm);
      }}
    >
      <p>{t(view.newEmail ? 'verify.newEmail' : 'verify.sent')}</p>
      <div class="field">
        <label for="f-code">{t('verify.code')}</label>
        <input
          id="f-code"
          inputMode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9]{8}"
          maxLength={8}
          required
          value={code}
          onInput={(e) => setCode(e.currentTarget.value)}
        />
      </div>
      {view.organisation && !view.newEmail && (
        <div class="choice">
          <input
            type="checkbox"
            id="f-confirm"
            required
            checked={confirm}
            onChange={(e) => setConfirm(e.currentTarget.checked)}
          />
          <label for="f-confirm">{t('verify.confirmTransfer', { organisation: view.organisation })}</label>
        </div>
      )}
      <button type="submit" disabled={props.busy}>
        {t('verify.submit')}
      </button>
    </form>
  );
}

function FollowForm(props: { t: T; busy: boolean; onSubmit(id: string, token: string): void }) {
  const { t } = props;
  const [id, setId] = useState('');
  const [token, setToken] = useState('');
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit(id.trim(), token.trim());
      }}
    >
      <div class="field">
        <label for="f-id">{t('follow.id')}</label>
        <input id="f-id" required value={id} onInput={(e) => setId(e.currentTarget.value)} />
      </div>
      <div class="field">
        <label for="f-token">{t('follow.token')}</label>
        <input id="f-token" required value={token} onInput={(e) => setToken(e.currentTarget.value)} />
      </div>
      <button type="submit" disabled={props.busy}>
        {t('follow.submit')}
      </button>
    </form>
  );
}

function StatusView(props: {
  t: T;
  lang: Lang;
  view: Extract<View, { kind: 'status' }>;
  onError(key: Key): void;
}) {
  const { t, lang, view } = props;
  const [p, setP] = useState<Progress | undefined>();
  const load = () => progress(view.id, view.token).then(setP, (e: unknown) => props.onError(errorKey(e)));
  useEffect(() => {
    void load();
  }, [view.id, view.token]);
  const done = p?.systems.filter((s) => s.state !== 'pending').length ?? 0;
  const open = p && !['completed', 'rejected', 'expired'].includes(p.status);
  return (
    <>
      {view.fresh && <p>{t('status.keep')}</p>}
      <dl>
        <dt>{t('status.id')}</dt>
        <dd class="code">{view.id}</dd>
        {view.fresh && <dt>{t('status.token')}</dt>}
        {view.fresh && <dd class="code">{view.token}</dd>}
        {p && <dt>{t('status.type')}</dt>}
        {p && <dd>{t(`type.${p.type}` as Key)}</dd>}
        {p && <dt>{t('status.status')}</dt>}
        {p && <dd data-status={p.status}>{t(`st.${p.status}` as Key)}</dd>}
        {p && <dt>{t('status.received')}</dt>}
        {p && <dd>{formatDate(lang, p.receivedAt)}</dd>}
        {p && <dt>{t('status.due')}</dt>}
        {p && <dd>{formatDate(lang, p.dueAt)}</dd>}
      </dl>
      {p?.extended && (
        <p>
          {t('status.extended', {
            date: formatDate(lang, p.extended.dueAt),
            reason: t(`ext.${p.extended.reason}` as Key),
          })}
        </p>
      )}
      {open && p.systems.length > 0 && (
        <p>{t('status.pending', { done: String(done), total: String(p.systems.length) })}</p>
      )}
      {p && ['access', 'portability'].includes(p.type) && open && !p.download && (
        <p>{t('status.download')}</p>
      )}
      {p?.download && <Downloads t={t} lang={lang} download={p.download} />}
      <button type="button" onClick={() => void load()}>
        {t('status.refresh')}
      </button>
    </>
  );
}

/** The outcome mail's links (P1, P7): the files, the readable overview of an access request, and their end date. */
function Downloads(props: { t: T; lang: Lang; download: NonNullable<Progress['download']> }) {
  const { t, download } = props;
  return (
    <div class="downloads">
      <p>
        <a href={download.url} rel="noreferrer">
          {t('status.downloadFiles')}
        </a>
      </p>
      {download.reportUrl && (
        <p>
          <a href={download.reportUrl} rel="noreferrer">
            {t('status.downloadReport')}
          </a>
        </p>
      )}
      <p>{t('status.downloadUntil', { date: formatDate(props.lang, download.expiresAt) })}</p>
    </div>
  );
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
