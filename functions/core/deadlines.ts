// Deadlines per PROMISES P9. Periods follow Reg. 1182/71: the day of receipt is not counted, a period ends at
// the end of its last day, and a month ends on the same date next month or that month's last day.
// Days are Brussels calendar days, since the controller and its customers are in Belgium.

const ZONE = 'Europe/Brussels';
const DAY_MS = 86_400_000;

interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

// One formatter, made once: the wall-clock fields of an instant in Brussels.
const BRUSSELS = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

function brusselsParts(instant: Date): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of BRUSSELS.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

function brusselsDate(instant: Date): CalendarDate {
  const parts = brusselsParts(instant);
  return { year: parts.year ?? 0, month: parts.month ?? 0, day: parts.day ?? 0 };
}

/** Offset of Brussels from UTC at an instant, in milliseconds. */
function brusselsOffsetMs(instant: Date): number {
  const local = brusselsParts(instant);
  const asUtc = Date.UTC(
    local.year ?? 0,
    (local.month ?? 1) - 1,
    local.day ?? 1,
    local.hour,
    local.minute,
    local.second,
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The last millisecond of a Brussels calendar day, as an instant. */
function endOfBrusselsDay(date: CalendarDate): Date {
  const nextMidnightUtc = Date.UTC(date.year, date.month - 1, date.day + 1);
  const offset = brusselsOffsetMs(new Date(nextMidnightUtc));
  return new Date(nextMidnightUtc - offset - 1);
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function addMonths(date: CalendarDate, months: number): CalendarDate {
  const index = date.year * 12 + (date.month - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { year, month, day: Math.min(date.day, lastDay) };
}

/** Due date of an answer: the earlier of receipt + 30 days and receipt + one calendar month (P9). */
export function dueDate(receivedAt: Date): Date {
  const received = brusselsDate(receivedAt);
  const byPolicy = endOfBrusselsDay(addDays(received, 30));
  const byGdpr = endOfBrusselsDay(addMonths(received, 1));
  return new Date(Math.min(byPolicy.getTime(), byGdpr.getTime()));
}

/** The latest a request may be extended to: receipt + three months (Art. 12(3)). */
export function maxExtendedDueDate(receivedAt: Date): Date {
  return endOfBrusselsDay(addMonths(brusselsDate(receivedAt), 3));
}

/** The end of a Brussels calendar day written `YYYY-MM-DD`: a due date staff name as a day (P9). */
export function endOfDay(isoDate: string): Date {
  const [year, month, day] = isoDate.split('-').map(Number);
  return endOfBrusselsDay({ year: year ?? 0, month: month ?? 0, day: day ?? 0 });
}

/** The Brussels calendar day of an instant, `YYYY-MM-DD`. */
export function brusselsDay(instant: Date): string {
  const { year, month, day } = brusselsDate(instant);
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

const dayNumber = (d: CalendarDate) => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS;

/** Brussels calendar days from one instant to another: 0 on the same day, negative when `to` is earlier. */
export function calendarDaysBetween(from: Date, to: Date): number {
  return dayNumber(brusselsDate(to)) - dayNumber(brusselsDate(from));
}

/** The Monday (`YYYY-MM-DD`) of the ISO week an instant falls in, in Brussels. */
export function isoWeekOf(instant: Date): string {
  const d = brusselsDate(instant);
  const weekday = (new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.year, d.month - 1, d.day - weekday)).toISOString().slice(0, 10);
}
