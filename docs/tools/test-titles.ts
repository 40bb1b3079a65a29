// Reads the titles of a vitest file statically: every describe/it/test call whose first argument is a string or
// template literal, with the titles of the describes around it. No TypeScript parser: a small scanner that knows
// strings, template literals, comments and regular expressions well enough to match a call's parentheses.

export interface TestTitle {
  /** The enclosing describe titles, outermost first. */
  describes: string[];
  title: string;
  kind: 'describe' | 'test';
}

type Literal = { text: string; end: number };

const CALL = /\b(describe|it|test)((?:\.(?:each|concurrent|sequential|only|skip|todo|fails))*)\s*(\()?/y;

/** The end (exclusive) of the string or template literal starting at `start`, and its text as written. */
function readLiteral(src: string, start: number): Literal {
  const quote = src[start];
  let text = '';
  let i = start + 1;
  while (i < src.length && src[i] !== quote) {
    if (src[i] === '\\') {
      text += escaped(src[i + 1] ?? '');
      i += 2;
    } else if (quote === '`' && src.startsWith('${', i)) {
      const end = skipBalanced(src, i + 1);
      text += src.slice(i, end);
      i = end;
    } else {
      text += src[i];
      i += 1;
    }
  }
  return { text, end: i + 1 };
}

function escaped(c: string): string {
  return c === 'n' ? '\n' : c === 't' ? '\t' : c;
}

const REGEX_BEFORE = new Set([...'(,=:[!&|?{};+-*%<>~^', '']);

/**
 * Where the string, template, comment or regular expression at `i` ends, or undefined when none starts there.
 * `last` is the previous significant character ('a' for a word or a closing bracket), which tells a regular
 * expression from a division.
 */
function skipInert(src: string, i: number, last: string): number | undefined {
  const c = src[i];
  if (c === "'" || c === '"' || c === '`') return readLiteral(src, i).end;
  if (src.startsWith('//', i)) {
    const nl = src.indexOf('\n', i);
    return nl === -1 ? src.length : nl;
  }
  if (src.startsWith('/*', i)) return src.indexOf('*/', i + 2) + 2;
  if (c === '/' && REGEX_BEFORE.has(last)) return skipRegex(src, i);
  return undefined;
}

const significant = (c: string, last: string) => (/\s/.test(c) ? last : /[\w$)\]]/.test(c) ? 'a' : c);

/** Skips whatever opens at `start` (a bracket) to just past its matching close. */
function skipBalanced(src: string, start: number): number {
  const close: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
  const stack: string[] = [];
  let i = start;
  let last = '';
  while (i < src.length) {
    const c = src[i] as string;
    const skipped = skipInert(src, i, last);
    if (skipped !== undefined) {
      i = skipped;
      last = 'a';
      continue;
    }
    if (c in close) stack.push(close[c] as string);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
    last = significant(c, last);
    i += 1;
  }
  return src.length;
}

function skipRegex(src: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < src.length && src[i] !== '\n') {
    const c = src[i];
    if (c === '\\') i += 1;
    else if (c === '[') inClass = true;
    else if (c === ']') inClass = false;
    else if (c === '/' && !inClass) return i + 1;
    i += 1;
  }
  return i;
}

/** Every describe and test title of a test file, in source order. */
export function testTitles(src: string): TestTitle[] {
  const found: TestTitle[] = [];
  const open: { title: string; end: number }[] = [];
  let i = 0;
  let last = '';
  while (i < src.length) {
    while (open.length > 0 && i >= (open[open.length - 1] as { end: number }).end) open.pop();
    const c = src[i] as string;
    const skipped = skipInert(src, i, last);
    if (skipped !== undefined) {
      i = skipped;
      last = 'a';
      continue;
    }
    CALL.lastIndex = i;
    const call = /[\w$.]/.test(src[i - 1] ?? '') ? null : CALL.exec(src);
    if (call) {
      const call0 = call[0];
      let at = i + call0.length;
      // `.each(table)(` : the title follows the second opening parenthesis.
      if (call[2]?.includes('each') && call[3]) {
        at = skipBalanced(src, at - 1);
        while (/\s/.test(src[at] ?? '')) at += 1;
        if (src[at] !== '(') {
          i = at;
          continue;
        }
        at += 1;
      } else if (!call[3]) {
        i += call0.length;
        last = 'a';
        continue;
      }
      const callStart = at - 1;
      while (/\s/.test(src[at] ?? '')) at += 1;
      const q = src[at];
      if (q === "'" || q === '"' || q === '`') {
        const literal = readLiteral(src, at);
        const kind = call[1] === 'describe' ? 'describe' : 'test';
        found.push({ describes: open.map((d) => d.title), title: literal.text, kind });
        if (kind === 'describe') open.push({ title: literal.text, end: skipBalanced(src, callStart) });
        i = literal.end;
        last = 'a';
        continue;
      }
      i = at;
      last = '(';
      continue;
    }
    last = significant(c, last);
    i += 1;
  }
  return found;
}
