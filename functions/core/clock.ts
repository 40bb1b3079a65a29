// The runtime's clock. On AWS it is the system clock; the local runtime and tests may start it at a
// chosen instant (CLOCK_START, ISO 8601) from which it runs on at normal speed.
const startedAt = Date.now();

/** The current instant, honouring CLOCK_START. */
export function now(): Date {
  const start = process.env.CLOCK_START;
  if (!start) return new Date();
  const base = Date.parse(start);
  if (Number.isNaN(base)) throw new Error('CLOCK_START is not an ISO 8601 instant');
  return new Date(base + (Date.now() - startedAt));
}
