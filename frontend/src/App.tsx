import { Alert, Button, Group } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { getToken, subscribeToken, errorMessage } from './api/client';
import type { Me } from './api/client';
import { keys, useMe, useSignOut, useStatus } from './api/hooks';
import { CenteredCard } from './components/CenteredCard';
import { Loading } from './components/Loading';
import { Shell } from './components/Shell';
import { ChangePasswordPage } from './pages/ChangePasswordPage';
import { SetupPage } from './pages/SetupPage';
import { SignInPage } from './pages/SignInPage';
import { AppRoutes, navFor } from './routes';

/** Decides which screen shows: setup, sign-in, forced password change, or the app. */
export function App() {
  const token = useSyncExternalStore(subscribeToken, getToken);
  const qc = useQueryClient();
  const [notice, setNotice] = useState<{ text: string; email: string } | null>(null);

  useEffect(() => {
    // Signed out (by the button or a 401): nothing of the last session may linger.
    if (!token) qc.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.status[0] });
  }, [token, qc]);

  if (!token) return <SignedOut notice={notice} onSetupDone={(email) => setNotice({ text: 'Owner account created — sign in', email })} />;
  return <SignedIn />;
}

function SignedOut({
  notice,
  onSetupDone,
}: {
  notice: { text: string; email: string } | null;
  onSetupDone: (email: string) => void;
}) {
  const status = useStatus();
  if (status.isPending) return <Loading full />;
  if (status.isError) {
    return (
      <CenteredCard title="Gatehouse is not answering">
        <Alert color="red" role="alert">
          {errorMessage(status.error)}
        </Alert>
        <Button onClick={() => status.refetch()} loading={status.isFetching}>
          Try again
        </Button>
      </CenteredCard>
    );
  }
  if (status.data.setupRequired) return <SetupPage onDone={onSetupDone} />;
  return <SignInPage notice={notice?.text} initialEmail={notice?.email} />;
}

function SignedIn() {
  const me = useMe();
  const signOut = useSignOut();
  if (me.isPending) return <Loading full />;
  if (me.isError) {
    return (
      <CenteredCard title="Could not load your account">
        <Alert color="red" role="alert">
          {errorMessage(me.error)}
        </Alert>
        <Group>
          <Button onClick={() => me.refetch()} loading={me.isFetching}>
            Try again
          </Button>
          <Button variant="default" onClick={() => signOut.mutate()}>
            Sign out
          </Button>
        </Group>
      </CenteredCard>
    );
  }
  if (me.data.user.mustChangePassword) return <ChangePasswordPage name={me.data.user.name} />;
  return <SignedInApp me={me.data} />;
}

function SignedInApp({ me }: { me: Me }) {
  return (
    <Shell me={me} nav={navFor(me)}>
      <AppRoutes me={me} />
    </Shell>
  );
}
