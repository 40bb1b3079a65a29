import { describe, expect, it } from 'vitest';
import {
  calendarDaysBetween,
  dueDate,
  endOfDay,
  isoWeekOf,
  maxExtendedDueDate,
} from '../../../functions/core/deadlines.ts';

// Due dates are the end of a Brussels calendar day; these helpers read them back as Brussels dates.
const brusselsDay = (d: Date) =>
  new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', dateStyle: 'short' }).format(d);

describe('Deadlines (P9)', () => {
  it('gives receipt + 30 days when that is earlier than one calendar month', () => {
    // Prepare: received 10 January; +30 days = 9 February, +1 month = 10 February.
    const received = new Date('2026-01-10T09:00:00Z');
    // Act: compute the due date
    const due = dueDate(received);
    // Assess: the earlier, 9 February
    expect(brusselsDay(due)).toBe('2026-02-09');
  });

  it('gives the last day of February for a request received on 31 January (month is shorter than 30 days)', () => {
    // Act: compute the due date for 31 January, in 2026 and in the leap year 2028
    // Assess: the last day of February
    expect(brusselsDay(dueDate(new Date('2026-01-31T12:00:00Z')))).toBe('2026-02-28');
    expect(brusselsDay(dueDate(new Date('2028-01-31T12:00:00Z')))).toBe('2028-02-29');
  });

  it('gives the same date next month when a month is shorter than 30 days from receipt', () => {
    // Act: compute the due date for 1 February 2026: +1 month = 1 March, +30 days = 3 March.
    // Assess: the earlier, 1 March
    expect(brusselsDay(dueDate(new Date('2026-02-01T08:00:00Z')))).toBe('2026-03-01');
  });

  it('counts in Brussels days, so a request just after midnight Brussels time belongs to that day', () => {
    // Act: compute the due date for 23:30 UTC on 14 March, which is 00:30 on 15 March in Brussels.
    // Assess: counted from 15 March: 14 April
    expect(brusselsDay(dueDate(new Date('2026-03-14T23:30:00Z')))).toBe('2026-04-14');
  });

  it('ends the period at the very end of the last day', () => {
    // Act: compute the due date of a request received 10 June
    const due = dueDate(new Date('2026-06-10T10:00:00Z'));
    // Assess: Brussels is UTC+2 in summer: the end of 10 July is 21:59:59.999 UTC.
    expect(due.toISOString()).toBe('2026-07-10T21:59:59.999Z');
  });

  it('allows extension to at most receipt + three months', () => {
    // Act: compute the latest extended due date for 30 November
    // Assess: three months on, clipped to the end of February
    expect(brusselsDay(maxExtendedDueDate(new Date('2026-11-30T10:00:00Z')))).toBe('2027-02-28');
  });
});

// Each row: why, the instant of receipt, and the due day worked out by hand (the earlier of +30 days and +1 month,
// Reg. 1182/71: the same date next month, or that month's last day).
const MONTH_ENDS: [string, string, string][] = [
  ['31 January: +1 month is 28 February, before +30 days (2 March)', '2026-01-31T12:00:00Z', '2026-02-28'],
  [
    '30 January: +1 month clips to 28 February, before +30 days (1 March)',
    '2026-01-30T12:00:00Z',
    '2026-02-28',
  ],
  ['29 March: +30 days is 28 April, before +1 month (29 April)', '2026-03-29T10:00:00Z', '2026-04-28'],
  ['30 March: +30 days is 29 April', '2026-03-30T10:00:00Z', '2026-04-29'],
  ['31 March: +30 days and +1 month (clipped) meet on 30 April', '2026-03-31T10:00:00Z', '2026-04-30'],
  ['29 May: +30 days is 28 June', '2026-05-29T10:00:00Z', '2026-06-28'],
  ['30 May: +30 days is 29 June', '2026-05-30T10:00:00Z', '2026-06-29'],
  ['31 May: +30 days and +1 month (clipped) meet on 30 June', '2026-05-31T10:00:00Z', '2026-06-30'],
  ['29 August: +30 days is 28 September', '2026-08-29T10:00:00Z', '2026-09-28'],
  ['30 August: +30 days is 29 September', '2026-08-30T10:00:00Z', '2026-09-29'],
  ['31 August: +30 days and +1 month (clipped) meet on 30 September', '2026-08-31T10:00:00Z', '2026-09-30'],
  ['29 October: +30 days is 28 November', '2026-10-29T10:00:00Z', '2026-11-28'],
  ['30 October: +30 days is 29 November', '2026-10-30T10:00:00Z', '2026-11-29'],
  ['31 October: +30 days and +1 month (clipped) meet on 30 November', '2026-10-31T10:00:00Z', '2026-11-30'],
  ['31 December: +30 days is 30 January of the next year', '2026-12-31T10:00:00Z', '2027-01-30'],
];

const LEAP_YEARS_AND_FEBRUARY: [string, string, string][] = [
  ['31 January 2028 (leap year): 29 February', '2028-01-31T12:00:00Z', '2028-02-29'],
  [
    '30 January 2028: +30 days and +1 month (clipped) meet on 29 February',
    '2028-01-30T12:00:00Z',
    '2028-02-29',
  ],
  ['29 January 2027: +1 month clips to 28 February, with +30 days', '2027-01-29T12:00:00Z', '2027-02-28'],
  [
    '29 February 2028: +1 month is 29 March, before +30 days (30 March)',
    '2028-02-29T10:00:00Z',
    '2028-03-29',
  ],
  [
    '28 February 2026: +1 month is 28 March, before +30 days (30 March)',
    '2026-02-28T10:00:00Z',
    '2026-03-28',
  ],
  [
    '28 February 2028: +1 month is 28 March, before +30 days (29 March)',
    '2028-02-28T10:00:00Z',
    '2028-03-28',
  ],
  [
    '15 February 2026: +1 month is 15 March, before +30 days (17 March)',
    '2026-02-15T10:00:00Z',
    '2026-03-15',
  ],
  ['1 February 2028: +1 month is 1 March, before +30 days (2 March)', '2028-02-01T10:00:00Z', '2028-03-01'],
];

// Brussels moves to summer time on the last Sunday of March (29 March 2026, 02:00 → 03:00) and back on the last
// Sunday of October (25 October 2026, 03:00 → 02:00). Each row: receipt, the Brussels wall clock then, the due
// instant (the end of the due day in the offset of that day).
const DAYLIGHT_SAVING: [string, string, string][] = [
  ['Saturday 28 March, 23:30 (UTC+1)', '2026-03-28T22:30:00Z', '2026-04-27T21:59:59.999Z'],
  ['Sunday 29 March, 00:30, before the change (UTC+1)', '2026-03-28T23:30:00Z', '2026-04-28T21:59:59.999Z'],
  [
    'Sunday 29 March, 03:30, just after the change (UTC+2)',
    '2026-03-29T01:30:00Z',
    '2026-04-28T21:59:59.999Z',
  ],
  ['Sunday 29 March, 23:30 (UTC+2)', '2026-03-29T21:30:00Z', '2026-04-28T21:59:59.999Z'],
  ['Saturday 24 October, 23:30 (UTC+2)', '2026-10-24T21:30:00Z', '2026-11-23T22:59:59.999Z'],
  ['Sunday 25 October, 00:30 (UTC+2)', '2026-10-24T22:30:00Z', '2026-11-24T22:59:59.999Z'],
  ['Sunday 25 October, the first 02:30 (UTC+2)', '2026-10-25T00:30:00Z', '2026-11-24T22:59:59.999Z'],
  ['Sunday 25 October, the second 02:30 (UTC+1)', '2026-10-25T01:30:00Z', '2026-11-24T22:59:59.999Z'],
  ['Sunday 25 October, 23:30 (UTC+1)', '2026-10-25T22:30:00Z', '2026-11-24T22:59:59.999Z'],
  [
    '25 September, due on the Sunday clocks go back: its end is 23:59:59.999 UTC+1',
    '2026-09-25T10:00:00Z',
    '2026-10-25T22:59:59.999Z',
  ],
];

// Each row: receipt, the latest extended due instant (receipt + three months, the end of that Brussels day).
const EXTENSION_CAP: [string, string, string][] = [
  ['30 November 2026: clipped to 28 February 2027', '2026-11-30T10:00:00Z', '2027-02-28T22:59:59.999Z'],
  [
    '30 November 2027: clipped to 29 February 2028 (leap year)',
    '2027-11-30T10:00:00Z',
    '2028-02-29T22:59:59.999Z',
  ],
  ['31 January: clipped to 30 April', '2026-01-31T10:00:00Z', '2026-04-30T21:59:59.999Z'],
  ['31 March: clipped to 30 June', '2026-03-31T10:00:00Z', '2026-06-30T21:59:59.999Z'],
  ['31 May: 31 August', '2026-05-31T10:00:00Z', '2026-08-31T21:59:59.999Z'],
  ['31 August: clipped to 30 November (winter time)', '2026-08-31T10:00:00Z', '2026-11-30T22:59:59.999Z'],
  [
    '29 December: 29 March, the day clocks go forward (UTC+2 at its end)',
    '2025-12-29T10:00:00Z',
    '2026-03-29T21:59:59.999Z',
  ],
  [
    '25 July: 25 October, the day clocks go back (UTC+1 at its end)',
    '2026-07-25T10:00:00Z',
    '2026-10-25T22:59:59.999Z',
  ],
  [
    '28 March, 23:30 Brussels: counted from 28 March, so 28 June',
    '2026-03-28T22:30:00Z',
    '2026-06-28T21:59:59.999Z',
  ],
];

describe('Deadlines by table (P9, Art. 12(3), Reg. 1182/71)', () => {
  it.each(MONTH_ENDS)('around month ends: %s', (_why, received, due) => {
    // Prepare: the instant of receipt
    const at = new Date(received);
    // Act: compute the due date
    const day = brusselsDay(dueDate(at));
    // Assess: the day worked out by hand
    expect(day).toBe(due);
  });

  it.each(LEAP_YEARS_AND_FEBRUARY)('in February and leap years: %s', (_why, received, due) => {
    // Prepare: the instant of receipt
    const at = new Date(received);
    // Act: compute the due date
    const day = brusselsDay(dueDate(at));
    // Assess: the day worked out by hand
    expect(day).toBe(due);
  });

  it.each(DAYLIGHT_SAVING)(
    'across daylight saving in Europe/Brussels: received %s',
    (_when, received, due) => {
      // Prepare: the instant of receipt
      const at = new Date(received);
      // Act: compute the due date
      const instant = dueDate(at).toISOString();
      // Assess: the last millisecond of the due day, in that day's offset
      expect(instant).toBe(due);
    },
  );

  it.each(EXTENSION_CAP)('caps an extension at receipt + three months: %s', (_why, received, latest) => {
    // Prepare: the instant of receipt
    const at = new Date(received);
    // Act: compute the latest extended due date
    const instant = maxExtendedDueDate(at).toISOString();
    // Assess: the end of that Brussels day
    expect(instant).toBe(latest);
  });

  it.each([
    ['2026-03-29', '2026-03-29T21:59:59.999Z'],
    ['2026-03-28', '2026-03-28T22:59:59.999Z'],
    ['2026-10-25', '2026-10-25T22:59:59.999Z'],
    ['2026-10-24', '2026-10-24T21:59:59.999Z'],
    ['2028-02-29', '2028-02-29T22:59:59.999Z'],
  ])('ends a day staff name (%s) at its last Brussels millisecond', (day, end) => {
    // Act: the end of the named day
    const instant = endOfDay(day).toISOString();
    // Assess: 23:59:59.999 in Brussels, whatever the offset that day
    expect(instant).toBe(end);
  });

  it.each([
    ['the same Brussels day', '2026-03-02T08:00:00Z', '2026-03-02T22:59:59.999Z', 0],
    ['the next Brussels day, though under 24 hours later', '2026-03-02T22:30:00Z', '2026-03-03T08:00:00Z', 1],
    ['a due date passed yesterday', '2026-03-04T09:00:00Z', '2026-03-03T22:59:59.999Z', -1],
    ['across the switch to summer time', '2026-03-28T12:00:00Z', '2026-03-30T12:00:00Z', 2],
  ])('counts calendar days in Brussels for days left (%s) (P9)', (_why, from, to, days) => {
    // Act
    const n = calendarDaysBetween(new Date(from), new Date(to));
    // Assess
    expect(n).toBe(days);
  });

  it.each([
    ['a Wednesday', '2026-03-04T12:00:00Z', '2026-03-02'],
    ['Sunday 23:30 in Brussels', '2026-03-08T22:30:00Z', '2026-03-02'],
    ['Monday 00:30 in Brussels, still Sunday in UTC', '2026-03-08T23:30:00Z', '2026-03-09'],
    ['an ISO week across New Year', '2027-01-01T12:00:00Z', '2026-12-28'],
  ])('finds the Monday of the ISO week for %s (P9)', (_why, at, monday) => {
    // Act
    const week = isoWeekOf(new Date(at));
    // Assess
    expect(week).toBe(monday);
  });
});
