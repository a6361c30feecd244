import { Button } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { keys, useSignOut } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { TwoFactorEnrol } from '../components/TwoFactorEnrol';

/**
 * Shown alone while the signed-in person must set up two-factor sign-in (their role
 * requires it, Settings → Security): the server refuses everything else until then.
 */
export function TwoFactorSetupPage({ name }: { name: string }) {
  const { t } = useTranslation('twoFactor');
  const signOut = useSignOut();
  const qc = useQueryClient();
  return (
    <CenteredCard
      title={t('required.title')}
      subtitle={t('required.subtitle', { name })}
    >
      <TwoFactorEnrol
        autoStart
        doneLabel={t('continue')}
        // Only now is /api/me asked again: the recovery codes were on screen until here.
        onDone={() => void qc.invalidateQueries({ queryKey: keys.me })}
        footer={
          <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
            {t('common:signOut')}
          </Button>
        }
      />
    </CenteredCard>
  );
}
