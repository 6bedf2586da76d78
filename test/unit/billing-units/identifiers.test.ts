import { BillingUnitInputError, canonicalNumber, nameKey, phoneNumber, unitName } from '../../../src/domain/billing-units';

describe('unit names', () => {
  it('are trimmed with inner spaces made one, and compared without case, width or spacing', () => {
    expect(unitName('  North   Branch ')).toEqual({ name: 'North Branch', key: 'north branch' });
    expect(nameKey('SALES')).toBe(nameKey(' sales'));
    expect(nameKey('ＳＡＬＥＳ')).toBe(nameKey('Sales'));
    expect(unitName('Ventes Île-de-France').name).toBe('Ventes Île-de-France');
  });

  it('refuses empty, overlong, invisible-character and reserved names, naming the field and the value', () => {
    expect(() => unitName('   ')).toThrow('name: a unit needs a name (got "   ")');
    expect(() => unitName('x'.repeat(65), 'NEW_NAME')).toThrow(/^NEW_NAME: at most 64 characters/);
    expect(() => unitName('Sales\u200b')).toThrow(BillingUnitInputError);
    expect(() => unitName('Sales\u0007')).toThrow(/control/);
    expect(() => unitName(' unassigned ')).toThrow('name: "Unassigned" is reserved for what belongs to no unit (got " unassigned ")');
  });
});

describe('phone numbers', () => {
  it('are written canonically from the ways people and CDRs write them', () => {
    expect(canonicalNumber('+1 (415) 555-0101')).toBe('+14155550101');
    expect(canonicalNumber('14155550101')).toBe('+14155550101');
    expect(canonicalNumber('sip:+14155550101@pbx.example.com')).toBe('+14155550101');
    expect(canonicalNumber('tel:+44.20.7123.4567')).toBe('+442071234567');
    expect(canonicalNumber(' anonymous ')).toBe('anonymous');
  });

  it('given by a person must be E.164', () => {
    expect(phoneNumber('+1 415 555 0101')).toBe('+14155550101');
    expect(() => phoneNumber('555-CALL', '--numbers')).toThrow('--numbers: "555-CALL" is not a phone number in E.164 form');
    expect(() => phoneNumber('+0123')).toThrow(BillingUnitInputError);
    expect(() => phoneNumber('+1234567890123456')).toThrow(/E.164/);
  });
});
