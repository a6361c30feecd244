// The organisation as every screen shows it (Settings → General, from /api/status): the
// time zone dates are shown in, how dates and numbers are written, its name, logo and
// colour. The formatters (lib/format.ts, lib/money.ts) read it when they run; the app
// sets it once the status is known, and again when the settings change.
import i18next from 'i18next';
import type { Schemas } from '../api/client';

export type Organisation = Schemas['Organisation'];

export const DEFAULT_ORGANISATION: Organisation = {
  name: '',
  accent: 'indigo',
  timezone: 'UTC',
  currency: 'EUR',
  dateFormat: 'locale',
  numberFormat: 'locale',
  language: 'en',
  logoUrl: '',
};

let current: Organisation = DEFAULT_ORGANISATION;

export function setOrganisation(o: Organisation | undefined): void {
  current = o ?? DEFAULT_ORGANISATION;
}

export function organisation(): Organisation {
  return current;
}

/** A time zone Intl knows, or UTC (the server only stores zones it knows; Intl may lag). */
export function timeZone(): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: current.timezone });
    return current.timezone;
  } catch {
    return 'UTC';
  }
}

// Each number format as the locale that writes it so.
const NUMBER_LOCALES: Record<string, string> = { '1,234.56': 'en-US', '1.234,56': 'de-DE', '1 234,56': 'fr-FR' };

/** The locale numbers (and amounts) are written in: the chosen format's, else the UI's language's. */
export function numberLocale(): string | undefined {
  return NUMBER_LOCALES[current.numberFormat] ?? uiLocale();
}

/** The UI's language as a locale ("locale" formats write dates and numbers as it does). */
export function uiLocale(): string | undefined {
  return i18next.language || undefined;
}

/** The window's or tab's title: "<organisation> — Gatehouse". */
export function documentTitle(o: Organisation = current): string {
  return o.name ? `${o.name} — Gatehouse` : 'Gatehouse';
}
