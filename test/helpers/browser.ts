// Debian's Chromium driven by playwright-core for the browser tests, and an axe-core check of the page shown.
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';

/** Flags for a closed network: nothing phones home, no GPU. */
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: FLAGS });

export interface Violation {
  id: string;
  impact: string | null;
  nodes: number;
}

/** The page's serious and critical WCAG violations, as axe-core finds them. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  // Evaluated through the DevTools protocol, so the page's CSP (no inline script) stays as it is served.
  await page.evaluate(axe.source);
  const all = (await page.evaluate(
    'axe.run(document, { resultTypes: ["violations"] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })))',
  )) as Violation[];
  return all.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
