import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { validateInvoice } from './invoiceForm';
import {
  formatTaxRate,
  invoiceTotals,
  lineAmount,
  lineTax,
  parseQuantity,
  parseTaxRate,
  quantityText,
  roundDiv,
  taxRateText,
} from './totals';

const line = (quantityMilli: number, unitPrice: number, taxRateBP = 0) => ({ quantityMilli, unitPrice, taxRateBP });

describe('roundDiv (backend/invoices roundDiv)', () => {
  it('rounds half away from zero', () => {
    expect(roundDiv(5n, 10n)).toBe(1n);
    expect(roundDiv(4n, 10n)).toBe(0n);
    expect(roundDiv(15n, 10n)).toBe(2n);
    expect(roundDiv(25n, 10n)).toBe(3n); // not to even
    expect(roundDiv(-5n, 10n)).toBe(-1n);
    expect(roundDiv(-4n, 10n)).toBe(0n);
    expect(roundDiv(-25n, 10n)).toBe(-3n);
    expect(roundDiv(1499n, 1000n)).toBe(1n);
    expect(roundDiv(1500n, 1000n)).toBe(2n);
  });
});

describe('line amounts and tax', () => {
  it("rounds a line's amount to the minor unit, half up", () => {
    expect(lineAmount(line(1500, 333))).toBe(500); // 499.5
    expect(lineAmount(line(1, 499))).toBe(0); // 0.499
    expect(lineAmount(line(1, 500))).toBe(1); // 0.5
    expect(lineAmount(line(2000, 12_999))).toBe(25_998);
    expect(lineAmount(line(333, 100))).toBe(33); // 33.3
    expect(lineAmount(line(1000, 0))).toBe(0);
  });

  it("taxes the rounded amount, then rounds the tax", () => {
    // 1.5 × 3.33 = 4.995 → 5.00; 20 % of it is 1.00
    expect(lineTax(line(1500, 333, 2000))).toBe(100);
    // 0.5 × 0.05 = 0.025 → 0.03; 50 % of 0.03 = 0.015 → 0.02 (of the unrounded 0.025 it would be 0.0125 → 0.01)
    expect(lineAmount(line(500, 5))).toBe(3);
    expect(lineTax(line(500, 5, 5000))).toBe(2);
    expect(lineTax(line(1000, 2, 2500))).toBe(1); // 0.5 → 1
    expect(lineTax(line(1000, 1, 4999))).toBe(0); // 0.4999 → 0
    expect(lineTax(line(1000, 1, 0))).toBe(0);
    expect(lineTax(line(1000, 12_345, 10_000))).toBe(12_345);
  });

  it('is exact where doubles are not: products past 2^53', () => {
    // 999,999.064 × 1,234,567.89: the product is 1.2 × 10^17; in doubles it rounds the wrong way.
    expect(Math.round((999_999_064 * 123_456_789) / 1000)).toBe(123_456_673_444_446);
    expect(lineAmount(line(999_999_064, 123_456_789))).toBe(123_456_673_444_445);
    expect(lineAmount(line(1_000_000_000, 1_000_000_000))).toBe(1_000_000_000_000_000);
  });
});

describe('invoiceTotals', () => {
  it('adds the rounded lines and the rounded taxes: tax per line, not on the sum', () => {
    // Two lines of 0.02 at 25 %: each 0.005 of tax → 0.01, so 0.02; 25 % of the 0.04 subtotal would be 0.01.
    const t = invoiceTotals([line(1000, 2, 2500), line(1000, 2, 2500)]);
    expect(t).toEqual({ subtotal: 4, tax: 2, total: 6, taxByRate: [{ taxRateBP: 2500, tax: 2 }] });
  });

  it('sums mixed rates and groups the tax per rate in ascending order', () => {
    const t = invoiceTotals([line(2000, 12_999, 2000), line(1500, 333, 0), line(10_000, 4_550, 700), line(1000, 100, 2000)]);
    // 259.98 + 5.00 + 455.00 + 1.00; tax 52.00 (51.996) + 0 + 31.85 + 0.20
    expect(t.subtotal).toBe(25_998 + 500 + 45_500 + 100);
    expect(t.taxByRate).toEqual([
      { taxRateBP: 0, tax: 0 },
      { taxRateBP: 700, tax: 3_185 },
      { taxRateBP: 2000, tax: 5_200 + 20 },
    ]);
    expect(t.tax).toBe(5_200 + 3_185 + 20);
    expect(t.total).toBe(t.subtotal + t.tax);
  });

  it('is zero without lines', () => {
    expect(invoiceTotals([])).toEqual({ subtotal: 0, tax: 0, total: 0, taxByRate: [] });
  });
});

describe('parsing what is typed', () => {
  it('reads quantities into thousandths', () => {
    expect(parseQuantity('2')).toEqual({ value: 2000, error: null });
    expect(parseQuantity('1.5')).toEqual({ value: 1500, error: null });
    expect(parseQuantity('1,5')).toEqual({ value: 1500, error: null });
    expect(parseQuantity('0.001')).toEqual({ value: 1, error: null });
    expect(parseQuantity('.25')).toEqual({ value: 250, error: null });
    expect(parseQuantity('1,000')).toEqual({ value: 1_000_000, error: null }); // grouping, not a decimal comma
    expect(parseQuantity('1000000')).toEqual({ value: 1_000_000_000, error: null });
    expect(parseQuantity('').error).toBe('Enter a quantity.');
    expect(parseQuantity('0').error).toBe('Enter a quantity above zero.');
    expect(parseQuantity('1.2345').error).toBe('Use at most 3 decimals.');
    expect(parseQuantity('-1').error).toBe('Enter a number, like 2 or 1.5.');
    expect(parseQuantity('two').error).toBe('Enter a number, like 2 or 1.5.');
    expect(parseQuantity('1000000.001').error).toBe('At most 1,000,000.');
    expect(parseQuantity('99999999999999999999').error).toBe('At most 1,000,000.');
  });

  it('reads tax rates in percent into basis points; empty is no tax', () => {
    expect(parseTaxRate('20')).toEqual({ value: 2000, error: null });
    expect(parseTaxRate('7.5')).toEqual({ value: 750, error: null });
    expect(parseTaxRate('7,5 %')).toEqual({ value: 750, error: null });
    expect(parseTaxRate('0.01')).toEqual({ value: 1, error: null });
    expect(parseTaxRate('')).toEqual({ value: 0, error: null });
    expect(parseTaxRate('100')).toEqual({ value: 10_000, error: null });
    expect(parseTaxRate('100.01').error).toBe('At most 100%.');
    expect(parseTaxRate('7.125').error).toBe('Use at most 2 decimals.');
    expect(parseTaxRate('a lot').error).toBe('Enter a percentage, like 20 or 7.5.');
  });

  it('writes them back as they are typed', () => {
    expect(quantityText(1500)).toBe('1.5');
    expect(quantityText(2000)).toBe('2');
    expect(quantityText(1)).toBe('0.001');
    expect(taxRateText(2000)).toBe('20');
    expect(taxRateText(750)).toBe('7.5');
    expect(taxRateText(0)).toBe('0');
    expect(formatTaxRate(1)).toBe('0.01%');
  });
});

describe('the messages, in the language of the moment they are made', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('says what is wrong in Brazilian Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(parseQuantity('').error).toBe('Informe uma quantidade.');
    expect(parseQuantity('1.2345').error).toBe('Use no máximo 3 casas decimais.');
    expect(parseTaxRate('120').error).toBe('No máximo 100%.');
    const errors = validateInvoice({ companyId: '', dueDate: '', notes: '', lines: [] }, 'EUR');
    expect(errors.companyId).toBe('Escolha a empresa cliente da fatura.');
  });
});
