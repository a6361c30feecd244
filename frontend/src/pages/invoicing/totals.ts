// An invoice's arithmetic as the server does it (backend/invoices Totals), so the preview
// shows the very figures the saved invoice and its PDF will: each line's amount is quantity
// × unit price rounded to the minor unit, its tax that amount × the rate rounded, and the
// total their sum. Rounding is half away from zero. Products go through BigInt: a line may
// reach 10^18 before it is divided, past what a double holds exactly.

import i18n from '../../i18n';
import { splitDecimal } from '../../lib/money';

/** A line as the API takes it: quantity in thousandths, unit price in minor units, tax in basis points. */
export type Line = { quantityMilli: number; unitPrice: number; taxRateBP: number };

/** The server's bounds on a line (backend/invoices). */
export const MAX_QUANTITY_MILLI = 1_000_000_000;
export const MAX_UNIT_PRICE = 1_000_000_000;
export const MAX_TAX_BP = 10_000;
export const MAX_DESCRIPTION = 300;
export const MAX_NOTES = 2000;
export const MAX_LINES = 200;

/** n / d rounded half away from zero (d > 0): backend/invoices roundDiv. */
export function roundDiv(n: bigint, d: bigint): bigint {
  if (n < 0n) return -roundDiv(-n, d);
  return (n + d / 2n) / d;
}

/** A line's amount before tax, in minor units. */
export function lineAmount(l: Line): number {
  return Number(lineAmountBig(l));
}

function lineAmountBig(l: Line): bigint {
  return roundDiv(BigInt(l.quantityMilli) * BigInt(l.unitPrice), 1000n);
}

/** A line's tax, in minor units: its rounded amount × the rate, rounded again. */
export function lineTax(l: Line): number {
  return Number(roundDiv(lineAmountBig(l) * BigInt(l.taxRateBP), 10_000n));
}

export type Totals = {
  subtotal: number;
  tax: number;
  total: number;
  /** Tax added up per rate (as the PDF lists it), by rate ascending. */
  taxByRate: { taxRateBP: number; tax: number }[];
};

/** Subtotal, tax and total of the lines, exactly as the server adds them up. */
export function invoiceTotals(lines: readonly Line[]): Totals {
  let subtotal = 0n;
  let tax = 0n;
  const byRate = new Map<number, bigint>();
  for (const l of lines) {
    const amount = lineAmountBig(l);
    const t = roundDiv(amount * BigInt(l.taxRateBP), 10_000n);
    subtotal += amount;
    tax += t;
    byRate.set(l.taxRateBP, (byRate.get(l.taxRateBP) ?? 0n) + t);
  }
  return {
    subtotal: Number(subtotal),
    tax: Number(tax),
    total: Number(subtotal + tax),
    taxByRate: [...byRate.entries()].sort((a, b) => a[0] - b[0]).map(([taxRateBP, t]) => ({ taxRateBP, tax: Number(t) })),
  };
}

export type Parsed = { value: number; error: null } | { value: null; error: string };

/**
 * A decimal typed by someone, scaled to an integer by 10^digits without floating point:
 * "1.5" with 3 digits is 1500, read as lib/money reads amounts (splitDecimal).
 */
function parseScaled(text: string, digits: number): number | null | 'too-precise' {
  const parts = splitDecimal(text.replace(/[\s\u00a0\u202f]/g, ''));
  if (!parts) return null;
  const { whole, fraction } = parts;
  if (fraction.length > digits) return 'too-precise';
  const scaled = (whole + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  // Compared as text first: a long string of digits would lose precision as a number.
  return scaled.length > 15 ? Number.MAX_SAFE_INTEGER : Number(scaled);
}

/** A quantity ("2", "1.5", "0.25") in thousandths, as the API takes it. */
export function parseQuantity(text: string): Parsed {
  if (!text.trim()) return { value: null, error: i18n.t('invoicing:parse.quantityRequired') };
  const v = parseScaled(text, 3);
  if (v === null) return { value: null, error: i18n.t('invoicing:parse.quantityNumber') };
  if (v === 'too-precise') return { value: null, error: i18n.t('invoicing:parse.decimals', { count: 3 }) };
  if (v <= 0) return { value: null, error: i18n.t('invoicing:parse.quantityPositive') };
  if (v > MAX_QUANTITY_MILLI) return { value: null, error: i18n.t('invoicing:parse.quantityMax') };
  return { value: v, error: null };
}

/** A tax rate in percent ("20", "7.5", "0") in basis points, as the API takes it. Empty is 0. */
export function parseTaxRate(text: string): Parsed {
  if (!text.trim()) return { value: 0, error: null };
  const v = parseScaled(text.replace(/%\s*$/, ''), 2);
  if (v === null) return { value: null, error: i18n.t('invoicing:parse.taxNumber') };
  if (v === 'too-precise') return { value: null, error: i18n.t('invoicing:parse.decimals', { count: 2 }) };
  if (v > MAX_TAX_BP) return { value: null, error: i18n.t('invoicing:parse.taxMax') };
  return { value: v, error: null };
}

/** Thousandths back to what is typed: 1500 → "1.5", 2000 → "2". */
export function quantityText(milli: number): string {
  return scaledText(milli, 3);
}

/** Basis points back to a percentage as typed: 2000 → "20", 750 → "7.5". */
export function taxRateText(bp: number): string {
  return scaledText(bp, 2);
}

/** Basis points for people: 2000 → "20%", 750 → "7.5%". */
export function formatTaxRate(bp: number): string {
  return `${taxRateText(bp)}%`;
}

function scaledText(n: number, digits: number): string {
  const s = String(Math.trunc(Math.abs(n))).padStart(digits + 1, '0');
  const whole = s.slice(0, -digits);
  const fraction = s.slice(-digits).replace(/0+$/, '');
  return `${n < 0 ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
