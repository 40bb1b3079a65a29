// Node's setTimeout holds at most 2^31-1 ms (about 24.8 days) and fires after 1 ms beyond that, while Step
// Functions waits up to a year. Every long wait of the local runtime goes through these helpers.

/** The longest delay one setTimeout can hold. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  cancel(): void;
}

/** Like setTimeout, for any delay: chains timers of at most `capMs` until the deadline is reached. */
export function setLongTimeout(callback: () => void, delayMs: number, capMs = MAX_TIMER_MS): LongTimer {
  const deadline = Date.now() + Math.max(0, delayMs);
  let handle: NodeJS.Timeout | undefined;
  let cancelled = false;
  const arm = () => {
    const remaining = deadline - Date.now();
    if (remaining > capMs) {
      handle = setTimeout(arm, capMs);
    } else {
      handle = setTimeout(
        () => {
          if (!cancelled) callback();
        },
        Math.max(0, remaining),
      );
    }
  };
  arm();
  return {
    cancel() {
      cancelled = true;
      if (handle) clearTimeout(handle);
    },
  };
}
