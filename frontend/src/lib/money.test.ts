import { afterEach, describe, expect, it } from 'vitest';
import { MAX_MINOR, formatMoney, fractionDigits, moneyValidator, parseMoney, toMoneyInput } from './money';
import { DEFAULT_ORGANISATION, setOrganisation } from './org';

describe('formatMoney', () => {
  it('shows minor units in the currency', () => {
    expect(formatMoney(123456, 'EUR', 'en-US')).toBe('€1,234.56');
    expect(formatMoney(6500, 'EUR', 'en-US')).toBe('€65.00');
    expect(formatMoney(0, 'EUR', 'en-US')).toBe('€0.00');
    expect(formatMoney(1, 'EUR', 'en-US')).toBe('€0.01');
    expect(formatMoney(-12990, 'USD', 'en-US')).toBe('-$129.90');
    expect(formatMoney(1234, 'JPY', 'en-US')).toBe('¥1,234');
    expect(formatMoney(MAX_MINOR - 1, 'EUR', 'en-US')).toBe('€9,999,999,999.99');
  });
  it('follows the locale', () => {
    expect(formatMoney(123456, 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('1.234,56 €');
  });
  it('knows each currency’s digits', () => {
    expect(fractionDigits('EUR')).toBe(2);
    expect(fractionDigits('JPY')).toBe(0);
    expect(fractionDigits('not a currency')).toBe(2);
  });
  it('writes amounts back for fields', () => {
    expect(toMoneyInput(123456, 'EUR')).toBe('1234.56');
    expect(toMoneyInput(5, 'EUR')).toBe('0.05');
    expect(toMoneyInput(0, 'EUR')).toBe('0.00');
    expect(toMoneyInput(1234, 'JPY')).toBe('1234');
  });
});

describe('parseMoney', () => {
  const ok = (text: string, currency = 'EUR') => {
    const r = parseMoney(text, currency);
    expect(r.error).toBeNull();
    return r.value;
  };
  const err = (text: string, currency = 'EUR') => {
    const r = parseMoney(text, currency);
    expect(r.value).toBeNull();
    return r.error;
  };

  it('reads what people type, in minor units', () => {
    expect(ok('1234.56')).toBe(123456);
    expect(ok('1,234.56')).toBe(123456);
    expect(ok('1234')).toBe(123400);
    expect(ok('1,234')).toBe(123400);
    expect(ok('1,234,567.8')).toBe(123456780);
    expect(ok(' 65 ')).toBe(6500);
    expect(ok('65.')).toBe(6500);
    expect(ok('.5')).toBe(50);
    expect(ok('0')).toBe(0);
    expect(ok('007.10')).toBe(710);
    expect(ok('€1,234.56')).toBe(123456);
    expect(ok('1234.56 EUR')).toBe(123456);
    expect(ok('1 234.56')).toBe(123456);
    // A decimal comma where it cannot be grouping.
    expect(ok('12,5')).toBe(1250);
    expect(ok('1234,56')).toBe(123456);
  });
  it('never goes through floating point', () => {
    // 0.29 * 100 is 28.999999999999996, 1.005 * 100 is 100.49999999999999.
    expect(ok('0.29')).toBe(29);
    expect(ok('1.10')).toBe(110);
    expect(ok('4.35')).toBe(435);
    expect(ok('9999999999.99')).toBe(999999999999);
  });
  it('takes empty as not set', () => {
    expect(parseMoney('', 'EUR')).toEqual({ value: null, error: null });
    expect(parseMoney('   ', 'EUR')).toEqual({ value: null, error: null });
  });
  it('says what is wrong', () => {
    expect(err('1.234')).toBe('Use at most 2 decimals.');
    expect(err('1.005')).toBe('Use at most 2 decimals.');
    expect(err('-5')).toBe('Enter an amount of zero or more.');
    expect(err('abc')).toBe('Enter an amount, like 1234.56.');
    expect(err('1.2.3')).toBe('Enter an amount, like 1234.56.');
    expect(err('12,34,56')).toBe('Enter an amount, like 1234.56.');
    expect(err('1e5')).toBe('Enter an amount, like 1234.56.');
    expect(err('10000000000.01')).toMatch(/^The amount is too large: at most /);
    expect(err('123456789012345678901234567890')).toMatch(/^The amount is too large/);
    expect(err('12.5', 'JPY')).toBe('Enter a whole amount: JPY has no decimals.');
    expect(ok('1,200', 'JPY')).toBe(1200);
  });
  it('validates form fields', () => {
    expect(moneyValidator('EUR')('')).toBeNull();
    expect(moneyValidator('EUR', { required: true })('')).toBe('Enter an amount.');
    expect(moneyValidator('EUR', { required: true })('x')).toBe('Enter an amount, like 1234.56.');
    expect(moneyValidator('EUR', { required: true })('3')).toBeNull();
  });
});

describe('amounts in the organisation number format', () => {
  afterEach(() => setOrganisation(undefined));
  it('writes separators as chosen', () => {
    setOrganisation({ ...DEFAULT_ORGANISATION, numberFormat: '1.234,56' });
    expect(formatMoney(123456, 'EUR').replace(/\s/g, ' ')).toBe('1.234,56 €');
    setOrganisation({ ...DEFAULT_ORGANISATION, numberFormat: '1,234.56' });
    expect(formatMoney(123456, 'BRL')).toBe('R$1,234.56');
  });
});
