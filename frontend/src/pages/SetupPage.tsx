import { Button, PasswordInput, Stack, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { usePasswordMinLength, useSetup } from '../api/hooks';
import { CenteredCard } from '../components/CenteredCard';
import { ErrorAlert } from '../components/ErrorAlert';
import { applyServerError } from '../lib/forms';
import { confirmMatches, emailShape, passwordStrength, requiredText } from '../lib/validation';

type Values = { name: string; email: string; password: string; confirm: string };

/** First run: create the owner (Admin). Shown only while /api/status says setupRequired. */
export function SetupPage({ onDone }: { onDone: (email: string) => void }) {
  const { t } = useTranslation('signin');
  const setup = useSetup();
  const [formError, setFormError] = useState<string | null>(null);
  const minLength = usePasswordMinLength();
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { name: '', email: '', password: '', confirm: '' },
    validate: {
      name: requiredText(() => t('setup.nameRequired')),
      email: emailShape,
      password: (v) => passwordStrength(v, minLength),
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
      title={t('setup.title')}
      subtitle={t('setup.subtitle')}
    >
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <ErrorAlert message={formError} />
          <TextInput label={t('setup.name')} autoComplete="name" data-autofocus autoFocus {...form.getInputProps('name')} />
          <TextInput label={t('setup.email')} type="email" autoComplete="email" {...form.getInputProps('email')} />
          <PasswordInput
            label={t('setup.password')}
            description={t('setup.passwordHint', { min: minLength })}
            autoComplete="new-password"
            {...form.getInputProps('password')}
          />
          <PasswordInput label={t('setup.confirm')} autoComplete="new-password" {...form.getInputProps('confirm')} />
          <Button type="submit" loading={setup.isPending} mt="xs">
            {t('setup.submit')}
          </Button>
        </Stack>
      </form>
    </CenteredCard>
  );
}
