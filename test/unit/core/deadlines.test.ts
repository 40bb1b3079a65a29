import { describe, expect, it } from 'vitest';
import { dueDate, maxExtendedDueDate } from '../../../functions/core/deadlines.ts';

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
