import { describe, expect, it } from 'vitest';
import { codeHmac, newCode, safeEqual, statusToken, subjectRef } from '../../../functions/core/secrets.ts';

const SECRET = 'x'.repeat(48);

describe('Secrets and tokens (P8)', () => {
  it('makes 8-digit codes', () => {
    for (let i = 0; i < 200; i++) expect(newCode()).toMatch(/^\d{8}$/);
  });

  it('stores codes as an HMAC bound to the request, not the code itself', () => {
    const h = codeHmac(SECRET, 'r_a', '12345678');
    expect(h).not.toContain('12345678');
    expect(h).not.toBe(codeHmac(SECRET, 'r_b', '12345678'));
    expect(h).toBe(codeHmac(SECRET, 'r_a', '12345678'));
  });

  it('derives a status token per request that another secret cannot forge', () => {
    expect(statusToken(SECRET, 'r_a')).not.toBe(statusToken(SECRET, 'r_b'));
    expect(statusToken('y'.repeat(48), 'r_a')).not.toBe(statusToken(SECRET, 'r_a'));
  });

  it('keys the pseudonymous subject id on the address, case-insensitively, without revealing it', () => {
    const ref = subjectRef(SECRET, 'An.Devos@Example.be');
    expect(ref).toBe(subjectRef(SECRET, 'an.devos@example.be'));
    expect(ref).not.toMatch(/devos/i);
  });

  it('compares strings of different length as unequal', () => {
    expect(safeEqual('abc', 'abcd')).toBe(false);
    expect(safeEqual('abc', 'abc')).toBe(true);
  });
});
