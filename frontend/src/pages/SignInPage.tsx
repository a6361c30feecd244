import { Alert, Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { ApiError, errorMessage } from '../api/client';
import { useSignIn } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { emailShape, requiredText } from '../lib/validation';

type Values = { email: string; password: string };

/** Seconds left until `until` (a Date.now() timestamp), ticking once a second. */
function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    setNow(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [until]);
  return until ? Math.max(0, Math.ceil((until - now) / 1000)) : 0;
}

export function SignInPage({ notice, initialEmail = '' }: { notice?: string | null; initialEmail?: string }) {
  const signIn = useSignIn();
  const [error, setError] = useState<string | null>(null);
  const [lockedUntil, setLockedUntil] = useState<number | null>(null);
  const secondsLeft = useCountdown(lockedUntil);
  const locked = secondsLeft > 0;

  useEffect(() => {
    if (lockedUntil && secondsLeft === 0) {
      setLockedUntil(null);
      setError(null);
    }
  }, [lockedUntil, secondsLeft]);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { email: initialEmail, password: '' },
    validate: {
      email: emailShape,
      password: requiredText('Enter your password'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    if (locked) return;
    setError(null);
    try {
      await signIn.mutateAsync({ email: values.email.trim(), password: values.password });
    } catch (e) {
      if (e instanceof ApiError && e.status === 429) {
        setLockedUntil(Date.now() + (e.retryAfter ?? 30) * 1000);
      } else {
        setError(errorMessage(e));
      }
      form.setFieldValue('password', '');
    }
  });

  const message = locked
    ? `Too many attempts. Try again in ${secondsLeft} second${secondsLeft === 1 ? '' : 's'}.`
    : error;

  return (
    <CenteredCard title="Sign in">
      {notice && (
        <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
          {notice}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={message} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            autoFocus={!initialEmail}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            autoFocus={!!initialEmail}
            {...form.getInputProps('password')}
          />
          <Button type="submit" loading={signIn.isPending} disabled={locked} mt="xs">
            {locked ? `Sign in (${secondsLeft}s)` : 'Sign in'}
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
