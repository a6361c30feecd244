import { Button, Group, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useChangeMyEmail } from '../api/hooks';
import { applyServerError } from '../lib/forms';
import { useThrottle } from '../lib/throttle';
import { emailShape, requiredText } from '../lib/validation';
import { ErrorAlert } from './ErrorAlert';

type Values = { email: string; password: string };

/**
 * Changing one's own email (POST /api/me/email). Whoever controls the email can reset the
 * password, so it takes the password; a wrong one shows on its field and too many tries
 * lock the form for as long as the server says.
 */
export function ChangeEmailForm({ current, disabled = false, onChanged }: { current: string; disabled?: boolean; onChanged?: (email: string) => void }) {
  const change = useChangeMyEmail();
  const throttle = useThrottle();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { email: '', password: '' },
    validate: {
      email: (v) => (v.trim() === '' ? 'Enter the new email address' : emailShape(v.trim()) ?? (v.trim().toLowerCase() === current.toLowerCase() ? 'This is your email already' : null)),
      password: requiredText('Enter your password'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    if (throttle.locked) return;
    setFormError(null);
    try {
      const u = await change.mutateAsync({ email: values.email.trim(), password: values.password });
      form.reset();
      onChanged?.(u.email);
    } catch (e) {
      if (throttle.caught(e)) form.setFieldValue('password', '');
      else setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        <ErrorAlert message={throttle.message ?? formError} />
        <TextInput label="New email" type="email" autoComplete="email" disabled={disabled} {...form.getInputProps('email')} />
        <PasswordInput label="Your password" autoComplete="current-password" disabled={disabled} {...form.getInputProps('password')} />
        <Group justify="flex-end" mt="xs">
          <Button type="submit" loading={change.isPending} disabled={disabled || throttle.locked}>
            {throttle.locked ? `Change email (${throttle.secondsLeft}s)` : 'Change email'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
