// Sign-in beyond email and password: Settings → Sign-in, Google sign-in (the browser
// flow of `serve`, the loopback flow of the window), "keep me signed in" in the window,
// and the Google accounts linked to users. Thin hooks around the typed client.
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, call, errorMessage, setToken } from './client';
import type { Schemas } from './client';
import i18n from '../i18n';
import { keys } from './hooks';
import { refresh } from './refresh';

export type SignInSettings = Schemas['SignInSettings'];
export type SignInSettingsRequest = Schemas['SignInSettingsRequest'];
export type Identity = Schemas['Identity'];
export type Session = Schemas['Session'];

export const signInKeys = {
  settings: ['settings', 'sign-in'] as const,
  myIdentities: ['me', 'identities'] as const,
  userIdentities: (id: string) => ['users', id, 'identities'] as const,
};

// ---- settings ---------------------------------------------------------------------------

export function useSignInSettings(enabled = true) {
  return useQuery({
    queryKey: signInKeys.settings,
    queryFn: () => call(api.GET('/api/settings/sign-in')),
    enabled,
  });
}

export function useUpdateSignInSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: SignInSettingsRequest) => call(api.PUT('/api/settings/sign-in', { body })),
    onSuccess: (saved) => {
      qc.setQueryData(signInKeys.settings, saved);
      // The sign-in screen's "Sign in with Google" follows the settings.
      void refresh(qc, keys.status);
      void refresh(qc, keys.audit);
    },
  });
}

// ---- sessions -----------------------------------------------------------------------------

/**
 * The window's "keep me signed in": the backend keeps a refresh token in the system
 * keychain. If that fails (keychain locked or missing), the person stays signed in for
 * now and is told plainly why they will not stay so.
 */
export async function rememberThisComputer(): Promise<void> {
  try {
    await call(api.POST('/api/sessions/remembered'));
  } catch (e) {
    notifications.show({
      color: 'orange',
      title: i18n.t('shell:api.notRemembered'),
      message: errorMessage(e),
      autoClose: false,
    });
  }
}

/** Starts using a new session, remembered on this computer when asked. */
export async function startSession(session: Session, remember: boolean): Promise<void> {
  setToken(session.token);
  if (remember) await rememberThisComputer();
}

/**
 * The window's remembered sign-in: at start (and whenever the window is signed out
 * without a sign-out, e.g. an expired session) it asks the backend to sign in with the
 * refresh token in the keychain. The answer is a notice to show, if any.
 */
export function useResumeRemembered(inWindow: boolean) {
  return useQuery({
    queryKey: ['session', 'resume'],
    queryFn: async (): Promise<{ notice: string | null }> => {
      try {
        const session = await call(api.POST('/api/sessions/resume'));
        setToken(session.token);
        return { notice: null };
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return { notice: null }; // nobody remembered
        return { notice: errorMessage(e) };
      }
    },
    enabled: inWindow,
    staleTime: Infinity,
    retry: false,
  });
}

// ---- Google sign-in -------------------------------------------------------------------------

/** The browser flow (serve): the whole page goes to the provider and comes back. */
export const GOOGLE_START_URL = '/api/auth/google/start';

export function startGoogleDesktop() {
  return call(api.POST('/api/auth/google/desktop'));
}

export function pollGoogleDesktop(id: string) {
  return call(api.GET('/api/auth/google/desktop/{id}', { params: { path: { id } } }));
}

export function cancelGoogleDesktop(id: string) {
  return call(api.DELETE('/api/auth/google/desktop/{id}', { params: { path: { id } } }));
}

export function takeGoogleResult(result: string) {
  return call(api.POST('/api/auth/google/result', { body: { result } }));
}

// ---- linked identities ----------------------------------------------------------------------

export function useMyIdentities() {
  return useQuery({
    queryKey: signInKeys.myIdentities,
    queryFn: () => call(api.GET('/api/me/identities')),
  });
}

export function useUserIdentities(id: string, enabled = true) {
  return useQuery({
    queryKey: signInKeys.userIdentities(id),
    queryFn: () => call(api.GET('/api/users/{id}/identities', { params: { path: { id } } })),
    enabled,
  });
}

export function useUnlinkIdentity() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, identityId }: { userId: string; identityId: string }) =>
      call(api.DELETE('/api/users/{id}/identities/{identityId}', { params: { path: { id: userId, identityId } } })),
    onSuccess: (_, { userId }) => {
      void refresh(qc, signInKeys.userIdentities(userId));
      void refresh(qc, signInKeys.myIdentities);
      void refresh(qc, keys.audit);
    },
  });
}
