import { describe, expect, it } from 'vitest';
import { codeHmac, newCode, safeEqual, statusToken, subjectRef } from '../../../functions/core/secrets.ts';

const SECRET = 'x'.repeat(48);

describe('Secrets and tokens (P8)', () => {
  it('makes 8-digit codes', () => {
    // Act: draw 200 codes
    // Assess: each is 8 digits
    for (let i = 0; i < 200; i++) expect(newCode()).toMatch(/^\d{8}$/);
  });

  it('stores codes as an HMAC bound to the request, not the code itself', () => {
    // Act: hash a code for request r_a
    const h = codeHmac(SECRET, 'r_a', '12345678');
    // Assess: the code does not appear; another request gives another hash; the same inputs the same hash
    expect(h).not.toContain('12345678');
    expect(h).not.toBe(codeHmac(SECRET, 'r_b', '12345678'));
    expect(h).toBe(codeHmac(SECRET, 'r_a', '12345678'));
  });

  it('derives a status token per request that another secret cannot forge', () => {
    // Act: derive status tokens for two requests and with two secrets
    // Assess: they differ by request and by secret
    expect(statusToken(SECRET, 'r_a')).not.toBe(statusToken(SECRET, 'r_b'));
    expect(statusToken('y'.repeat(48), 'r_a')).not.toBe(statusToken(SECRET, 'r_a'));
  });

  it('keys the pseudonymous subject id on the address, case-insensitively, without revealing it', () => {
    // Act: derive the subject id of an address in mixed case
    const ref = subjectRef(SECRET, 'An.Devos@Example.be');
    // Assess: the same as for the lower-case address, and the address does not show
    expect(ref).toBe(subjectRef(SECRET, 'an.devos@example.be'));
    expect(ref).not.toMatch(/devos/i);
  });

  it('compares strings of different length as unequal', () => {
    // Act: compare strings of different and of equal length
    // Assess: unequal, then equal
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abc', 'abc')).toBe(true);
  });
});
