// Reading rendered HTML in tests as a reader would.

/** The text of escaped HTML: the five entities the templates write, decoded (`&amp;` last, so nothing decodes twice). */
export const unescapeHtml = (html: string) =>
  html
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
