import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  canonical,
  createMemorySink,
  csvLine,
  EXTRA_COLUMN,
  parseCsv,
} from '../../../functions/connectors/export-files.ts';

describe('Export files (P1, P7)', () => {
  it('writes a JSON array record by record, and reports its count, size and SHA-256 (P7)', async () => {
    // Prepare: an open JSON file.
    const sink = createMemorySink();
    const file = sink.file('calls.json', 'json');

    // Act: two records, then close.
    await file.write({ origin: 'observed', category: 'usage', durationSeconds: 45 });
    await file.write({ category: 'usage', origin: 'observed', durationSeconds: 142 });
    const info = await file.close();

    // Assess: a JSON array, with its true size and hash.
    const text = sink.files.get('calls.json')?.text ?? '';
    expect(JSON.parse(text)).toEqual([
      { category: 'usage', origin: 'observed', durationSeconds: 45 },
      { category: 'usage', origin: 'observed', durationSeconds: 142 },
    ]);
    expect(info).toEqual({
      name: 'calls.json',
      format: 'json',
      records: 2,
      bytes: Buffer.byteLength(text),
      sha256: createHash('sha256').update(text).digest('hex'),
    });
  });

  it('writes CSV with a header, dotted columns for nested fields and an extra column that loses nothing (P7)', async () => {
    // Prepare: an open CSV file without fixed columns.
    const sink = createMemorySink();
    const file = sink.file('profile.csv', 'csv');

    // Act: a nested record, then one with fields outside the header.
    await file.write({
      category: 'contact',
      address: { city: 'Kortrijk', street: 'Doorniksestraat 12' },
      note: 'a, "b"',
    });
    await file.write({ category: 'contact', address: { city: 'Gent' }, lines: [{ q: 1 }], late: true });
    await file.close();

    // Assess: read back with csv-parse.
    const rows = parseCsv(sink.files.get('profile.csv')?.text ?? '');
    expect(rows[0]).toEqual(['category', 'address.city', 'address.street', 'note', EXTRA_COLUMN]);
    expect(rows[1]).toEqual(['contact', 'Kortrijk', 'Doorniksestraat 12', 'a, "b"', '']);
    expect(rows[2]).toEqual(['contact', 'Gent', '', '', JSON.stringify({ late: true, lines: [{ q: 1 }] })]);
  });

  it('neutralises cells a spreadsheet would run as formulas, but keeps phone numbers as they are (P7)', () => {
    // Prepare: cells that start like formulas, and numbers. Act: encode a line. Assess:
    expect(csvLine(['=HYPERLINK("x")', '+32470123456', '-12', '@SUM(A1)', '+cmd'])).toBe(
      `"'=HYPERLINK(""x"")",+32470123456,-12,'@SUM(A1),'+cmd\r\n`,
    );
  });

  it('encodes the same record to the same bytes whatever the order of its fields (P7)', () => {
    // Prepare: one record with its keys in any order. Act: canonical form. Assess:
    expect(JSON.stringify(canonical({ b: 1, origin: 'x', a: { d: 1, c: 2 }, category: 'y' }))).toBe(
      '{"category":"y","origin":"x","a":{"c":2,"d":1},"b":1}',
    );
  });

  it('drops a file that failed half-way and refuses writes after close (P7)', async () => {
    // Prepare: a file written half-way, and another.
    const sink = createMemorySink();
    const broken = sink.file('a.json', 'json');
    // Act: abort the first, close the second.
    await broken.write({ n: 1 });
    await broken.abort();
    const done = sink.file('b.json', 'json');
    await done.close();

    // Assess
    expect(sink.files.has('a.json')).toBe(false);
    await expect(done.write({ n: 2 })).rejects.toThrow(/closed/);
    expect(sink.files.get('b.json')?.text).toBe('[]\n');
  });

  it('quotes commas, quotes and line breaks per RFC 4180 and reads every cell back as written (P7)', () => {
    // Prepare: cells a naive writer would break on.
    const cells = ['a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', '', 'plain'];

    // Act
    const line = csvLine(cells);

    // Assess: one CRLF-terminated record that csv-parse reads back cell for cell.
    expect(line).toBe('"a,b","say ""hi""","two\nlines","cr\r\nlf",,plain\r\n');
    expect(parseCsv(line)).toEqual([cells]);
  });
});
