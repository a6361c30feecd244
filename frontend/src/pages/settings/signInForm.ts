// The Settings → Sign-in form: its values, its checks (mirroring the server's, which
// still decides) and the request it sends.
import type { SignInSettings, SignInSettingsRequest } from '../../api/signin';
import i18n from '../../i18n';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

export type SignInFormValues = {
  googleClientId: string;
  /** Empty keeps the secret already in the keychain. */
  googleClientSecret: string;
  googleIssuer: string;
  hostedDomain: string;
  allowRegistrations: boolean;
  linkByEmail: boolean;
  defaultRoleId: string;
};

export function formValues(s: SignInSettings): SignInFormValues {
  return {
    googleClientId: s.googleClientId,
    googleClientSecret: '',
    googleIssuer: s.googleIssuer || GOOGLE_ISSUER,
    hostedDomain: s.hostedDomain,
    allowRegistrations: s.allowRegistrations,
    linkByEmail: s.linkByEmail,
    defaultRoleId: s.defaultRoleId,
  };
}

const hasSpace = (v: string) => /\s/.test(v);

export function checkClientId(value: string): string | null {
  const v = value.trim();
  if (!v) return i18n.t('settings:signIn.check.clientIdRequired');
  if (hasSpace(v)) return i18n.t('settings:signIn.check.clientIdSpaces');
  return null;
}

/** The secret is needed once; afterwards an empty field keeps the stored one. */
export function checkClientSecret(value: string, secretStored: boolean): string | null {
  if (!value) return secretStored ? null : i18n.t('settings:signIn.check.secretRequired');
  if (hasSpace(value)) return i18n.t('settings:signIn.check.secretSpaces');
  return null;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const issuerAsUrl = () => i18n.t('settings:signIn.check.issuerUrl', { issuer: GOOGLE_ISSUER });

export function checkIssuer(value: string): string | null {
  const v = value.trim();
  if (!v) return null; // the server uses Google's
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    return issuerAsUrl();
  }
  if (u.search || u.hash || u.username || u.password) return issuerAsUrl();
  if (u.protocol === 'https:') return null;
  if (u.protocol === 'http:' && LOOPBACK.has(u.hostname)) return null;
  if (u.protocol === 'http:') return i18n.t('settings:signIn.check.issuerHttps');
  return issuerAsUrl();
}

const DOMAIN = /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function checkHostedDomain(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (!v) return null;
  return DOMAIN.test(v) ? null : i18n.t('settings:signIn.check.domain');
}

export function checkDefaultRole(value: string, clientRoleIds: string[] | undefined): string | null {
  if (!value) return i18n.t('settings:signIn.check.roleRequired');
  if (clientRoleIds && !clientRoleIds.includes(value)) return i18n.t('settings:signIn.check.clientRole');
  return null;
}

/** What Save sends: the secret only when one was typed (it is write-only). */
export function toRequest(values: SignInFormValues): SignInSettingsRequest {
  const body: SignInSettingsRequest = {
    googleClientId: values.googleClientId.trim(),
    googleIssuer: values.googleIssuer.trim() || GOOGLE_ISSUER,
    hostedDomain: values.hostedDomain.trim().toLowerCase(),
    allowRegistrations: values.allowRegistrations,
    linkByEmail: values.linkByEmail,
    defaultRoleId: values.defaultRoleId,
  };
  if (values.googleClientSecret) body.googleClientSecret = values.googleClientSecret;
  return body;
}
