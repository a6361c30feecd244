import { Alert, Button, Group, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { useChangeMyEmail, useConfirmEmail } from '../api/hooks';
import { applyServerError } from '../lib/forms';
import { tokenFromInput } from '../lib/mailLinks';
import { useThrottle } from '../lib/throttle';
import { emailShape, requiredText } from '../lib/validation';
import { ErrorAlert } from './ErrorAlert';

type Values = { email: string; password: string };

/**
 * Changing one's own email (POST /api/me/email). Whoever controls the email can reset the
 * password, so it takes the password, and the new address must be confirmed: a link goes
 * to it, and the email changes when the link is opened — or, in the window, when its code
 * is typed here.
 */
export function ChangeEmailForm({ current, disabled = false, onChanged }: { current: string; disabled?: boolean; onChanged?: (email: string) => void }) {
  const { t } = useTranslation('account');
  const change = useChangeMyEmail();
  const confirm = useConfirmEmail();
  const throttle = useThrottle();
  const [formError, setFormError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) =>
        v.trim() === ''
          ? t('emailForm.emailRequired')
          : (emailShape(v.trim()) ?? (v.trim().toLowerCase() === current.toLowerCase() ? t('emailForm.sameAsCurrent') : null)),
      password: requiredText(() => t('emailForm.passwordRequired')),
    },
  });

  const submit = form.onSubmit(async (values) => {
    if (throttle.locked) return;
    setFormError(null);
    try {
      const answer = await change.mutateAsync({ email: values.email.trim(), password: values.password });
      form.reset();
      setSent(answer.message);
    } catch (e) {
      if (throttle.caught(e)) form.setFieldValue('password', '');
      else setFormError(applyServerError(form, e));
    }
  });

  const submitCode = async (e: React.FormEvent) => {
    e.preventDefault();
    setCodeError(null);
    const token = tokenFromInput(code);
    if (!token) {
      setCodeError(t('emailForm.codeRequired'));
      return;
    }
    try {
      const { email } = await confirm.mutateAsync(token);
      setSent(null);
      setCode('');
      onChanged?.(email);
    } catch (err) {
      setCodeError(errorMessage(err));
    }
  };

  if (sent)
    return (
      <Stack gap="sm">
        <Alert color="teal" variant="light" role="status">
          {sent}
        </Alert>
        <form onSubmit={submitCode} noValidate>
          <Stack gap="xs">
            <Text size="sm">{t('emailForm.codeIntro')}</Text>
            <TextInput
              label={t('emailForm.code')}
              autoComplete="one-time-code"
              spellCheck={false}
              disabled={disabled}
              value={code}
              error={codeError}
              onChange={(e) => setCode(e.currentTarget.value)}
            />
            <Group justify="space-between">
              <Button variant="subtle" onClick={() => setSent(null)}>
                {t('emailForm.anotherAddress')}
              </Button>
              <Button type="submit" loading={confirm.isPending} disabled={disabled}>
                {t('emailForm.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Stack>
    );

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={throttle.message ?? formError} />
        <TextInput label={t('emailForm.newEmail')} type="email" autoComplete="email" disabled={disabled} {...form.getInputProps('email')} />
        <PasswordInput label={t('emailForm.password')} autoComplete="current-password" disabled={disabled} {...form.getInputProps('password')} />
        <Group justify="flex-end" mt="xs">
          <Button type="submit" loading={change.isPending} disabled={disabled || throttle.locked}>
            {throttle.locked ? t('emailForm.submitLocked', { seconds: throttle.secondsLeft }) : t('emailForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
