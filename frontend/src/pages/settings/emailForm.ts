// The Settings → Email form: its values, its checks (mirroring the server's, which still
// decides) and the request it sends.
import type { EmailSecurity, EmailSettings, EmailSettingsRequest } from '../../api/email';
import i18n from '../../i18n';

export type EmailFormValues = {
  host: string;
  port: number | string;
  security: EmailSecurity;
  username: string;
  /** Empty keeps the password already in the keychain. */
  password: string;
  clearPassword: boolean;
  fromName: string;
  fromAddress: string;
  appUrl: string;
  notifications: { projectAdded: boolean; taskAssigned: boolean; taskReviewed: boolean; mentioned: boolean };
};

/** The usual port of each kind of security: the form follows it until a port is typed. */
export const DEFAULT_PORT: Record<EmailSecurity, number> = { starttls: 587, tls: 465, none: 25 };

/** The choices of security, in words. */
export function securityOptions(): { value: EmailSecurity; label: string }[] {
  return (['starttls', 'tls', 'none'] as const).map((value) => ({ value, label: i18n.t(`settings:email.security.${value}`) }));
}

/** What choosing no encryption exposes. */
export function unencryptedWarning(): string {
  return i18n.t('settings:email.unencryptedWarning');
}

export function formValues(s: EmailSettings): EmailFormValues {
  return {
    host: s.host,
    port: s.port || DEFAULT_PORT[s.security] || 587,
    security: s.security || 'starttls',
    username: s.username,
    password: '',
    clearPassword: false,
    fromName: s.fromName,
    fromAddress: s.fromAddress,
    appUrl: s.appUrl,
    notifications: { ...s.notifications },
  };
}

const HOST_NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^\[?[0-9a-f:.]+\]?$/;
const ONE_LINE = /^[^\p{Cc}]*$/u;

/** A host name or an IP address, without scheme or port; empty turns email off. */
export function checkHost(value: string): string | null {
  const h = value.trim().replace(/\.$/, '').toLowerCase();
  if (!h) return null;
  if (IPV4.test(h) || ((h.includes('::') || h.split(':').length > 2) && IPV6.test(h))) return null;
  if (h.length > 253 || !HOST_NAME.test(h)) return i18n.t('settings:email.check.host');
  return null;
}

export function checkPort(value: number | string): string | null {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || !Number.isInteger(n) || n < 1 || n > 65535)
    return i18n.t('settings:email.check.port');
  return null;
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** One plain address (the display name is the sender name); needed once a server is set. */
export function checkFromAddress(value: string, host: string): string | null {
  const a = value.trim();
  if (!a) return host.trim() ? i18n.t('settings:email.check.fromRequired') : null;
  return ADDRESS.test(a) ? null : i18n.t('settings:email.check.fromAddress');
}

/** `field`: the field, as its message names it ("The user name is at most 256 characters…"). */
export function checkOneLine(max: number, field: 'username' | 'fromName') {
  return (value: string) =>
    value.trim().length <= max && ONE_LINE.test(value) ? null : i18n.t(`settings:email.check.oneLine.${field}`, { max });
}

/** An http(s) address without query or fragment; empty: mails tell people to open the app. */
export function checkAppUrl(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return i18n.t('settings:email.check.appUrl');
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.host || u.username || u.password || u.search || u.hash || v.length > 500)
    return i18n.t('settings:email.check.appUrl');
  return null;
}

export function toRequest(v: EmailFormValues): EmailSettingsRequest {
  const req: EmailSettingsRequest = {
    host: v.host.trim(),
    port: Number(v.port),
    security: v.security,
    username: v.username.trim(),
    fromName: v.fromName.trim(),
    fromAddress: v.fromAddress.trim(),
    appUrl: v.appUrl.trim().replace(/\/+$/, ''),
    notifications: { ...v.notifications },
  };
  // The password is sent only when one was typed; removing it is a choice of its own.
  if (v.password) req.password = v.password;
  else if (v.clearPassword) req.clearPassword = true;
  return req;
}
