import { Button, Group, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useChangeMyPassword, useSignOut } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { applyServerError } from '../lib/forms';
import { confirmMatches, passwordStrength, requiredText } from '../lib/validation';

type Values = { current: string; new: string; confirm: string };

/** Shown alone while the signed-in user must change their password. */
export function ChangePasswordPage({ name }: { name: string }) {
  const change = useChangeMyPassword();
  const signOut = useSignOut();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { current: '', new: '', confirm: '' },
    validate: {
      current: requiredText('Enter your current password'),
      new: (value, values) =>
        passwordStrength(value) ?? (value === values.current ? 'Choose a password different from the current one' : null),
      confirm: confirmMatches<Values>('new'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await change.mutateAsync({ current: values.current, new: values.new });
    } catch (e) {
      setFormError(applyServerError(form, e, { password: 'new' }));
    }
  });

  return (
    <CenteredCard
      title="Choose a new password"
      subtitle={`Welcome, ${name}. Before you go on, replace the password you were given with one only you know.`}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={formError} />
          <PasswordInput label="Current password" autoComplete="current-password" autoFocus {...form.getInputProps('current')} />
          <PasswordInput
            label="New password"
            description="At least 12 characters"
            autoComplete="new-password"
            {...form.getInputProps('new')}
          />
          <PasswordInput label="Confirm new password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Group justify="space-between" mt="xs">
            <Button variant="subtle" color="gray" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
            <Button type="submit" loading={change.isPending}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </CenteredCard>
  );
}
