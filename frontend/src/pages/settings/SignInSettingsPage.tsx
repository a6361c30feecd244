import {
  Alert,
  Anchor,
  Button,
  Code,
  Divider,
  Group,
  Paper,
  PasswordInput,
  Select,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconBrandGoogle, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useRoles, useStatus } from '../../api/hooks';
import { type SignInSettings, useSignInSettings, useUpdateSignInSettings } from '../../api/signin';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';
import {
  checkClientId,
  checkClientSecret,
  checkDefaultRole,
  checkHostedDomain,
  checkIssuer,
  formValues,
  GOOGLE_ISSUER,
  type SignInFormValues,
  toRequest,
} from './signInForm';

/** Settings → Sign-in: Google sign-in for holders of settings.integrations. */
export function SignInSettingsPage() {
  const { t } = useTranslation('settings');
  const settings = useSignInSettings();
  return (
    <SettingsTab title={t('signIn.title')} intro={t('signIn.intro')} settings={settings}>
      {(data, loadedAt) => <SignInSettingsForm key={loadedAt} settings={data} />}
    </SettingsTab>
  );
}

export function SignInSettingsForm({ settings }: { settings: SignInSettings }) {
  const { t } = useTranslation('settings');
  const readOnly = useReadOnly();
  const status = useStatus();
  const roles = useRoles();
  const save = useUpdateSignInSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const configured = settings.googleClientId !== '' && settings.googleClientSecretSet;

  // A client role the asker may give (the one chosen now stays shown).
  const clientRoles = roles.data?.items.filter((r) => r.kind === 'client' && (r.mayGive || r.id === settings.defaultRoleId));
  const roleData = clientRoles
    ? clientRoles.map((r) => ({ value: r.id, label: r.builtIn ? t('signIn.builtIn', { name: r.name }) : r.name }))
    : [{ value: settings.defaultRoleId, label: settings.defaultRoleId === 'client' ? t('signIn.builtIn', { name: t('signIn.clientRole') }) : settings.defaultRoleId }];

  const form = useForm<SignInFormValues>({
    mode: 'controlled',
    initialValues: formValues(settings),
    validate: {
      googleClientId: checkClientId,
      googleClientSecret: (v) => checkClientSecret(v, settings.googleClientSecretSet),
      googleIssuer: checkIssuer,
      hostedDomain: checkHostedDomain,
      defaultRoleId: (v) => checkDefaultRole(v, clientRoles?.map((r) => r.id)),
    },
  });

  const send = async (body: ReturnType<typeof toRequest>, done: string) => {
    setFormError(null);
    setKeychainError(null);
    try {
      await save.mutateAsync(body);
      notifications.show({ color: 'teal', message: done });
    } catch (e) {
      if (e instanceof ApiError && e.status === 503) setKeychainError(e.message);
      else setFormError(applyServerError(form, e));
    }
  };

  const submit = form.onSubmit((values) =>
    send(toRequest(values), configured ? t('signIn.saved') : t('signIn.turnedOn')),
  );

  const redirectHelp = status.data?.window ? (
    <Trans t={t} i18nKey="signIn.redirectHelp.window" values={{ address: 'http://127.0.0.1' }} components={{ b: <b />, code: <Code /> }} />
  ) : (
    <Trans
      t={t}
      i18nKey="signIn.redirectHelp.browser"
      values={{ uri: `${location.origin}/api/auth/google/callback` }}
      components={{ b: <b />, code: <Code /> }}
    />
  );

  return (
    <Stack gap="md">
      <SecretsWarningAlert warning={settings.secretsWarning} />
      <Paper withBorder p="lg" radius="md" component="section" aria-label={t('signIn.google')}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group gap="xs">
              <IconBrandGoogle size={20} />
              <Title order={2} size="h4">
                {t('signIn.google')}
              </Title>
              <Text size="sm" c={configured ? 'teal' : 'dimmed'} fw={500}>
                {configured ? t('on') : t('off')}
              </Text>
            </Group>
            <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
              <Text size="sm">{redirectHelp}</Text>
            </Alert>
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <TextInput
              label={t('signIn.clientId')}
              placeholder="1234-abc.apps.googleusercontent.com"
              autoComplete="off"
              {...form.getInputProps('googleClientId')}
            />
            <PasswordInput
              label={t('signIn.clientSecret')}
              description={settings.googleClientSecretSet ? t('signIn.secretStored') : t('keptInKeychain')}
              placeholder={settings.googleClientSecretSet ? t('storedPlaceholder') : ''}
              autoComplete="new-password"
              {...form.getInputProps('googleClientSecret')}
            />
            <TextInput
              label={t('signIn.domain')}
              description={t('signIn.domainHint')}
              placeholder="example.com"
              {...form.getInputProps('hostedDomain')}
            />
            <Divider label={t('signIn.people')} labelPosition="left" mt="xs" />
            <Switch
              label={t('signIn.registrations')}
              description={t('signIn.registrationsHint')}
              {...form.getInputProps('allowRegistrations', { type: 'checkbox' })}
            />
            <Select
              label={t('signIn.defaultRole')}
              description={t('signIn.defaultRoleHint')}
              data={roleData}
              allowDeselect={false}
              {...form.getInputProps('defaultRoleId')}
            />
            <Switch
              label={t('signIn.linkByEmail')}
              description={t('signIn.linkByEmailHint')}
              {...form.getInputProps('linkByEmail', { type: 'checkbox' })}
            />
            <TextInput
              label={t('signIn.issuer')}
              description={t('signIn.issuerHint', { issuer: GOOGLE_ISSUER })}
              {...form.getInputProps('googleIssuer')}
            />
            <Group justify="space-between" mt="sm">
              {configured ? (
                <Anchor component="button" type="button" c="red" size="sm" onClick={() => setConfirmOff(true)}>
                  {t('signIn.turnOff')}
                </Anchor>
              ) : (
                <span />
              )}
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                {t('save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        <Trans t={t} i18nKey="signIn.whoCan" values={{ permission: 'settings.integrations' }} components={{ code: <Code /> }} />
      </Text>
      <ConfirmModal
        opened={confirmOff}
        title={t('signIn.turnOffConfirm.title')}
        confirmLabel={t('signIn.turnOffConfirm.confirm')}
        loading={save.isPending}
        onClose={() => setConfirmOff(false)}
        onConfirm={async () => {
          await send({ googleClientId: '' }, t('signIn.turnedOff'));
          setConfirmOff(false);
        }}
      >
        <Text size="sm">{t('signIn.turnOffConfirm.body')}</Text>
      </ConfirmModal>
    </Stack>
  );
}
