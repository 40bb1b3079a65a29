// Sends notices to recipients' endpoints (P13) over HTTPS: JSON body, `Idempotency-Key` header so the receiver
// records a repeat once. Only a 2xx answer with `{"acknowledged":true}` counts as an acknowledgement; anything
// else (an error status, no answer in time, a refused connection) leaves the notice unacknowledged under the
// name of what happened, never a message or body that could hold personal data.
import type { NoticeBody, Notifier } from '../core/notifications.ts';

export interface HttpNotifierOptions {
  /** how long to wait for an answer; below the caller's own timeout (API route 10 s, workflow task 50 s) */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A notifier over fetch. */
export function httpNotifier(options: HttpNotifierOptions = {}): Notifier {
  const timeoutMs = options.timeoutMs ?? 8000;
  const doFetch = options.fetch ?? fetch;
  return {
    async send(url: string, idempotencyKey: string, body: NoticeBody) {
      try {
        const res = await doFetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'idempotency-key': idempotencyKey,
            'user-agent': 'jsm-privacy-rights/1 (notices)',
          },
          body: JSON.stringify(body),
          // A redirect could carry the body to another host than the register names.
          redirect: 'error',
          signal: AbortSignal.timeout(timeoutMs),
        });
        if (!res.ok) {
          await res.body?.cancel();
          return { acknowledged: false, error: `HTTP${res.status}` };
        }
        const answer = (await res.json().catch(() => undefined)) as { acknowledged?: unknown } | undefined;
        return answer?.acknowledged === true
          ? { acknowledged: true }
          : { acknowledged: false, error: 'NotAcknowledged' };
      } catch (error) {
        return { acknowledged: false, error: errorName(error) };
      }
    },
  };
}

// fetch reports network faults as TypeError with the system error's code in `cause` (ECONNREFUSED, ENOTFOUND).
function errorName(error: unknown): string {
  const e = error as { name?: unknown; cause?: { code?: unknown } } | undefined;
  const code = e?.cause?.code;
  if (typeof code === 'string' && /^[A-Z_]+$/.test(code)) return code;
  return typeof e?.name === 'string' && /^\w+$/.test(e.name) ? e.name : 'Error';
}
