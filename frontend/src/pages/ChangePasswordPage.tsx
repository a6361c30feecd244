import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSignOut } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ChangePasswordForm } from '../components/ChangePasswordForm';

/** Shown alone while the signed-in user must change their password. */
export function ChangePasswordPage({ name }: { name: string }) {
  const { t } = useTranslation('signin');
  const signOut = useSignOut();
  return (
    <CenteredCard
      title={t('forcedChange.title')}
      subtitle={t('forcedChange.subtitle', { name })}
    >
      <ChangePasswordForm
        autoFocus
        start={
          <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            {t('forcedChange.signOut')}
          </Button>
        }
      />
    </CenteredCard>
  );
}
