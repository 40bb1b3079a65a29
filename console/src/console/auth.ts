// Staff sign-in. Locally: the console's own form, POST /console/login. On AWS: Cognito's hosted login with the
// authorization-code flow and PKCE (RFC 7636, S256). Either way the ID token is kept in this tab only
// (sessionStorage) and sent as the Bearer token; the role read from it only hides what the server refuses anyway.
import { call } from '../api.ts';

export type Role = 'viewer' | 'approver' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, approver: 2, admin: 3 };

export type Config =
  | { auth: 'local' }
  | { auth: 'cognito'; domain: string; clientId: string; redirectUri: string; logoutUri: string };

export interface Session {
  token: string;
  role: Role;
  name: string;
  /** seconds since the epoch */
  exp: number;
}

const TOKEN = 'jsm.console.idToken';
const PKCE = 'jsm.console.pkce';

/** The API's root, from the page's own address: "/" locally, "/v1/" under the stage on AWS. */
export const apiBase = () =>
  new URL(location.pathname.replace(/console(\/.*)?$/, ''), location.origin).toString();

export const loadConfig = () => call<Config>('GET', 'console/config.json', undefined, undefined, apiBase());

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

function claimsOf(token: string): Record<string, unknown> | undefined {
  try {
    const part = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(part)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** The highest of the token's groups, as the server ranks them. */
export function roleOf(claims: Record<string, unknown>): Role | undefined {
  const groups = claims['cognito:groups'];
  const list = Array.isArray(groups) ? groups.map(String) : [];
  return list.filter((g): g is Role => g in RANK).sort((a, b) => RANK[b] - RANK[a])[0];
}

export const allows = (session: Session, needed: Role) => RANK[session.role] >= RANK[needed];

/** The signed-in staff member of this tab, while the token has not expired. */
export function currentSession(): Session | undefined {
  const token = sessionStorage.getItem(TOKEN);
  const claims = token ? claimsOf(token) : undefined;
  const role = claims ? roleOf(claims) : undefined;
  const exp = Number(claims?.exp ?? 0);
  if (!token || !claims || !role || exp * 1000 <= Date.now()) return undefined;
  const name = String(claims['cognito:username'] ?? claims.email ?? claims.sub ?? '');
  return { token, role, name, exp };
}

export async function localSignIn(username: string, password: string): Promise<void> {
  const answer = await call<{ idToken: string }>(
    'POST',
    'console/login',
    { username, password },
    undefined,
    apiBase(),
  );
  sessionStorage.setItem(TOKEN, answer.idToken);
}

/** Sends the browser to the hosted login with a fresh PKCE verifier and state, kept in this tab. */
export async function startHostedSignIn(config: Extract<Config, { auth: 'cognito' }>): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  sessionStorage.setItem(PKCE, JSON.stringify({ verifier, state }));
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: 'openid email',
    state,
    code_challenge: base64url(new Uint8Array(digest)),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * Back from the hosted login with `?code&state`: checks the state against this tab's, exchanges the code with
 * the verifier, keeps the ID token, and takes the code out of the address bar. Answers whether it signed in.
 */
export async function finishHostedSignIn(config: Extract<Config, { auth: 'cognito' }>): Promise<boolean> {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  if (!code) return false;
  const stored = JSON.parse(sessionStorage.getItem(PKCE) ?? '{}') as { verifier?: string; state?: string };
  sessionStorage.removeItem(PKCE);
  history.replaceState(null, '', location.pathname + location.hash);
  if (!stored.verifier || !stored.state || params.get('state') !== stored.state) throw new Error('state');
  const res = await fetch(new URL('/oauth2/token', config.domain), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code,
      redirect_uri: config.redirectUri,
      code_verifier: stored.verifier,
    }),
  });
  if (!res.ok) throw new Error('token');
  const tokens = (await res.json()) as { id_token?: string };
  if (!tokens.id_token) throw new Error('token');
  sessionStorage.setItem(TOKEN, tokens.id_token);
  return true;
}

export function signOut(config: Config | undefined): void {
  sessionStorage.removeItem(TOKEN);
  if (config?.auth === 'cognito') {
    const url = new URL('/logout', config.domain);
    url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.logoutUri }).toString();
    location.assign(url.toString());
  }
}
