import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCheck, IconClockX } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, errorMessage } from '../../api/client';
import { type PasswordLink, useCheckPasswordLink, useSetPasswordWithLink } from '../../api/email';
import { usePasswordMinLength, useSignIn } from '../../api/hooks';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { formatDateTime } from '../../lib/format';
import { tokenFromInput } from '../../lib/mailLinks';
import { useThrottle } from '../../lib/throttle';
import { confirmMatches, passwordStrength } from '../../lib/validation';

const isGone = (e: unknown) => e instanceof ApiError && e.status === 404;

/**
 * Where a welcome or reset mail leads (/#/set-password, from <appUrl>/set-password?token=…),
 * or where someone types the code from such a mail (the desktop window, where links cannot
 * open the app). The link is checked first, then used to set the password; the person is
 * then signed in with it, the way the sign-in form does.
 */
export function SetPasswordPage({
  token: linkToken = '',
  onSignInNeeded,
}: {
  /** The token of the link that was opened; empty asks for the code. */
  token?: string;
  /** The password is set but signing in failed: show the sign-in form for this email. */
  onSignInNeeded: (email: string) => void;
}) {
  const { t } = useTranslation('signin');
  const navigate = useNavigate();
  // Held here: the address bar forgets the link's token at once (see below).
  const [fromLink] = useState(!!linkToken);
  const [token, setToken] = useState(linkToken);
  const check = useCheckPasswordLink();
  const { mutate } = check;
  const checked = useRef('');

  useEffect(() => {
    if (!linkToken) return;
    // The token leaves the address bar (and the browser's history) as soon as it is read.
    navigate('/set-password', { replace: true });
    // Once per link (StrictMode runs effects twice; each check is charged to a throttle).
    if (checked.current === linkToken) return;
    checked.current = linkToken;
    mutate(linkToken);
  }, [linkToken, navigate, mutate]);

  const checkCode = (code: string) => {
    setToken(code);
    mutate(code);
  };

  if (token && check.data) {
    return <NewPasswordForm token={token} link={check.data} onGone={() => mutate(token)} onSignInNeeded={onSignInNeeded} />;
  }
  if (check.isError && isGone(check.error)) {
    return (
      <LinkGone
        typed={!fromLink}
        onAnother={() => {
          check.reset();
          setToken('');
        }}
      />
    );
  }
  if (fromLink && token && !check.isError) return <Loading full label={t('setPassword.checking')} />;
  // Typing the code, or a check that failed for another reason (throttled, not a code): the
  // code form says why.
  return (
    <CodeForm key={check.submittedAt} onCode={checkCode} initial={token} error={check.error} checking={check.isPending} />
  );
}

/** Asks for the code (or the whole link) from the mail. */
function CodeForm({
  onCode,
  initial = '',
  error,
  checking,
}: {
  onCode: (token: string) => void;
  initial?: string;
  error: unknown;
  checking: boolean;
}) {
  const { t } = useTranslation('signin');
  const throttle = useThrottle();
  const [message, setMessage] = useState<string | null>(null);
  const form = useForm<{ code: string }>({
    mode: 'controlled',
    initialValues: { code: initial },
    validate: { code: (v) => (tokenFromInput(v) ? null : t('code.required')) },
  });

  useEffect(() => {
    if (!error || throttle.caught(error)) return;
    setMessage(applyServerError(form, error, { token: 'code' }));
    // Only a new error (a new check) is placed; `form` and `throttle` change every render.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [error]);

  const submit = form.onSubmit(({ code }) => {
    if (throttle.locked) return;
    onCode(tokenFromInput(code));
  });

  return (
    <CenteredCard
      title={t('code.title')}
      subtitle={t('code.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={throttle.message ?? message} />
          <TextInput label={t('code.label')} autoComplete="one-time-code" spellCheck={false} autoFocus {...form.getInputProps('code')} />
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/" size="sm">
              {t('backToSignIn')}
            </Anchor>
            <Button type="submit" loading={checking} disabled={throttle.locked}>
              {throttle.locked ? t('code.submitLocked', { seconds: throttle.secondsLeft }) : t('code.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}

/** The link (or code) was used, expired, or replaced by a newer one. */
function LinkGone({ typed, onAnother }: { typed: boolean; onAnother: () => void }) {
  const { t } = useTranslation('signin');
  return (
    <CenteredCard title={typed ? t('gone.codeTitle') : t('gone.linkTitle')}>
      <Alert color="orange" variant="light" icon={<IconClockX size={18} />} role="alert">
        {typed ? t('gone.code') : t('gone.link')}
      </Alert>
      <Text size="sm" c="dimmed">
        {t('gone.explain')}
      </Text>
      <Group justify="space-between">
        {typed ? (
          <Anchor component="button" type="button" size="sm" onClick={onAnother}>
            {t('gone.another')}
          </Anchor>
        ) : (
          <Anchor component={Link} to="/" size="sm">
            {t('backToSignIn')}
          </Anchor>
        )}
        <Button component={Link} to="/forgot-password" autoFocus>
          {t('gone.newLink')}
        </Button>
      </Group>
    </CenteredCard>
  );
}

type Values = { password: string; confirm: string };

function NewPasswordForm({
  token,
  link,
  onGone,
  onSignInNeeded,
}: {
  token: string;
  link: PasswordLink;
  onGone: () => void;
  onSignInNeeded: (email: string) => void;
}) {
  const { t } = useTranslation('signin');
  const navigate = useNavigate();
  const setPassword = useSetPasswordWithLink();
  const signIn = useSignIn();
  const throttle = useThrottle();
  const [error, setError] = useState<string | null>(null);
  // Set, but signing in with it failed: the email to sign in with, and why.
  const [setFor, setSetFor] = useState<{ email: string; why: string } | null>(null);
  const minLength = usePasswordMinLength();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { password: '', confirm: '' },
    validate: { password: (v) => passwordStrength(v, minLength), confirm: confirmMatches<Values>('password') },
  });

  const submit = form.onSubmit(async ({ password }) => {
    if (throttle.locked) return;
    setError(null);
    let email: string;
    try {
      ({ email } = await setPassword.mutateAsync({ token, password }));
    } catch (e) {
      if (isGone(e)) onGone(); // used or expired meanwhile: the check says so
      else if (!throttle.caught(e)) setError(applyServerError(form, e));
      return;
    }
    try {
      // The sign-in form's own path: the session is stored the same way. An account with
      // a second factor is not signed in yet: the sign-in screen asks for the code.
      const answer = await signIn.mutateAsync({ email, password });
      if (!('token' in answer)) onSignInNeeded(email);
      navigate('/', { replace: true });
    } catch (e) {
      setSetFor({ email, why: errorMessage(e) });
    }
  });

  if (setFor) {
    return (
      <CenteredCard title={t('setPassword.setTitle')}>
        <Alert color="teal" variant="light" icon={<IconCheck size={18} />} role="status">
          {t('setPassword.signInWith', { email: setFor.email })}
        </Alert>
        <ErrorAlert message={t('setPassword.signInFailed', { why: setFor.why })} />
        <Button
          autoFocus
          onClick={() => {
            onSignInNeeded(setFor.email);
            navigate('/', { replace: true });
          }}
        >
          {t('setPassword.goToSignIn')}
        </Button>
      </CenteredCard>
    );
  }

  const welcome = link.purpose === 'welcome';
  return (
    <CenteredCard
      title={welcome ? t('setPassword.welcomeTitle', { name: link.name }) : t('setPassword.resetTitle')}
      subtitle={
        <Trans
          t={t}
          i18nKey={welcome ? 'setPassword.welcomeSubtitle' : 'setPassword.resetSubtitle'}
          values={{ email: link.email, until: formatDateTime(link.expiresAt) }}
          components={{ b: <Text span fw={500} /> }}
        />
      }
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={throttle.message ?? error} />
          {/* For password managers: the account the new password belongs to. */}
          <input type="email" autoComplete="username" value={link.email} readOnly hidden />
          <PasswordInput
            label={t('setPassword.new')}
            description={t('setPassword.newHint', { min: minLength })}
            autoComplete="new-password"
            autoFocus
            {...form.getInputProps('password')}
          />
          <PasswordInput label={t('setPassword.confirm')} autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="space-between" mt="xs">
            <Anchor component={Link} to="/" size="sm">
              {t('backToSignIn')}
            </Anchor>
            <Button type="submit" loading={setPassword.isPending || signIn.isPending} disabled={throttle.locked}>
              {throttle.locked ? t('setPassword.submitLocked', { seconds: throttle.secondsLeft }) : t('setPassword.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
