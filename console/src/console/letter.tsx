// A printable letter (P4): fetched with the staff token (a link cannot carry it) and shown in a frame of its own, so
// the letter keeps its own print style sheet (/assets/letter.css) apart from the console's. The frame's document is
// srcdoc: same origin, under the console's CSP, which lets the letter's style sheet in and no script at all.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AdminApi } from './admin.ts';
import { apiBase } from './auth.ts';
import type { PageProps } from './main.tsx';

/**
 * The letter with its style sheet taken from this console's own origin: the letter names the API's public address,
 * which may be another host name for the same server (localhost and 127.0.0.1), and the CSP allows 'self' only.
 */
function framed(html: string): string {
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const link of doc.querySelectorAll('link[rel="stylesheet"]')) {
    const href = link.getAttribute('href') ?? '';
    if (href.endsWith('/assets/letter.css'))
      link.setAttribute('href', new URL('assets/letter.css', apiBase()).href);
  }
  return `<!doctype html>${doc.documentElement.outerHTML}`;
}

export function LetterView(props: PageProps & { api: AdminApi; id: string; letterId: string }) {
  const { t, api, id, letterId, heading } = props;
  const [html, setHtml] = useState<string | undefined>();
  const frame = useRef<HTMLIFrameElement>(null);
  useEffect(() => {
    setHtml(undefined);
    api.letter(id, letterId).then((h) => setHtml(framed(h)), props.onError);
  }, [id, letterId]);

  return (
    <section class="letter-view">
      <h1 ref={heading} tabIndex={-1}>
        {t('letter.heading')} <span class="code">{id}</span>
      </h1>
      <p class="letter-tools">
        <a href={`#/requests/${encodeURIComponent(id)}`}>{t('letter.back')}</a>{' '}
        <button type="button" disabled={!html} onClick={() => frame.current?.contentWindow?.print()}>
          {t('letter.print')}
        </button>
      </p>
      {!html && <p aria-live="polite">{t('loading')}</p>}
      {html && <iframe ref={frame} class="letter-frame" title={t('letter.frame')} srcdoc={html} />}
    </section>
  );
}
