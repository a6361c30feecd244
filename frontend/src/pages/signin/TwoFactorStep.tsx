import { Anchor, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { rememberThisComputer } from '../../api/signin';
import { useCompleteSignIn } from '../../api/security';
import { CenteredCard } from '../../components/CenteredCard';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { useThrottle } from '../../lib/throttle';

/**
 * The sign-in's second step: the password was right, and the account signs in with a code
 * from an authenticator app (or a recovery code). `onBack` returns to the password, with
 * why when the sign-in ended (five minutes, or five wrong codes).
 */
export function TwoFactorStep({
  challenge,
  email,
  remember,
  onBack,
}: {
  challenge: string;
  email: string;
  /** "Keep me signed in" was ticked (the window). */
  remember: boolean;
  onBack: (why?: string) => void;
}) {
  const { t } = useTranslation('twoFactor');
  const complete = useCompleteSignIn();
  const throttle = useThrottle();
  const [recovery, setRecovery] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: {
      code: (v) => (!v.trim() ? (recovery ? t('signIn.enterRecovery') : t('signIn.enterAppCode')) : null),
    },
  });

  const submit = form.onSubmit(async ({ code }) => {
    if (throttle.locked) return;
    setError(null);
    try {
      const session = await complete.mutateAsync({ challenge, code: code.trim() });
      if (session.recoveryCodesLeft !== undefined) {
        notifications.show({
          color: session.recoveryCodesLeft <= 2 ? 'orange' : 'teal',
          title: t('signIn.usedRecoveryTitle'),
          message: t('signIn.usedRecovery', { count: session.recoveryCodesLeft }),
          autoClose: false,
        });
      }
      if (remember) await rememberThisComputer();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'two_factor_expired') {
        onBack(e.message);
        return;
      }
      // The field empties for the next code first: a change of its value would clear the
      // error put on it.
      form.setFieldValue('code', '');
      if (!throttle.caught(e)) setError(applyServerError(form, e));
    }
  });

  return (
    <CenteredCard title={t('title')} subtitle={t('signIn.as', { email })}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={throttle.message ?? error} />
          <TextInput
            key={recovery ? 'recovery' : 'totp'}
            label={recovery ? t('signIn.recoveryCode') : t('signIn.appCode')}
            description={recovery ? t('signIn.recoveryHelp') : t('signIn.appCodeHelp')}
            autoComplete="one-time-code"
            inputMode={recovery ? 'text' : 'numeric'}
            autoFocus
            {...form.getInputProps('code')}
          />
          <Button type="submit" loading={complete.isPending} disabled={throttle.locked}>
            {throttle.locked ? t('signIn.verifyIn', { seconds: throttle.secondsLeft }) : t('signIn.verify')}
          </Button>
          <Group justify="space-between" gap="xs">
            <Anchor
              component="button"
              type="button"
              size="sm"
              onClick={() => {
                setRecovery(!recovery);
                form.reset();
                setError(null);
              }}
            >
              {recovery ? t('signIn.useApp') : t('signIn.useRecovery')}
            </Anchor>
            <Anchor component="button" type="button" size="sm" onClick={() => onBack()}>
              {t('signIn.back')}
            </Anchor>
          </Group>
          {recovery && (
            <Text size="sm" c="dimmed">
              {t('signIn.lostAll')}
            </Text>
          )}
        </Stack>
      </form>
    </CenteredCard>
  );
}
