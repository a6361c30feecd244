// Client-side checks mirror the server's rules so mistakes show before a round trip;
// the server still validates everything and its 422 answers land on the same fields.
// Messages are looked up when a check runs, so they follow the UI's language.
import i18n from '../i18n';

/** The default minimum; the security policy's own comes from /api/status (usePasswordMinLength). */
export const MIN_PASSWORD_LENGTH = 12;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `message` may be a function, to be looked up (in the UI's language) when the check runs. */
export function requiredText(message: string | (() => string)) {
  return (value: string) => (value.trim() ? null : typeof message === 'function' ? message() : message);
}

export function emailShape(value: string): string | null {
  if (!value.trim()) return i18n.t('shell:validation.emailRequired');
  return EMAIL_SHAPE.test(value.trim()) ? null : i18n.t('shell:validation.emailInvalid');
}

export function passwordStrength(value: string, min: number = MIN_PASSWORD_LENGTH): string | null {
  if (!value) return i18n.t('shell:validation.passwordRequired');
  // Characters as the server counts them (code points), not UTF-16 units.
  return [...value].length >= min ? null : i18n.t('shell:validation.passwordTooShort', { min });
}

export function confirmMatches<V extends Record<string, unknown>>(other: keyof V) {
  return (value: string, values: V) => (value === values[other] ? null : i18n.t('shell:validation.passwordsDiffer'));
}

/** A strong random password for "generate" options in forms (the server can also generate one). */
export function generatePassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
