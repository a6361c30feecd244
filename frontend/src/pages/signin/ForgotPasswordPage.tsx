import { Alert, Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router-dom';
import { useForgotPassword } from '../../api/email';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { useThrottle } from '../../lib/throttle';
import { emailShape } from '../../lib/validation';

// The same words whether or not an account uses the address: the answer must not tell
// a stranger who has an account. (In English, for tests; on screen in the UI's language.)
export const RESET_SENT =
  'If an account uses this address, a reset link is on its way. It works once, within 30 minutes.';

/** Signed out: asks for an email address and sends a reset link to it (/#/forgot-password). */
export function ForgotPasswordPage() {
  const { t } = useTranslation('signin');
  const location = useLocation();
  const typed = (location.state as { email?: string } | null)?.email ?? '';
  const forgot = useForgotPassword();
  const throttle = useThrottle();
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const form = useForm<{ email: string }>({
    mode: 'controlled',
    initialValues: { email: typed },
    validate: { email: emailShape },
  });

  const submit = form.onSubmit(async ({ email }) => {
    if (throttle.locked) return;
    setError(null);
    try {
      await forgot.mutateAsync(email.trim());
      setSent(true);
    } catch (e) {
      if (!throttle.caught(e)) setError(applyServerError(form, e));
    }
  });

  if (sent) {
    return (
      <CenteredCard title={t('forgot.sentTitle')}>
        <Alert color="teal" variant="light" icon={<IconMailCheck size={18} />} role="status">
          {t('forgot.sent')}
        </Alert>
        <Group justify="space-between">
          <Anchor component={Link} to="/" size="sm">
            {t('backToSignIn')}
          </Anchor>
          <Button component={Link} to="/set-password" variant="default">
            {t('haveCode')}
          </Button>
        </Group>
      </CenteredCard>
    );
  }

  return (
    <CenteredCard
      title={t('forgot.title')}
      subtitle={t('forgot.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={throttle.message ?? error} />
          <TextInput label={t('forgot.email')} type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/" size="sm">
              {t('backToSignIn')}
            </Anchor>
            <Button type="submit" loading={forgot.isPending} disabled={throttle.locked}>
              {throttle.locked ? t('forgot.submitLocked', { seconds: throttle.secondsLeft }) : t('forgot.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
