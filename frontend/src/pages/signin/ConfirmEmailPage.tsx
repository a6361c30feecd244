import { Alert, Button, Stack } from '@mantine/core';
import { IconCheck, IconClockX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { useConfirmEmail } from '../../api/hooks';
import { CenteredCard } from '../../components/CenteredCard';
import { Loading } from '../../components/Loading';

/**
 * Where the mail confirming a new email leads (/#/confirm-email?token=…): the link is
 * opened once, and the account's email becomes the address the mail went to.
 */
export function ConfirmEmailPage({ token }: { token: string }) {
  const { t } = useTranslation('signin');
  const navigate = useNavigate();
  const confirm = useConfirmEmail();
  const [held] = useState(token);
  const asked = useRef(false);
  const { mutate } = confirm;
  useEffect(() => {
    // The request is made once, and the address bar forgets the token at once.
    if (asked.current) return;
    asked.current = true;
    if (held) mutate(held);
    navigate('/confirm-email', { replace: true });
  }, [mutate, held, navigate]);

  if (!held)
    return (
      <CenteredCard title={t('confirmEmail.incompleteTitle')}>
        <Alert color="red" role="alert">
          {t('confirmEmail.incomplete')}
        </Alert>
        <Button onClick={() => navigate('/')}>{t('confirmEmail.goToGatehouse')}</Button>
      </CenteredCard>
    );
  if (confirm.isPending || confirm.isIdle) return <Loading full label={t('confirmEmail.confirming')} />;
  if (confirm.isError) {
    const gone = confirm.error instanceof ApiError && confirm.error.status === 404;
    return (
      <CenteredCard title={gone ? t('confirmEmail.goneTitle') : t('confirmEmail.failedTitle')}>
        <Alert color="red" role="alert" icon={<IconClockX size={18} />}>
          {gone ? t('confirmEmail.gone') : errorMessage(confirm.error)}
        </Alert>
        <Button onClick={() => navigate('/')}>{t('confirmEmail.goToGatehouse')}</Button>
      </CenteredCard>
    );
  }
  return (
    <CenteredCard title={t('confirmEmail.doneTitle')}>
      <Stack gap="sm">
        <Alert color="teal" role="status" icon={<IconCheck size={18} />}>
          {t('confirmEmail.done', { email: confirm.data.email })}
        </Alert>
        <Button onClick={() => navigate('/')}>{t('confirmEmail.goToGatehouse')}</Button>
      </Stack>
    </CenteredCard>
  );
}
