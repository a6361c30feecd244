import { Button } from '@mantine/core';
import { useSignOut } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ChangePasswordForm } from '../components/ChangePasswordForm';

/** Shown alone while the signed-in user must change their password. */
export function ChangePasswordPage({ name }: { name: string }) {
  const signOut = useSignOut();
  return (
    <CenteredCard
      title="Choose a new password"
      subtitle={`Welcome, ${name}. Before you go on, replace the password you were given with one only you know.`}
    >
      <ChangePasswordForm
        autoFocus
        start={
          <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            Sign out
          </Button>
        }
      />
    </CenteredCard>
  );
}
