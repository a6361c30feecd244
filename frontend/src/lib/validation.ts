// Client-side checks mirror the server's rules so mistakes show before a round trip;
// the server still validates everything and its 422 answers land on the same fields.

export const MIN_PASSWORD_LENGTH = 12;

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function requiredText(message: string) {
  return (value: string) => (value.trim() ? null : message);
}

export function emailShape(value: string): string | null {
  if (!value.trim()) return 'Enter an email address';
  return EMAIL_SHAPE.test(value.trim()) ? null : 'Enter a valid email address, like name@example.com';
}

export function passwordStrength(value: string): string | null {
  if (!value) return 'Enter a password';
  return value.length >= MIN_PASSWORD_LENGTH
    ? null
    : `Use at least ${MIN_PASSWORD_LENGTH} characters`;
}

export function confirmMatches<V extends Record<string, unknown>>(other: keyof V) {
  return (value: string, values: V) => (value === values[other] ? null : 'Passwords do not match');
}

/** A strong random password for "generate" options in forms (the server can also generate one). */
export function generatePassword(length = 20): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!@#%+=';
  const bytes = new Uint32Array(length);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}
