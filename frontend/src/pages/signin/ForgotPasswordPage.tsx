import { Alert, Anchor, Button, Group, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useForgotPassword } from '../../api/email';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { useThrottle } from '../../lib/throttle';
import { emailShape } from '../../lib/validation';

// The same words whether or not an account uses the address: the answer must not tell
// a stranger who has an account.
export const RESET_SENT =
  'If an account uses this address, a reset link is on its way. It works once, within 30 minutes.';

/** Signed out: asks for an email address and sends a reset link to it (/#/forgot-password). */
export function ForgotPasswordPage() {
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
      <CenteredCard title="Check your email">
        <Alert color="teal" variant="light" icon={<IconMailCheck size={18} />} role="status">
          {RESET_SENT}
        </Alert>
        <Group justify="space-between">
          <Anchor component={Link} to="/" size="sm">
            Back to sign-in
          </Anchor>
          <Button component={Link} to="/set-password" variant="default">
            I have a code from an email
          </Button>
        </Group>
      </CenteredCard>
    );
  }

  return (
    <CenteredCard
      title="Forgot your password?"
      subtitle="Enter the email address you sign in with. We send a link to choose a new password."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={throttle.message ?? error} />
          <TextInput label="Email" type="email" autoComplete="username" autoFocus {...form.getInputProps('email')} />
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/" size="sm">
              Back to sign-in
            </Anchor>
            <Button type="submit" loading={forgot.isPending} disabled={throttle.locked}>
              {throttle.locked ? `Send reset link (${throttle.secondsLeft}s)` : 'Send reset link'}
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
