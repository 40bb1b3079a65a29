// The staff console as the browser tests drive it: sign in as a local staff user, open a request's page, and find
// an action in its audit timeline with the hash chain shown intact (P15).
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { LOCAL_STAFF } from '../../local/staff-users.ts';

export interface ConsolePage {
  /** Signs in on the console's own form as one of the local staff users; lands on the queue. */
  signIn(username: keyof typeof LOCAL_STAFF.users & string): Promise<void>;
  openRequest(id: string): Promise<void>;
  statusShown(): Promise<string | null>;
  /** The action is in the page's timeline, and the chain is not shown broken (P15). */
  expectInTimeline(action: string): Promise<void>;
}

/** The helpers over the test file's page and runtime, both made in its beforeAll (hence the getters). */
export function consolePage(pageOf: () => Page, apiUrl: () => string): ConsolePage {
  const p = () => pageOf();
  return {
    async signIn(username) {
      await p().goto(`${apiUrl()}/console/`);
      await p().evaluate('sessionStorage.clear()');
      await p().reload();
      await p().getByLabel('User name').fill(username);
      await p().getByLabel('Password').fill(LOCAL_STAFF.password);
      await p().getByRole('button', { name: 'Sign in', exact: true }).click();
      await p().getByRole('heading', { name: 'Requests' }).waitFor();
    },
    async openRequest(id) {
      await p().goto(`${apiUrl()}/console/#/requests/${id}`);
      await p().locator('dd[data-status]').waitFor();
    },
    statusShown: () => p().locator('dd[data-status]').getAttribute('data-status'),
    async expectInTimeline(action) {
      await p().reload();
      await p().locator(`ol.timeline li[data-action="${action}"]`).first().waitFor();
      expect(await p().locator('[data-chain]').getAttribute('data-chain')).not.toBe('false');
    },
  };
}
