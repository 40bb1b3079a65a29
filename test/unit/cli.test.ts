// The dsr command's parts that need no API: argument checks, bodies from flags and CSV, output, exit codes (P4, P15).
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseChanges, requestBody } from '../../cli/bodies.ts';
import { ask, csvBodies } from '../../cli/commands/staff.ts';
import { CliError, EXIT, exitForStatus, problemMessage } from '../../cli/errors.ts';
import { fields, type Io, table } from '../../cli/output.ts';
import { run } from '../../cli/program.ts';

/** An Io that keeps what was printed. */
function captured() {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false };
  return { io, out: () => out.join(''), err: () => err.join('') };
}

describe('dsr exit codes and messages (P15)', () => {
  it('maps API statuses to the documented codes: 404 → 3, 401/403 → 4, 400 → 2, others → 1', () => {
    // Act
    const codes = [404, 401, 403, 400, 409, 422, 500].map(exitForStatus);
    // Assess
    expect(codes).toEqual([3, 4, 4, 2, 1, 1, 1]);
  });

  it("states a problem's title, detail and first field in one line", () => {
    // Act
    const line = problemMessage(400, {
      title: 'Invalid request',
      detail: 'Not a request id',
      errors: [{ path: 'id', message: 'Not a request id' }],
    });
    // Assess
    expect(line).toBe('Invalid request: Not a request id (id)');
    expect(problemMessage(502, undefined)).toBe('HTTP 502');
  });

  it('exits 2 without calling anything for a missing argument, a bad id or an unknown option', async () => {
    // Prepare
    const cases = [['approve'], ['approve', 'r_short'], ['list', '--frob'], ['wait', 'x'], []];
    // Act
    const results = [];
    for (const args of cases) {
      const c = captured();
      results.push({ code: await run(args, { io: c.io, env: {} }), err: c.err() });
    }
    // Assess: usage every time, and no stack trace in what was said
    expect(results.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    for (const r of results) expect(r.err).not.toMatch(/\n\s+at /);
    expect(results[1]?.err).toContain('Not a request id');
  });

  it('exits 0 for --help and --version, and 4 for a staff command without a token', async () => {
    // Prepare
    const help = captured();
    const version = captured();
    const nobody = captured();
    // Act
    const codes = [
      await run(['--help'], { io: help.io, env: {} }),
      await run(['--version'], { io: version.io, env: {} }),
      await run(['approve', 'r_0000000000000000000000'], {
        io: nobody.io,
        env: { DSR_CONFIG_DIR: '/nonexistent' },
      }),
    ];
    // Assess
    expect(codes).toEqual([0, 0, 4]);
    expect(help.out()).toContain('Exit codes: 0 done, 1 failed, 2 usage, 3 not found, 4 forbidden');
    expect(nobody.err()).toContain('dsr login');
  });

  it('refuses an --endpoint that is not an http(s) URL as a usage error', async () => {
    // Prepare
    const c = captured();
    // Act
    const code = await run(['--endpoint', 'ftp://x', 'list'], { io: c.io, env: {} });
    // Assess
    expect(code).toBe(EXIT.usage);
    expect(c.err()).toContain('--endpoint');
  });
});

describe('dsr request bodies, checked with the API schemas before sending (P4)', () => {
  it('builds a rectification from --change pairs and an objection from a scope list', () => {
    // Act
    const rect = requestBody({
      type: 'rectification',
      email: 'an@example.be',
      changes: ['firstName=Ann', 'phone= +32 470 00 00 00'],
    });
    const obj = requestBody({
      type: 'objection',
      email: 'an@example.be',
      scope: 'direct_marketing, profiling',
    });
    // Assess
    expect(rect).toEqual({
      type: 'rectification',
      email: 'an@example.be',
      changes: { firstName: 'Ann', phone: '+32 470 00 00 00' },
    });
    expect(obj.scope).toEqual(['direct_marketing', 'profiling']);
  });

  it('refuses a change without a field name as a usage error', () => {
    // Act / Assess
    expect(() => parseChanges('=Ann')).toThrow(CliError);
    expect(parseChanges('firstName=An;lastName=De Vos')).toEqual({ firstName: 'An', lastName: 'De Vos' });
  });

  it('reads a registration CSV into bodies and names the first bad line, counting the header as line 1', () => {
    // Prepare
    const good =
      'type,language,channel,receivedAt,postalAddress\naccess,nl,letter,2026-11-20T10:00:00Z,"Kerkstraat 1, 8500 Kortrijk"\n';
    const bad = `${good}erasure,xx,letter,2026-11-20T10:00:00Z,"Rue Haute 2, 7700 Mouscron"\n`;
    // Act
    const bodies = csvBodies(good);
    // Assess
    expect(bodies).toEqual([
      {
        type: 'access',
        language: 'nl',
        channel: 'letter',
        receivedAt: '2026-11-20T10:00:00Z',
        postalAddress: 'Kerkstraat 1, 8500 Kortrijk',
      },
    ]);
    expect(() => csvBodies(bad)).toThrow(/^line 3: language/);
    expect(() => csvBodies('type,nickname\naccess,x\n')).toThrow(/Unknown CSV column nickname/);
  });
});

describe('dsr output for people', () => {
  it('aligns a table under upper-case headers and says (none) for no rows', () => {
    // Act
    const text = table(
      [
        { id: 'r_1', status: 'completed' },
        { id: 'r_22', status: 'in_progress', extra: 'x' },
      ],
      ['id', 'status'],
    );
    // Assess
    expect(text).toBe('ID    STATUS\nr_1   completed\nr_22  in_progress\n');
    expect(table([], ['id'])).toBe('(none)\n');
  });

  it('prints key/value fields aligned, leaving out what is undefined', () => {
    // Act
    const text = fields({ id: 'r_1', dueAt: '2026-12-25', extended: undefined, chain: { intact: true } });
    // Assess
    expect(text).toBe('id     r_1\ndueAt  2026-12-25\nchain  {"intact":true}\n');
  });
});

describe('dsr login on a terminal (P15)', () => {
  it('does not echo the password as it is typed, yet reads it whole', async () => {
    // Prepare: a terminal whose keys are typed into a stream, and what it would show
    const input = new PassThrough();
    let shown = '';
    const output = new Writable({
      write(chunk, _encoding, done) {
        shown += chunk.toString();
        done();
      },
    });
    // Act
    const answer = ask('Password: ', { hidden: true, input, output, terminal: true });
    input.write('s3cret-Pw\r');
    // Assess
    expect(await answer).toBe('s3cret-Pw');
    expect(shown).toContain('Password: ');
    expect(shown).not.toContain('s3cret');
  });
});
