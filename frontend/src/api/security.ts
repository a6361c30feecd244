// Settings → Security, two-factor sign-in (the sign-in's second step, one's own second
// factor under My account, an administrator's reset). Thin hooks around the typed client.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, setToken } from './client';
import type { Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type SecuritySettings = Schemas['SecuritySettings'];
export type SecuritySettingsRequest = Schemas['SecuritySettingsRequest'];
export type TwoFactorStatus = Schemas['TwoFactorStatus'];
export type TwoFactorEnrolment = Schemas['TwoFactorEnrolment'];
export type TwoFactorChallenge = Schemas['TwoFactorChallenge'];
export type Session = Schemas['Session'];

export const securityKeys = {
  settings: ['settings', 'security'] as const,
  myTwoFactor: ['me', 'two-factor'] as const,
};

/** The limits of each setting, as the server states them (it checks them too). */
export const LIMITS = {
  minPasswordLength: [8, 64],
  idleTimeoutMinutes: [5, 7 * 24 * 60],
  sessionLifetimeHours: [1, 90 * 24],
  throttleAccount: [3, 50],
  throttleAccountWide: [3, 500],
  throttleAddress: [5, 1000],
  // 0 (for ever) is the other choice.
  activityRetentionDays: [30, 3650],
} as const;

// ---- Settings → Security -----------------------------------------------------------------

export function useSecuritySettings(enabled = true) {
  return useQuery({
    queryKey: securityKeys.settings,
    queryFn: () => call(api.GET('/api/settings/security')),
    enabled,
  });
}

export function useUpdateSecuritySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SecuritySettingsRequest) => call(api.PUT('/api/settings/security', { body })),
    onSuccess: (saved) => {
      qc.setQueryData(securityKeys.settings, saved);
      // The minimum password length is in /api/status; a role requirement may hold oneself.
      void refresh(qc, keys.status);
      void refresh(qc, keys.me);
      void refresh(qc, keys.audit);
    },
  });
}

// ---- the sign-in's second step -------------------------------------------------------------

/** A sign-in answer: a session, or (a right password, with a second factor) a challenge. */
export function isChallenge(answer: Session | TwoFactorChallenge): answer is TwoFactorChallenge {
  return 'twoFactorRequired' in answer && answer.twoFactorRequired === true;
}

export function useCompleteSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['CompleteSignInRequest']) => call(api.POST('/api/sessions/two-factor', { body })),
    onSuccess: (session) => {
      qc.clear();
      setToken(session.token);
    },
  });
}

// ---- one's own second factor -----------------------------------------------------------

export function useMyTwoFactor(enabled = true) {
  return useQuery({
    queryKey: securityKeys.myTwoFactor,
    queryFn: () => call(api.GET('/api/me/two-factor')),
    enabled,
  });
}

export function useStartEnrolment() {
  return useMutation({
    mutationFn: () => call(api.POST('/api/me/two-factor/enrolment')),
  });
}

/**
 * Confirms the enrolment with a first code. Nothing is asked again here (neither /api/me
 * nor the status): the screen that asked shows the recovery codes first, and refreshes
 * when they are saved — a refresh now would take the codes off the screen.
 */
export function useConfirmEnrolment() {
  return useMutation({
    mutationFn: (code: string) => call(api.POST('/api/me/two-factor/enrolment/confirm', { body: { code } })),
  });
}

export function useRegenerateRecoveryCodes() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => call(api.POST('/api/me/two-factor/recovery-codes', { body: { code } })),
    onSuccess: () => void refresh(qc, securityKeys.myTwoFactor),
  });
}

export function useDisableTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => call(api.POST('/api/me/two-factor/disable', { body: { code } })),
    onSuccess: () => {
      void refresh(qc, securityKeys.myTwoFactor);
      void refresh(qc, keys.me);
    },
  });
}

// ---- an administrator's reset ------------------------------------------------------------

export function useResetUserTwoFactor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/users/{id}/two-factor', { params: { path: { id } } })),
    onSuccess: () => {
      void refresh(qc, keys.users);
      void refresh(qc, keys.audit);
    },
  });
}
