import { Alert, Button, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { Suspense, lazy, useEffect, useState, useSyncExternalStore } from 'react';
import { getSessionEndedReason, getToken, subscribeToken, errorMessage } from './api/client';
import { keys, useMe, useSignOut, useStatus } from './api/hooks';
import { CenteredCard } from './components/CenteredCard';
import { Loading } from './components/Loading';
import { useViewAs } from './lib/readOnly';
import { SetupPage } from './pages/SetupPage';
import { SignInPage } from './pages/SignInPage';
import { ForgotPasswordPage } from './pages/signin/ForgotPasswordPage';
import { GoogleReturn } from './pages/signin/GoogleReturn';
import { ConfirmEmailPage } from './pages/signin/ConfirmEmailPage';
import { SetPasswordPage } from './pages/signin/SetPasswordPage';
import { useResumeRemembered } from './api/signin';
import { useTranslation } from 'react-i18next';
import i18next, { LANGUAGES, loadLanguage, type Language } from './i18n';
import { useLocation } from 'react-router-dom';


// Signed out, the first load is the set-up and sign-in screens only: the app (its shell,
// menu and pages), the rarer screens and the texts of all of them are chunks of their
// own, loaded together when needed (so no signed-in screen waits for its words).
function withTexts<T>(load: () => Promise<T>): () => Promise<T> {
  return () => {
    const lang = (LANGUAGES as readonly string[]).includes(i18next.language) ? (i18next.language as Language) : 'en';
    return Promise.all([load(), loadLanguage(lang)]).then(([m]) => m);
  };
}
const SignedInApp = lazy(withTexts(() => import('./SignedInApp').then((m) => ({ default: m.SignedInApp }))));
const ChangePasswordPage = lazy(withTexts(() => import('./pages/ChangePasswordPage').then((m) => ({ default: m.ChangePasswordPage }))));
const TwoFactorSetupPage = lazy(withTexts(() => import('./pages/TwoFactorSetupPage').then((m) => ({ default: m.TwoFactorSetupPage }))));

/**
 * Decides which screen shows: setup, sign-in (or a forgotten password), a set-password
 * link, forced password change, a required two-factor setup, or the app.
 */
export function App() {
  const { t } = useTranslation('shell');
  const token = useSyncExternalStore(subscribeToken, getToken);
  // When the server ended the session (deactivated, password reset…), its reason.
  const ended = useSyncExternalStore(subscribeToken, getSessionEndedReason);
  const qc = useQueryClient();
  // Every screen, signed in or not, speaks the organisation's language and shows its name:
  // they come with the status, so nothing shows before it (a failed status is said below,
  // or the page shows in English).
  const status = useStatus();
  const [notice, setNotice] = useState<{ text: string; email: string } | null>(null);
  // Google sign-in (browser flow) comes back to /#/auth/google?result=<one-time code>.
  const location = useLocation();
  const googleResult = location.pathname === '/auth/google' ? new URLSearchParams(location.search).get('result') : null;
  const [googleError, setGoogleError] = useState<string | null>(null);
  // A welcome or reset mail's link (/#/set-password?token=…, see main.tsx), or its code typed
  // in: whoever is signed in here, the link is for the account it names.
  const setPasswordToken =
    location.pathname === '/set-password' ? (new URLSearchParams(location.search).get('token') ?? '') : null;

  useEffect(() => {
    // Signed out (by the button or a 401): nothing of the last session may linger.
    if (!token) qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.status[0] });
  }, [token, qc]);

  if (status.isPending) return <Loading full />;
  if (googleResult) return <GoogleReturn result={googleResult} onError={setGoogleError} />;
  // A mail confirming one's new email (/#/confirm-email?token=…), signed in or not.
  if (location.pathname === '/confirm-email')
    return <ConfirmEmailPage token={new URLSearchParams(location.search).get('token') ?? ''} />;
  if (setPasswordToken !== null)
    return (
      <SetPasswordPage
        token={setPasswordToken}
        onSignInNeeded={(email) => setNotice({ text: t('app.passwordSet'), email })}
      />
    );
  if (!token)
    return (
      <SignedOut
        notice={notice}
        error={googleError ?? ended}
        onSetupDone={(email) => setNotice({ text: t('app.ownerCreated'), email })}
      />
    );
  return <SignedIn />;
}

function SignedOut({
  notice,
  error,
  onSetupDone,
}: {
  notice: { text: string; email: string } | null;
  error: string | null;
  onSetupDone: (email: string) => void;
}) {
  const { t } = useTranslation('shell');
  const status = useStatus();
  const location = useLocation();
  // In the window, "keep me signed in" signs in from the keychain before anything shows.
  const resume = useResumeRemembered(!!status.data?.window && !status.data.setupRequired);
  if (status.isPending || resume.isFetching) return <Loading full />;
  if (status.isError) {
    return (
      <CenteredCard title={t('app.notAnswering')}>
        <Alert color="red" role="alert">
          {errorMessage(status.error)}
        </Alert>
        <Button onClick={() => status.refetch()} loading={status.isFetching}>
          {t('tryAgain')}
        </Button>
      </CenteredCard>
    );
  }
  if (status.data.setupRequired) return <SetupPage onDone={onSetupDone} />;
  if (location.pathname === '/forgot-password') return <ForgotPasswordPage />;
  return (
    <SignInPage
      notice={notice?.text}
      initialEmail={notice?.email}
      error={error ?? resume.data?.notice}
      inWindow={!!status.data.window}
      google={!!status.data.googleSignIn}
      secretsWarning={status.data.secretsWarning}
    />
  );
}

function SignedIn() {
  const { t } = useTranslation('shell');
  const me = useMe();
  // The organisation's time zone, formats and look, and the password policy's minimum
  // (forms check it before a round trip), before any page shows.
  const status = useStatus();
  const viewAs = useViewAs();
  const signOut = useSignOut();
  if (me.isPending || status.isPending) return <Loading full />;
  if (me.isError) {
    return (
      <CenteredCard title={t('app.accountNotLoaded')}>
        <Alert color="red" role="alert">
          {errorMessage(me.error)}
        </Alert>
        <Group>
          <Button onClick={() => me.refetch()} loading={me.isFetching}>
            {t('tryAgain')}
          </Button>
          <Button variant="default" onClick={() => signOut.mutate()}>
            {t('header.signOut')}
          </Button>
        </Group>
      </CenteredCard>
    );
  }
  return (
    <Suspense fallback={<Loading full />}>
      {/* (Viewing as someone who must change their password still shows their app, read-only.) */}
      {me.data.user.mustChangePassword && !viewAs ? (
        <ChangePasswordPage name={me.data.user.name} />
      ) : me.data.twoFactorSetupRequired ? (
        // The session's own hold (never the viewed person's): the server refuses the rest.
        <TwoFactorSetupPage name={me.data.user.name} />
      ) : (
        <SignedInApp me={me.data} />
      )}
    </Suspense>
  );
}
