// Amounts as the server keeps them: integers in minor units (cents) of the organisation's
// currency (/api/me's `currency`). Formatting goes through Intl; parsing is done on the
// digits as text, so "0.29" is 29 and never 28.999….
import { numberLocale } from './org';

/** The server's bound on every amount (backend/costs MaxAmount), in minor units. */
export const MAX_MINOR = 1_000_000_000_000;

/** How many minor units digits the currency has: 2 for EUR, 0 for JPY (2 for a code Intl does not know). */
export function fractionDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/**
 * An amount in minor units for people: 123456 in EUR is "€1,234.56" (in the reader's
 * locale unless `locale` says otherwise). Within MAX_MINOR the quotient is the closest
 * double to the exact decimal, so rounding to the currency's digits gives that decimal.
 */
export function formatMoney(minor: number, currency: string, locale: string | undefined = numberLocale()): string {
  const digits = fractionDigits(currency);
  try {
    return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(minor / 10 ** digits);
  } catch {
    return `${toMoneyInput(minor, currency)} ${currency}`;
  }
}

/** An amount in minor units as it is typed back into a field: 123456 → "1234.56", 1200 → "12.00". */
export function toMoneyInput(minor: number, currency: string): string {
  const digits = fractionDigits(currency);
  const negative = minor < 0;
  const s = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = digits ? `${s.slice(0, -digits)}.${s.slice(-digits)}` : s;
  return negative ? `-${whole}` : whole;
}

export type ParsedMoney = { value: number | null; error: null } | { value: null; error: string };

/**
 * What someone typed, in minor units: "1234.56", "1,234.56" and "1234" (and "1234,5", a
 * decimal comma, when nothing else can be meant) are 123456, 123456 and 123400 in EUR.
 * Empty is `value: null` (not set); anything else that is not an amount is an `error`
 * to show on the field.
 */
export function parseMoney(text: string, currency: string): ParsedMoney {
  const digits = fractionDigits(currency);
  // Spaces (also the no-break ones locales group with) and the currency's own sign go.
  let s = text.replace(/[\s\u00a0\u202f]/g, '');
  s = s.replace(currencySign(currency), '');
  if (/^[A-Za-z]{3}$/.test(currency)) s = s.replace(new RegExp(currency, 'i'), '');
  if (!s) return { value: null, error: null };
  if (s.startsWith('-')) return { value: null, error: 'Enter an amount of zero or more.' };

  const parts = splitDecimal(s);
  if (!parts) return { value: null, error: `Enter an amount, like 1234${digits ? '.' + '5678'.slice(0, digits) : ''}.` };
  const { whole, fraction } = parts;
  if (fraction.length > digits) {
    return {
      value: null,
      error: digits === 0 ? `Enter a whole amount: ${currency} has no decimals.` : `Use at most ${digits} decimals.`,
    };
  }
  const minor = (whole.replace(/^0+(?=\d)/, '') + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  // Compared as text first: a long string of digits would lose precision as a number.
  if (minor.length > String(MAX_MINOR).length || Number(minor) > MAX_MINOR) {
    return { value: null, error: `The amount is too large: at most ${formatMoney(MAX_MINOR, currency)}.` };
  }
  return { value: Number(minor), error: null };
}

/**
 * A decimal number as typed (spaces already gone), split into its whole and fraction
 * digits: "1234.5", "1,234.5" (commas group thousands), "7,5" (one comma with one or two
 * digits after it cannot be grouping: a decimal comma) and ".5". Null for anything else.
 */
export function splitDecimal(s: string): { whole: string; fraction: string } | null {
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)(?:\.(\d*))?$/.exec(s)) || (m = /^(\d{1,3}(?:,\d{3})+)(?:\.(\d*))?$/.exec(s))) {
    return { whole: m[1].replace(/,/g, ''), fraction: m[2] ?? '' };
  }
  if ((m = /^(\d+),(\d{1,2})$/.exec(s))) return { whole: m[1], fraction: m[2] };
  if ((m = /^\.(\d+)$/.exec(s))) return { whole: '0', fraction: m[1] };
  return null;
}

/** The currency's sign in English formatting ("€", "$", "£"; the code itself when it has none). */
function currencySign(currency: string): string {
  try {
    const part = new Intl.NumberFormat('en', { style: 'currency', currency }).formatToParts(0).find((p) => p.type === 'currency');
    return part?.value ?? currency;
  } catch {
    return currency;
  }
}

/** For a form's `validate`: the parse error of a field, or null ("" allowed unless `required`). */
export function moneyValidator(currency: string, { required = false, message = 'Enter an amount.' } = {}) {
  return (value: string) => {
    const r = parseMoney(value, currency);
    if (r.error) return r.error;
    return required && r.value === null ? message : null;
  };
}
