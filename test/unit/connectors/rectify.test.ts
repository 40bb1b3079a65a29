import { describe, expect, it } from 'vitest';
import { issuedInvoice } from '../../../functions/connectors/billing/connector.ts';
import { planRectification } from '../../../functions/connectors/store/index.ts';
import { RectificationChanges } from '../../../functions/core/connector.ts';

const base = {
  oldEmail: 'an.devos@example.be',
  oldFullName: 'An Devos',
  newFullName: 'An Janssens',
  oldPhones: new Set(['470123456']),
  freeText: ['text'],
};

describe('Rectification (P2)', () => {
  it('accepts each field in its own format and refuses unknown fields or an empty change (P2)', () => {
    // Prepare: changes as a form may send them. Act: parse. Assess: normalised, or refused.
    expect(RectificationChanges.parse({ phone: '+32 470 12.34.56', email: ' An@Example.BE ' })).toEqual({
      phone: '+32470123456',
      email: 'an@example.be',
    });
    expect(RectificationChanges.safeParse({ nickname: 'Anneke' }).success).toBe(false);
    expect(RectificationChanges.safeParse({}).success).toBe(false);
    expect(RectificationChanges.safeParse({ gender: 'female' }).success).toBe(false);
    expect(
      RectificationChanges.safeParse({
        address: { street: 'Markt 1', postalCode: '8500', city: 'Kortrijk', country: 'be' },
      }).data?.address?.country,
    ).toBe('BE');
  });

  it('moves the address in every attribute that holds the old one, the login name included, and no other address (P2)', () => {
    // Prepare: an address change; an account with the old address twice, a contact with another one.
    const changes = { email: 'an.new@example.be' };

    // Act
    const account = planRectification(
      { pk: 'CUST#C-1', sk: 'ACCOUNT', email: 'an.devos@example.be', username: 'an.devos@example.be' },
      { ...base, changes },
    );
    const other = planRectification(
      { pk: 'CUST#C-1', sk: 'CONTACT', email: 'work@firm.example' },
      { ...base, changes },
    );

    // Assess
    expect(account.set).toEqual({ email: 'an.new@example.be', username: 'an.new@example.be' });
    expect([...account.fields]).toEqual(['email']);
    expect(other).toEqual({ set: {}, fields: new Set() });
  });

  it("rewrites a full name only where it is hers, and an old address or number in an agent's note (P2)", () => {
    // Prepare: a new surname and number; records naming her, a partner, and a note with her old number.
    const changes = { lastName: 'Janssens', phone: '+32470999888' };

    // Act
    const profile = planRectification(
      { pk: 'p', sk: 'PROFILE', firstName: 'An', lastName: 'Devos', phone: '+32470123456' },
      { ...base, changes },
    );
    const bank = planRectification({ pk: 'p', sk: 'BANK_ACCOUNT', holder: 'An Devos' }, { ...base, changes });
    const partner = planRectification(
      { pk: 'p', sk: 'BANK_ACCOUNT', holder: 'Tom Claes' },
      { ...base, changes },
    );
    const note = planRectification(
      { pk: 'p', sk: 'NOTE#1', text: 'Mevr. Devos thuis na 17u (telefoon: 0470 12 34 56).' },
      { ...base, changes },
    );

    // Assess
    expect(profile.set).toEqual({ lastName: 'Janssens', phone: '+32470999888' });
    expect(bank.set).toEqual({ holder: 'An Janssens' });
    expect(partner.set).toEqual({});
    expect(note.set).toEqual({ text: 'Mevr. Devos thuis na 17u (telefoon: +32470999888).' });
    expect([...note.fields]).toEqual(['phone']);
  });

  it('reports the fields a record already holds as changed ones, so a repeat answers the same (P2)', () => {
    // Prepare: a record already holding the new values.
    const changes = { language: 'fr' as const, email: 'an.new@example.be' };

    // Act
    const repeat = planRectification(
      { pk: 'p', sk: 'PROFILE', language: 'fr', email: 'an.new@example.be' },
      { ...base, changes },
    );

    // Assess
    expect(repeat.set).toEqual({});
    expect([...repeat.fields].sort()).toEqual(['email', 'language']);
  });

  it('never rewrites an issued invoice: it is kept as issued until its purge date (P2, P3)', () => {
    // Prepare: an issued invoice.
    const invoice = { pk: 'CUST#C-1', sk: 'INVOICE#2025-1201', invoiceDate: '2025-12-01', name: 'An Devos' };

    // Act: its rule and its plan. Assess: kept as issued, naming the field it holds.
    expect(issuedInvoice(invoice)).toEqual({
      ground: 'issued_invoice',
      grounds: ['issued_invoice'],
      until: '2035-12-31',
    });
    expect(issuedInvoice({ pk: 'CUST#C-1', sk: 'PROFILE' })).toBeUndefined();
    expect([
      ...planRectification(invoice, { ...base, changes: { lastName: 'Janssens' } }, true).fields,
    ]).toEqual(['lastName']);
  });
});
