// docs/PROMISES.md cannot go stale: it must be what docs/tools/promises.ts makes from the test names, every
// promise must have a test of `npm test` citing it, and every file named as keeping a promise must exist.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../../docs/tools/generate.ts';
import { citedTests, renderPromises, testFiles, untested } from '../../../docs/tools/promises.ts';
import { PROMISES } from '../../../docs/tools/promises-data.ts';
import { testTitles } from '../../../docs/tools/test-titles.ts';

describe('docs/PROMISES.md, generated from the test names', () => {
  it('is exactly what npm run docs makes from the test files today', () => {
    // Prepare: the committed page
    const committed = readFileSync(join(ROOT, 'docs', 'PROMISES.md'), 'utf8');
    // Act: generate it afresh
    const generated = renderPromises(ROOT);
    // Assess: equal; otherwise run `npm run docs` and commit
    expect(committed).toBe(generated);
  });

  it('has the eighteen promises of the privacy statement, in order, each cited by at least one test', () => {
    // Prepare: the cited tests of every test file npm test runs
    const cited = citedTests(ROOT);
    // Act: find the promises no test cites
    const missing = untested(cited);
    // Assess: P1..P18 in order, none without a test
    expect(PROMISES.map((p) => p.id)).toEqual(Array.from({ length: 18 }, (_, i) => `P${i + 1}`));
    expect(missing).toEqual([]);
  });

  it('fails a promise that no test names, and counts a test under a describe that names it', () => {
    // Prepare: a repository whose one test file cites P1 in a test and P2 in a describe
    const root = mkdtempSync(join(tmpdir(), 'promises-'));
    try {
      mkdirSync(join(root, 'test', 'unit'), { recursive: true });
      mkdirSync(join(root, 'test', 'faults'), { recursive: true });
      writeFileSync(
        join(root, 'test', 'unit', 'a.test.ts'),
        "describe('Rectification (P2)', () => {\n  it('applies it', () => {});\n  it('grants access (P1)', () => {});\n});\n",
      );
      writeFileSync(join(root, 'test', 'faults', 'b.test.ts'), "it('erases (P3)', () => {});\n");
      // Act: collect the cited tests and the promises left without one
      const cited = citedTests(root);
      const missing = untested(cited);
      // Assess: P1 once, P2 twice (both tests of its describe); P3 only in a fault suite npm test does not run
      expect(cited.get('P1')).toEqual([
        { file: 'test/unit/a.test.ts', path: ['Rectification (P2)', 'grants access (P1)'] },
      ]);
      expect(cited.get('P2')).toHaveLength(2);
      expect(missing).toEqual(PROMISES.map((p) => p.id).filter((id) => id !== 'P1' && id !== 'P2'));
      expect(testFiles(root)).toEqual(['test/unit/a.test.ts']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names, as the code keeping each promise, only files that exist', () => {
    // Prepare: every path of the hand-kept map
    const paths = PROMISES.flatMap((p) => p.code.map((file) => ({ id: p.id, file })));
    // Act: look for each
    const absent = paths.filter(({ file }) => !existsSync(join(ROOT, file)));
    // Assess: none absent, and every promise names some code
    expect(absent).toEqual([]);
    expect(PROMISES.filter((p) => p.code.length === 0)).toEqual([]);
  });
});

// A template-literal title as written, placeholder included.
const OUTER = `Outer \${'x'} (P5)`;

describe('Test titles read statically', () => {
  it('reads describe, it, test, it.each and template-literal titles past strings, comments and regular expressions', () => {
    // Prepare: a test file with the constructs that could mislead a scanner
    const src = [
      "import { describe, it } from 'vitest';",
      "const re = /it\\('(no)'/; // it('not a test')",
      "/* describe('not a describe', () => {}) */",
      `describe(\`${OUTER}\`, () => {`,
      "  it('one (P1)', () => { expect(a / b).toBe(1); const s = \"it('nested string')\"; });",
      "  describe('Inner', () => {",
      "    it.each([[1, 2]])('two %s', (n) => {});",
      '  });',
      "  test('three', { timeout: 5 }, async () => {});",
      '});',
      "it('after, at top level', () => {});",
      "expect(x).test('not a title');",
    ].join('\n');
    // Act: read its titles
    const titles = testTitles(src).map((t) => [t.kind, [...t.describes, t.title].join(' › ')]);
    // Assess: every real title with its describes, nothing from comments, strings or regular expressions
    expect(titles).toEqual([
      ['describe', OUTER],
      ['test', `${OUTER} › one (P1)`],
      ['describe', `${OUTER} › Inner`],
      ['test', `${OUTER} › Inner › two %s`],
      ['test', `${OUTER} › three`],
      ['test', 'after, at top level'],
    ]);
  });
});
