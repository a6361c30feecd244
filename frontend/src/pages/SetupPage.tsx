import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useSetup } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { applyServerError } from '../lib/forms';
import { confirmMatches, emailShape, passwordStrength, requiredText } from '../lib/validation';

type Values = { name: string; email: string; password: string; confirm: string };

/** First run: create the owner (Admin). Shown only while /api/status says setupRequired. */
export function SetupPage({ onDone }: { onDone: (email: string) => void }) {
  const setup = useSetup();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '', confirm: '' },
    validate: {
      name: requiredText('Enter your full name'),
      email: emailShape,
      password: passwordStrength,
      confirm: confirmMatches<Values>('password'),
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      await setup.mutateAsync({ name: values.name.trim(), email: values.email.trim(), password: values.password });
      onDone(values.email.trim());
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <CenteredCard
      title="Create the owner account"
      subtitle="This first account is the owner: an Admin who can add the rest of the team."
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={formError} />
          <TextInput label="Full name" autoComplete="name" data-autofocus autoFocus {...form.getInputProps('name')} />
          <TextInput label="Email" type="email" autoComplete="email" {...form.getInputProps('email')} />
          <PasswordInput
            label="Password"
            description="At least 12 characters"
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput label="Confirm password" autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Button type="submit" loading={setup.isPending} mt="xs">
            Create owner account
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
