import { describe, expect, it } from 'vitest';
import type { ActivityReport } from '../../../functions/core/connector.ts';
import { classify, inactivityCutoff, type Verdict } from '../../../functions/core/inactivity.ts';

const NOW = new Date('2026-11-25T09:00:00.000Z');

/** `NOW` moved back by years, months and days (UTC), as a report's ISO instant. */
const back = (years: number, months = 0, days = 0) =>
  new Date(
    Date.UTC(
      NOW.getUTCFullYear() - years,
      NOW.getUTCMonth() - months,
      NOW.getUTCDate() - days,
      NOW.getUTCHours(),
    ),
  ).toISOString();

const found = (lastActivityAt?: string, contractRunning = false): ActivityReport => ({
  kind: 'found',
  ...(lastActivityAt ? { lastActivityAt } : {}),
  contractRunning,
  emails: ['someone@example.be'],
});
const none: ActivityReport = { kind: 'not_found' };

describe('Retention sweep: who is inactive (P11, privacy statement section 7)', () => {
  const cases: {
    name: string;
    reports: ActivityReport[];
    open?: boolean;
    verdict: Verdict;
  }[] = [
    {
      name: 'active 2 years 11 months ago in one system',
      reports: [found(back(2, 11)), none],
      verdict: 'active',
    },
    {
      name: 'nothing for 3 years and 1 day anywhere',
      reports: [found(back(3, 0, 1)), none],
      verdict: 'inactive',
    },
    {
      name: 'old in one system, recent in another: the latest counts',
      reports: [found(back(5)), found(back(0, 2)), none],
      verdict: 'active',
    },
    {
      name: 'a running contract, whatever the dates say',
      reports: [found(back(6), true), found(back(4))],
      verdict: 'contract_running',
    },
    {
      name: 'inactive, but an access request is still open (EDPB Guidelines 01/2022)',
      reports: [found(back(3, 0, 1))],
      open: true,
      verdict: 'open_access_request',
    },
    {
      name: 'active and with an open access request: simply active',
      reports: [found(back(1))],
      open: true,
      verdict: 'active',
    },
    { name: 'records but no dated activity anywhere', reports: [found(), found()], verdict: 'undated' },
    { name: 'in no system at all', reports: [none, none], verdict: 'not_found' },
  ];

  for (const c of cases) {
    it(`classifies: ${c.name} → ${c.verdict}`, () => {
      // Prepare: the systems' reports (above)
      // Act
      const result = classify({ reports: c.reports, openAccessRequest: c.open ?? false }, NOW);
      // Assess
      expect(result.verdict).toBe(c.verdict);
    });
  }

  it('reports the latest activity over every system', () => {
    // Prepare: two systems, the later one in the second
    const reports = [found(back(5)), found(back(3, 2))];
    // Act
    const result = classify({ reports, openAccessRequest: false }, NOW);
    // Assess
    expect(result).toEqual({ verdict: 'inactive', lastActivityAt: back(3, 2) });
  });

  it('counts three calendar years back, 29 February becoming 28 February', () => {
    // Prepare, Act: cut-offs on an ordinary day and on a leap day
    const ordinary = inactivityCutoff(NOW);
    const leap = inactivityCutoff(new Date('2028-02-29T12:00:00Z'));
    // Assess
    expect(ordinary.toISOString()).toBe('2023-11-25T09:00:00.000Z');
    expect(leap.toISOString()).toBe('2025-02-28T12:00:00.000Z');
  });

  it('erases on the day three years have passed, not a day earlier', () => {
    // Prepare: last activity exactly three years ago, and a day later
    const exactly = classify({ reports: [found(back(3))], openAccessRequest: false }, NOW);
    const dayShort = classify({ reports: [found(back(3, 0, -1))], openAccessRequest: false }, NOW);
    // Assess
    expect(exactly.verdict).toBe('inactive');
    expect(dayShort.verdict).toBe('active');
  });
});
