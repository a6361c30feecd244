import { Alert, Anchor, Button, Checkbox, Divider, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../api/client';
import { useSignIn } from '../api/hooks';
import { rememberThisComputer } from '../api/signin';
import { GoogleSignIn } from './signin/GoogleSignIn';
import { TwoFactorStep } from './signin/TwoFactorStep';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { useThrottle } from '../lib/throttle';
import { emailShape, requiredText } from '../lib/validation';

type Values = { email: string; password: string };

export function SignInPage({
  notice,
  initialEmail = '',
  error: initialError = null,
  inWindow = false,
  google = false,
  secretsWarning,
}: {
  notice?: string | null;
  initialEmail?: string;
  /** A reason the last sign-in failed elsewhere (Google, a remembered sign-in), or why the last session ended (the server's words). */
  error?: string | null;
  /** The Gatehouse window: offers "keep me signed in". */
  inWindow?: boolean;
  /** Sign in with Google is set up. */
  google?: boolean;
  secretsWarning?: string;
}) {
  const { t } = useTranslation('signin');
  const signIn = useSignIn();
  const [error, setError] = useState<string | null>(initialError);
  const [remember, setRemember] = useState(false);
  const throttle = useThrottle();
  const { locked, secondsLeft } = throttle;
  // The password was right and a code is to come: the second step.
  const [pending, setPending] = useState<{ challenge: string; email: string } | null>(null);

  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { email: initialEmail, password: '' },
    validate: {
      email: emailShape,
      password: requiredText(() => t('signIn.passwordRequired')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    if (locked) return;
    setError(null);
    try {
      const answer = await signIn.mutateAsync({ email: values.email.trim(), password: values.password });
      if (!('token' in answer)) {
        setPending({ challenge: answer.challenge, email: values.email.trim() });
        form.setFieldValue('password', '');
        return;
      }
      if (inWindow && remember) await rememberThisComputer();
    } catch (e) {
      if (!throttle.caught(e)) setError(errorMessage(e));
      form.setFieldValue('password', '');
    }
  });

  const message = throttle.message ?? error;

  if (pending) {
    return (
      <TwoFactorStep
        challenge={pending.challenge}
        email={pending.email}
        remember={inWindow && remember}
        onBack={(why) => {
          setPending(null);
          setError(why ?? null);
        }}
      />
    );
  }

  return (
    <CenteredCard title={t('signIn.title')}>
      {/* The notice (e.g. "Owner account created") gives way to a later error. */}
      {notice && !message && (
        <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
          {notice}
        </Alert>
      )}
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={message} />
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            autoFocus={!initialEmail}
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            autoFocus={!!initialEmail}
            {...form.getInputProps('password')}
          />
          {inWindow && (
            <Checkbox
              label={t('signIn.remember')}
              description={t('signIn.rememberHint')}
              checked={remember}
              onChange={(e) => setRemember(e.currentTarget.checked)}
            />
          )}
          <Button type="submit" loading={signIn.isPending} disabled={locked} mt="xs">
            {locked ? t('signIn.submitLocked', { seconds: secondsLeft }) : t('signIn.submit')}
          </Button>
          <Group justify="space-between" gap="xs">
            {/* The address typed so far goes along, so it need not be typed twice. */}
            <Anchor component={Link} to="/forgot-password" state={{ email: form.values.email.trim() }} size="sm">
              {t('signIn.forgot')}
            </Anchor>
            <Anchor component={Link} to="/set-password" size="sm">
              {t('haveCode')}
            </Anchor>
          </Group>
        </Stack>
      </form>
      {google && (
        <>
          <Divider label={t('signIn.or')} labelPosition="center" />
          <GoogleSignIn inWindow={inWindow} remember={remember} />
        </>
      )}
      {inWindow && secretsWarning && (
        <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />}>
          {secretsWarning}
        </Alert>
      )}
    </CenteredCard>
  );
}
