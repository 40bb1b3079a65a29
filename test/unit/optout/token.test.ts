// Unsubscribe tokens (P5): a JWE (dir + A256GCM) hides the address, every bit is authenticated.
import { describe, expect, it } from 'vitest';
import { oneClickProblem } from '../../../functions/api/one-click.ts';
import {
  optOutId,
  readUnsubscribeToken,
  unsubscribeLink,
  unsubscribeToken,
} from '../../../functions/core/unsubscribe.ts';

const SECRET = 'k'.repeat(64);
const AN = { email: 'an.devos@example.be', list: 'newsletter', language: 'nl' } as const;
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('Opt-out: encrypted unsubscribe tokens (P5)', () => {
  it('reads back the address, list and language it was issued for', async () => {
    // Prepare
    const token = await unsubscribeToken(SECRET, AN);
    const luc = { email: 'luc.martens@example.be', list: 'direct_mailing', language: 'fr' } as const;
    // Act
    const fr = await unsubscribeToken(SECRET, luc);
    // Assess
    expect(await readUnsubscribeToken(SECRET, token)).toEqual(AN);
    expect(await readUnsubscribeToken(SECRET, fr)).toEqual({
      email: 'luc.martens@example.be',
      list: 'direct_mailing',
      language: 'fr',
    });
  });

  it('gives the same URL for the same address, list and language, and another for another list', async () => {
    // Prepare
    const first = await unsubscribeToken(SECRET, AN);
    // Act
    const again = await unsubscribeToken(SECRET, AN);
    const otherList = await unsubscribeToken(SECRET, { ...AN, list: 'direct_mailing' });
    // Assess
    expect(again).toBe(first);
    expect(otherList).not.toBe(first);
  });

  it('carries no address a log line could show, in clear or in base64, and stays short', async () => {
    // Prepare: her address, list and language (AN)
    // Act
    const token = await unsubscribeToken(SECRET, AN);
    // Assess
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(100);
    for (const form of [AN.email, 'an.devos', Buffer.from(AN.email).toString('base64url').slice(0, 12)])
      expect(token).not.toContain(form);
    expect(Buffer.from(token, 'base64url').toString('latin1')).not.toContain('devos');
  });

  it('refuses a token altered in any single character', async () => {
    // Prepare
    const token = await unsubscribeToken(SECRET, AN);
    for (let i = 0; i < token.length; i++) {
      const other = B64[(B64.indexOf(token[i] as string) + 1) % B64.length] as string;
      const altered = `${token.slice(0, i)}${other}${token.slice(i + 1)}`;
      // The last character may carry only padding bits that base64url decoding ignores.
      if (Buffer.from(altered, 'base64url').equals(Buffer.from(token, 'base64url'))) continue;
      // Act
      const read = await readUnsubscribeToken(SECRET, altered);
      // Assess
      expect(read, `position ${i}`).toBeUndefined();
    }
  });

  it.each([
    ['signed with another secret', () => unsubscribeToken('x'.repeat(64), AN)],
    ['truncated', async () => (await unsubscribeToken(SECRET, AN)).slice(0, -4)],
    ['extended', async () => `${await unsubscribeToken(SECRET, AN)}AAAA`],
    ['empty', async () => ''],
    ['not base64url', async () => 'an.devos@example.be'],
    ['absurdly long', async () => 'A'.repeat(5000)],
    ['made up', async () => 'AQEBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
  ])('refuses a token %s', async (_what, make) => {
    // Prepare
    const token = await make();
    // Act
    const read = await readUnsubscribeToken(SECRET, token);
    // Assess
    expect(read).toBeUndefined();
  });

  it('builds the URL under the public base and the RFC 8058 headers for the mailing', () => {
    // Prepare: a base URL with a trailing slash
    // Act
    const link = unsubscribeLink('https://api.example/v1/', 'TOKEN');
    // Assess
    expect(link).toEqual({
      url: 'https://api.example/v1/unsubscribe/TOKEN',
      headers: {
        'List-Unsubscribe': '<https://api.example/v1/unsubscribe/TOKEN>',
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    });
  });

  it('names an opt-out pseudonymously, the same for every repeat', () => {
    // Prepare: a keyed hash stands for the address
    // Act
    const id = optOutId('s_abc', 'newsletter');
    // Assess
    expect(id).toMatch(/^o_[A-Za-z0-9_-]{22}$/);
    expect(optOutId('s_abc', 'newsletter')).toBe(id);
    expect(optOutId('s_abc', 'direct_mailing')).not.toBe(id);
  });
});

describe('Opt-out: the RFC 8058 body, parsed by middy form parsers', () => {
  it.each([
    ['a browser form', 'application/x-www-form-urlencoded', 'List-Unsubscribe=One-Click', undefined],
    [
      'a form with a charset',
      'application/x-www-form-urlencoded; charset=UTF-8',
      'List-Unsubscribe=One-Click',
      undefined,
    ],
    [
      "the RFC's multipart example",
      'multipart/form-data; boundary=---FormBoundaryjWmhtjORrn',
      '-----FormBoundaryjWmhtjORrn\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n-----FormBoundaryjWmhtjORrn--\r\n',
      undefined,
    ],
    ['a form without the pair', 'application/x-www-form-urlencoded', 'unsubscribe=yes', 'missing_one_click'],
    ['an empty form', 'application/x-www-form-urlencoded', '', 'missing_one_click'],
    ['JSON', 'application/json', '{"List-Unsubscribe":"One-Click"}', 'unsupported_media_type'],
    ['no content type', '', 'List-Unsubscribe=One-Click', 'unsupported_media_type'],
  ])('judges %s', async (_what, type, body, expected) => {
    // Prepare: the content type and body of each case
    // Act
    const problem = await oneClickProblem(type, body);
    // Assess
    expect(problem).toBe(expected);
  });
});
