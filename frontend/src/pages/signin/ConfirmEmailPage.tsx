import { Alert, Button, Stack } from '@mantine/core';
import { IconCheck, IconClockX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
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
      <CenteredCard title="This link is incomplete">
        <Alert color="red" role="alert">
          Open the link from the mail again, or type its code under My account → Change my email.
        </Alert>
        <Button onClick={() => navigate('/')}>Go to Gatehouse</Button>
      </CenteredCard>
    );
  if (confirm.isPending || confirm.isIdle) return <Loading full label="Confirming your new email…" />;
  if (confirm.isError) {
    const gone = confirm.error instanceof ApiError && confirm.error.status === 404;
    return (
      <CenteredCard title={gone ? 'This link has expired or was already used' : 'Your email did not change'}>
        <Alert color="red" role="alert" icon={<IconClockX size={18} />}>
          {gone ? 'Ask for a new one under My account → Change my email.' : errorMessage(confirm.error)}
        </Alert>
        <Button onClick={() => navigate('/')}>Go to Gatehouse</Button>
      </CenteredCard>
    );
  }
  return (
    <CenteredCard title="Your email is changed">
      <Stack gap="sm">
        <Alert color="teal" role="status" icon={<IconCheck size={18} />}>
          Your email is now {confirm.data.email}. Sign in with it from now on.
        </Alert>
        <Button onClick={() => navigate('/')}>Go to Gatehouse</Button>
      </Stack>
    </CenteredCard>
  );
}
