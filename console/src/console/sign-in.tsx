// Sign-in: the local users' form, or a button to Cognito's hosted login on AWS (auth.ts does the PKCE flow).
import { useState } from 'preact/hooks';
import { type Config, localSignIn, startHostedSignIn } from './auth.ts';
import type { PageProps } from './main.tsx';

export function SignIn(props: PageProps & { config: Config | undefined; onSignedIn(): void }) {
  const { t, config, heading } = props;
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    props.clear();
    try {
      await localSignIn(username.trim(), password);
      props.onSignedIn();
    } catch (error) {
      props.onError(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="narrow">
      <h1 ref={heading} tabIndex={-1}>
        {t('signIn.heading')}
      </h1>
      {config?.auth === 'cognito' && (
        <button type="button" onClick={() => void startHostedSignIn(config)}>
          {t('signIn.hosted')}
        </button>
      )}
      {config?.auth === 'local' && (
        <form onSubmit={submit}>
          <p class="hint">{t('signIn.local')}</p>
          <div class="field">
            <label for="f-user">{t('signIn.username')}</label>
            <input
              id="f-user"
              autocomplete="username"
              required
              value={username}
              onInput={(e) => setUsername(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="f-password">{t('signIn.password')}</label>
            <input
              id="f-password"
              type="password"
              autocomplete="current-password"
              required
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
          </div>
          <button type="submit" disabled={busy}>
            {t('signIn.submit')}
          </button>
        </form>
      )}
    </section>
  );
}
