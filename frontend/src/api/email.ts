// Email: Settings → Email, the email log (the outbox), one's own notification mails, and
// the signed-out flows that mails lead to (forgotten password, set-password links). Thin
// hooks around the typed client.
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type EmailSettings = Schemas['EmailSettings'];
export type EmailSettingsRequest = Schemas['EmailSettingsRequest'];
export type EmailSecurity = Schemas['EmailSecurity'];
export type TestEmailResult = Schemas['TestEmailResult'];
export type Mail = Schemas['Mail'];
export type MailState = Schemas['MailState'];
export type NotificationKey = Schemas['NotificationKey'];
export type NotificationPrefs = Schemas['NotificationPrefs'];
export type PasswordLink = Schemas['PasswordLink'];

export const emailKeys = {
  settings: ['settings', 'email'] as const,
  outbox: ['email', 'outbox'] as const,
  myNotifications: ['me', 'notifications'] as const,
};

// ---- Settings → Email ------------------------------------------------------------------

export function useEmailSettings(enabled = true) {
  return useQuery({
    queryKey: emailKeys.settings,
    queryFn: () => call(api.GET('/api/settings/email')),
    enabled,
  });
}

export function useUpdateEmailSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: EmailSettingsRequest) => call(api.PUT('/api/settings/email', { body })),
    onSuccess: (saved) => {
      qc.setQueryData(emailKeys.settings, saved);
      // Me says whether email is set up; notification switches follow the owner's.
      void refresh(qc, keys.me);
      void refresh(qc, emailKeys.myNotifications);
      void refresh(qc, keys.audit);
    },
  });
}

export function useSendTestEmail() {
  return useMutation({
    mutationFn: (to: string) => call(api.POST('/api/settings/email/test', { body: to ? { to } : {} })),
  });
}

// ---- the email log -----------------------------------------------------------------------

export const OUTBOX_PAGE_SIZE = 50;
// While a mail waits to be sent, the log asks again this often.
export const OUTBOX_REFRESH_MS = 5000;

export function useOutbox(state: MailState | undefined) {
  return useInfiniteQuery({
    queryKey: [...emailKeys.outbox, state ?? 'any'],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/email/outbox', {
          params: {
            query: { ...(state ? { state } : {}), limit: OUTBOX_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.pages.some((p) => p.items.some((m) => m.state === 'queued')) ? OUTBOX_REFRESH_MS : false,
  });
}

export function useRetryMail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/email/outbox/{id}/retry', { params: { path: { id } } })),
    onSuccess: () => refresh(qc, emailKeys.outbox),
  });
}

// ---- my notification mails ---------------------------------------------------------------

export function useMyNotifications() {
  return useQuery({
    queryKey: emailKeys.myNotifications,
    queryFn: () => call(api.GET('/api/me/notifications')),
  });
}

export function useUpdateMyNotifications() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['NotificationPrefsRequest']) => call(api.PUT('/api/me/notifications', { body })),
    onSuccess: (saved) => qc.setQueryData(emailKeys.myNotifications, saved),
  });
}

// ---- signed out: forgotten passwords and set-password links ------------------------------

export function useForgotPassword() {
  return useMutation({
    mutationFn: (email: string) => call(api.POST('/api/auth/forgot-password', { body: { email } })),
  });
}

/** What a link (or its code) is for, without using it up. */
export function useCheckPasswordLink() {
  return useMutation({
    mutationFn: (token: string) => call(api.POST('/api/auth/password-link', { body: { token } })),
  });
}

export function useSetPasswordWithLink() {
  return useMutation({
    mutationFn: (body: Schemas['SetPasswordRequest']) => call(api.POST('/api/auth/set-password', { body })),
  });
}
