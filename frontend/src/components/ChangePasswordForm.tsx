import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useChangeMyPassword, usePasswordMinLength } from '../api/hooks';
import { applyServerError } from '../lib/forms';
import { useThrottle } from '../lib/throttle';
import { confirmMatches, passwordStrength, requiredText } from '../lib/validation';
import { ErrorAlert } from './ErrorAlert';

type Values = { current: string; new: string; confirm: string };

/**
 * Changing one's own password (POST /api/me/password): the forced change after a reset and
 * My account. A wrong current password shows on its field; too many tries lock the form
 * for as long as the server says.
 */
export function ChangePasswordForm({
  start,
  autoFocus = false,
  disabled = false,
  onChanged,
}: {
  /** Beside the submit button, on its left (e.g. "Sign out"). */
  start?: ReactNode;
  autoFocus?: boolean;
  /** Read-only (viewing as someone): nothing can be sent. */
  disabled?: boolean;
  onChanged?: () => void;
}) {
  const { t } = useTranslation('account');
  const change = useChangeMyPassword();
  const throttle = useThrottle();
  const [formError, setFormError] = useState<string | null>(null);
  const minLength = usePasswordMinLength();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { current: '', new: '', confirm: '' },
    validate: {
      current: requiredText(() => t('passwordForm.currentRequired')),
      new: (value, values) =>
        passwordStrength(value, minLength) ?? (value === values.current ? t('passwordForm.sameAsCurrent') : null),
      confirm: confirmMatches<Values>('new'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    if (throttle.locked) return;
    setFormError(null);
    try {
      await change.mutateAsync({ current: values.current, new: values.new });
      form.reset();
      onChanged?.();
    } catch (e) {
      if (throttle.caught(e)) form.setFieldValue('current', '');
      else setFormError(applyServerError(form, e, { password: 'new' }));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={throttle.message ?? formError} />
        <PasswordInput
          label={t('passwordForm.current')}
          autoComplete="current-password"
          autoFocus={autoFocus}
          disabled={disabled}
          {...form.getInputProps('current')}
        />
        <PasswordInput
          label={t('passwordForm.new')}
          description={t('passwordForm.newHint', { min: minLength })}
          autoComplete="new-password"
          disabled={disabled}
          {...form.getInputProps('new')}
        />
        <PasswordInput label={t('passwordForm.confirm')} autoComplete="new-password" disabled={disabled} {...form.getInputProps('confirm')} />
        <Group justify={start ? 'space-between' : 'flex-end'} mt="xs">
          {start}
          <Button type="submit" loading={change.isPending} disabled={disabled || throttle.locked}>
            {throttle.locked ? t('passwordForm.submitLocked', { seconds: throttle.secondsLeft }) : t('passwordForm.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
