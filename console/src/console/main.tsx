// The staff console (issue 9): sign-in, the queue, a request's page with its actions, and the dashboard. The hash
// is the route (#/, #/requests/{id}, #/dashboard), so the page is one static file on S3 as well as locally.
import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { browserLanguage, LANGUAGES, type Lang } from '../i18n.ts';
import { adminApi } from './admin.ts';
import {
  allows,
  type Config,
  currentSession,
  finishHostedSignIn,
  loadConfig,
  type Session,
  signOut,
} from './auth.ts';
import { DashboardView } from './dashboard.tsx';
import { type CKey, type CT, consoleTranslator, errorText } from './i18n.ts';
import { LetterView } from './letter.tsx';
import { QueueView } from './queue.tsx';
import { RegisterView } from './register.tsx';
import { RequestView } from './request.tsx';
import { SignIn } from './sign-in.tsx';
import './console.css';

type Route =
  | { kind: 'queue' }
  | { kind: 'request'; id: string }
  | { kind: 'letter'; id: string; letterId: string }
  | { kind: 'register' }
  | { kind: 'dashboard' };

function routeOf(hash: string): Route {
  const letter = /^#\/requests\/([^/?#]+)\/letters\/([^/?#]+)/.exec(hash);
  if (letter?.[1] && letter[2])
    return { kind: 'letter', id: decodeURIComponent(letter[1]), letterId: decodeURIComponent(letter[2]) };
  if (hash.startsWith('#/register')) return { kind: 'register' };
  const request = /^#\/requests\/([^/?#]+)/.exec(hash);
  if (request?.[1]) return { kind: 'request', id: decodeURIComponent(request[1]) };
  if (hash.startsWith('#/dashboard')) return { kind: 'dashboard' };
  return { kind: 'queue' };
}

function App() {
  const [lang, setLang] = useState<Lang>(browserLanguage);
  const [config, setConfig] = useState<Config | undefined>();
  const [session, setSession] = useState<Session | undefined>(currentSession);
  const [route, setRoute] = useState<Route>(() => routeOf(location.hash));
  const [error, setError] = useState<string | undefined>();
  const heading = useRef<HTMLHeadingElement>(null);
  const t = consoleTranslator(lang);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('title');
  }, [lang]);
  useEffect(() => {
    const onHash = () => {
      setError(undefined);
      setRoute(routeOf(location.hash));
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    loadConfig().then(
      async (c) => {
        setConfig(c);
        if (c.auth !== 'cognito') return;
        try {
          if (await finishHostedSignIn(c)) setSession(currentSession());
        } catch {
          setError(t('err.sign-in-failed'));
        }
      },
      (e: unknown) => setError(errorText(t, e)),
    );
  }, []);
  // A new page moves the focus to its heading, for keyboard and screen-reader users.
  useEffect(() => heading.current?.focus(), [route, session?.token]);

  const onError = (e: unknown) => {
    // An expired or refused token signs the tab out; the server is the judge, not the clock.
    if ((e as { problem?: { status?: number } }).problem?.status === 401) {
      signOut(undefined);
      setSession(undefined);
    }
    setError(errorText(t, e));
  };
  const clear = () => setError(undefined);
  const api = session ? adminApi(session.token) : undefined;
  const props = { t, lang, onError, clear, heading };

  return (
    <>
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header>
        <p class="brand">{t('title')}</p>
        {session && (
          <nav aria-label={t('nav.label')}>
            <a href="#/" aria-current={route.kind === 'queue' ? 'page' : undefined}>
              {t('nav.queue')}
            </a>
            {allows(session, 'approver') && (
              <a href="#/register" aria-current={route.kind === 'register' ? 'page' : undefined}>
                {t('nav.register')}
              </a>
            )}
            <a href="#/dashboard" aria-current={route.kind === 'dashboard' ? 'page' : undefined}>
              {t('nav.dashboard')}
            </a>
          </nav>
        )}
        <nav aria-label={t('language')}>
          {LANGUAGES.map((l) => (
            <button type="button" key={l} lang={l} aria-pressed={l === lang} onClick={() => setLang(l)}>
              {l.toUpperCase()}
            </button>
          ))}
        </nav>
        {session && (
          <p class="who">
            <span>{t('signedInAs', { name: session.name, role: t(`role.${session.role}` as CKey) })}</span>{' '}
            <button
              type="button"
              class="secondary"
              onClick={() => {
                signOut(config);
                setSession(undefined);
              }}
            >
              {t('signOut')}
            </button>
          </p>
        )}
      </header>
      <main id="main">
        <div role="alert" class={error ? 'error' : 'error empty'}>
          {error ?? ''}
        </div>
        {!session && (
          <SignIn
            {...props}
            config={config}
            onSignedIn={() => {
              clear();
              setSession(currentSession());
            }}
          />
        )}
        {session && api && route.kind === 'queue' && <QueueView {...props} api={api} />}
        {session && api && route.kind === 'request' && (
          <RequestView {...props} api={api} session={session} id={route.id} />
        )}
        {session && api && route.kind === 'letter' && (
          <LetterView {...props} api={api} id={route.id} letterId={route.letterId} />
        )}
        {session && api && route.kind === 'register' && (
          <RegisterView {...props} api={api} session={session} />
        )}
        {session && api && route.kind === 'dashboard' && <DashboardView {...props} api={api} />}
      </main>
    </>
  );
}

/** What every page gets from the shell. */
export interface PageProps {
  t: CT;
  lang: Lang;
  onError(e: unknown): void;
  clear(): void;
  heading: { current: HTMLHeadingElement | null };
}

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<App />, root);
}
