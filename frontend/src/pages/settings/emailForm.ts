// The Settings → Email form: its values, its checks (mirroring the server's, which still
// decides) and the request it sends.
import type { EmailSecurity, EmailSettings, EmailSettingsRequest } from '../../api/email';

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

export const SECURITY_OPTIONS: { value: EmailSecurity; label: string }[] = [
  { value: 'starttls', label: 'STARTTLS (usually port 587)' },
  { value: 'tls', label: 'TLS (usually port 465)' },
  { value: 'none', label: 'None: unencrypted' },
];

export const UNENCRYPTED_WARNING =
  'Without encryption, the SMTP password, sign-in links and passwords in welcome mails travel over the network as plain text. Use STARTTLS or TLS unless the mail server runs on this computer.';

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
  if (h.length > 253 || !HOST_NAME.test(h)) return "Enter the SMTP server's name, like smtp.example.com (no scheme, no port)";
  return null;
}

export function checkPort(value: number | string): string | null {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === '' || !Number.isInteger(n) || n < 1 || n > 65535)
    return 'The port is a number from 1 to 65535 (usually 587 for STARTTLS, 465 for TLS)';
  return null;
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** One plain address (the display name is the sender name); needed once a server is set. */
export function checkFromAddress(value: string, host: string): string | null {
  const a = value.trim();
  if (!a) return host.trim() ? 'Enter the address mail is sent from' : null;
  return ADDRESS.test(a) ? null : 'Enter one email address, like gatehouse@example.com';
}

export function checkOneLine(max: number, what: string) {
  return (value: string) => (value.trim().length <= max && ONE_LINE.test(value) ? null : `${what} is at most ${max} characters, on one line`);
}

/** An http(s) address without query or fragment; empty: mails tell people to open the app. */
export function checkAppUrl(value: string): string | null {
  const v = value.trim();
  if (!v) return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return 'Enter the address people open Gatehouse at, like http://office-server:8787';
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || !u.host || u.username || u.password || u.search || u.hash || v.length > 500)
    return 'Enter the address people open Gatehouse at, like http://office-server:8787';
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
