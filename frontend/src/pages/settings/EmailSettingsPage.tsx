import {
  Alert,
  Button,
  Checkbox,
  Code,
  Divider,
  Group,
  NumberInput,
  Paper,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconAlertTriangle, IconCircleCheck, IconCircleX, IconMail, IconSend } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type Me } from '../../api/client';
import { type EmailSecurity, type EmailSettings, type TestEmailResult, useEmailSettings, useSendTestEmail, useUpdateEmailSettings } from '../../api/email';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';
import {
  checkAppUrl,
  checkFromAddress,
  checkHost,
  checkOneLine,
  checkPort,
  DEFAULT_PORT,
  type EmailFormValues,
  formValues,
  securityOptions,
  toRequest,
  unencryptedWarning,
} from './emailForm';

/** Settings → Email: the SMTP server mail is sent through, for holders of settings.email. */
export function EmailSettingsPage({ me }: { me: Me }) {
  const { t } = useTranslation('settings');
  const settings = useEmailSettings();
  return (
    <SettingsTab
      title={t('email.title')}
      intro={t('email.intro')}
      settings={settings}
      error={(e) =>
        e instanceof ApiError && e.code === 'keychain_unavailable' ? (
          <KeychainAlert message={e.message} then={t('email.unlockThenReopen')} />
        ) : undefined
      }
    >
      {(data, loadedAt) => (
        <>
          <EmailSettingsForm key={loadedAt} settings={data} />
          <TestEmail me={me} settings={data} />
        </>
      )}
    </SettingsTab>
  );
}

export function EmailSettingsForm({ settings }: { settings: EmailSettings }) {
  const { t } = useTranslation('settings');
  const readOnly = useReadOnly();
  const save = useUpdateEmailSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const form = useForm<EmailFormValues>({
    mode: 'controlled',
    initialValues: formValues(settings),
    validate: {
      host: checkHost,
      port: checkPort,
      username: checkOneLine(256, 'username'),
      password: (v) => (v.length <= 512 && !/[\r\n]/.test(v) ? null : t('email.check.password', { max: 512 })),
      fromName: checkOneLine(100, 'fromName'),
      fromAddress: (v, values) => checkFromAddress(v, values.host),
      appUrl: checkAppUrl,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setKeychainError(null);
    try {
      const saved = await save.mutateAsync(toRequest(values));
      notifications.show({ color: 'teal', message: saved.configured ? t('email.saved') : t('email.savedOff') });
    } catch (e) {
      if (e instanceof ApiError && e.status === 503) setKeychainError(e.message);
      else setFormError(applyServerError(form, e));
    }
  });

  // The port follows the security while it is that security's usual one.
  const security = form.getInputProps('security');
  const onSecurity = (next: string | null) => {
    if (!next) return;
    if (Number(form.values.port) === DEFAULT_PORT[form.values.security]) form.setFieldValue('port', DEFAULT_PORT[next as EmailSecurity]);
    security.onChange(next);
  };
  const insecure = form.values.security === 'none';

  return (
    <Stack gap="md">
      <SecretsWarningAlert warning={settings.secretsWarning} />
      {settings.warning && (
        <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title={t('email.notEncrypted')}>
          {settings.warning}
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md" component="section" aria-label={t('email.server')}>
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group gap="xs">
              <IconMail size={20} />
              <Title order={2} size="h4">
                {t('email.server')}
              </Title>
              <Text size="sm" c={settings.configured ? 'teal' : 'dimmed'} fw={500}>
                {settings.configured ? t('on') : t('off')}
              </Text>
            </Group>
            {!settings.configured && (
              <Text size="sm" c="dimmed">
                {t('email.off')}
              </Text>
            )}
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <TextInput
                label={t('email.host')}
                description={t('email.hostHint')}
                placeholder="smtp.example.com"
                autoComplete="off"
                spellCheck={false}
                style={{ gridColumn: 'span 2' }}
                {...form.getInputProps('host')}
              />
              <NumberInput label={t('email.port')} min={1} max={65535} allowDecimal={false} allowNegative={false} hideControls {...form.getInputProps('port')} />
            </SimpleGrid>
            <Select label={t('email.securityLabel')} data={securityOptions()} allowDeselect={false} {...security} onChange={onSecurity} />
            {insecure && !settings.warning && (
              <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />}>
                {unencryptedWarning()}
              </Alert>
            )}
            <TextInput label={t('email.username')} description={t('email.usernameHint')} autoComplete="off" {...form.getInputProps('username')} />
            <PasswordInput
              label={t('email.password')}
              description={settings.passwordSet ? t('email.passwordStored') : t('keptInKeychain')}
              placeholder={settings.passwordSet ? t('storedPlaceholder') : ''}
              autoComplete="new-password"
              disabled={form.values.clearPassword}
              {...form.getInputProps('password')}
            />
            {settings.passwordSet && (
              <Checkbox
                label={t('email.clearPassword')}
                description={t('email.clearPasswordHint')}
                {...form.getInputProps('clearPassword', { type: 'checkbox' })}
              />
            )}
            <Divider label={t('email.sender')} labelPosition="left" mt="xs" />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput label={t('email.fromName')} placeholder="Gatehouse" {...form.getInputProps('fromName')} />
              <TextInput label={t('email.fromAddress')} type="email" placeholder="gatehouse@example.com" {...form.getInputProps('fromAddress')} />
            </SimpleGrid>
            <TextInput
              label={t('email.appUrl')}
              description={
                <Trans
                  t={t}
                  i18nKey="email.appUrlHint"
                  values={{ example: 'http://office-server:8787', command: 'gatehouse serve' }}
                  components={{ code: <Code /> }}
                />
              }
              placeholder="http://office-server:8787"
              spellCheck={false}
              {...form.getInputProps('appUrl')}
            />
            <Divider label={t('email.notifications.title')} labelPosition="left" mt="xs" />
            <Text size="sm" c="dimmed">
              {t('email.notifications.intro')}
            </Text>
            <Switch label={t('email.notifications.projectAdded')} {...form.getInputProps('notifications.projectAdded', { type: 'checkbox' })} />
            <Switch label={t('email.notifications.taskAssigned')} {...form.getInputProps('notifications.taskAssigned', { type: 'checkbox' })} />
            <Switch
              label={t('email.notifications.taskReviewed')}
              {...form.getInputProps('notifications.taskReviewed', { type: 'checkbox' })}
            />
            <Switch
              label={t('email.notifications.mentioned')}
              {...form.getInputProps('notifications.mentioned', { type: 'checkbox' })}
            />
            <Group justify="flex-end" mt="sm">
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                {t('save')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        <Trans t={t} i18nKey="email.whoCan" values={{ permission: 'settings.email' }} components={{ code: <Code /> }} />
      </Text>
    </Stack>
  );
}

/** Sends a mail now with the saved settings and shows what the SMTP server answered. */
export function TestEmail({ me, settings }: { me: Me; settings: EmailSettings }) {
  const { t } = useTranslation('settings');
  const readOnly = useReadOnly();
  const send = useSendTestEmail();
  const [to, setTo] = useState('');
  const [toError, setToError] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; keychain: boolean } | null>(null);
  const [result, setResult] = useState<TestEmailResult | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setToError(null);
    setError(null);
    setResult(null);
    try {
      setResult(await send.mutateAsync(to.trim()));
    } catch (err) {
      if (err instanceof ApiError && err.field === 'to') setToError(err.message);
      else setError({ message: errorMessage(err), keychain: err instanceof ApiError && err.status === 503 });
    }
  };

  return (
    <Paper withBorder p="lg" radius="md" component="section" aria-label={t('email.test.title')}>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="xs">
            <IconSend size={20} />
            <Title order={2} size="h4">
              {t('email.test.title')}
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            {settings.configured
              ? t('email.test.intro')
              : t('email.test.saveFirst')}
          </Text>
          {error &&
            (error.keychain ? (
              <KeychainAlert message={error.message} then={t('email.test.unlockThenRetry')} />
            ) : (
              <ErrorAlert message={error.message} />
            ))}
          {result && (
            <Alert
              role={result.ok ? 'status' : 'alert'}
              color={result.ok ? 'teal' : 'red'}
              variant="light"
              icon={result.ok ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
              title={result.ok ? t('email.test.accepted') : t('email.test.notSent')}
            >
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {result.reply || (result.ok ? t('email.test.noMore') : t('email.test.noReason'))}
              </Text>
            </Alert>
          )}
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label={t('email.test.to')}
              description={t('email.test.toHint', { email: me.user.email })}
              placeholder={me.user.email}
              type="email"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={toError}
              disabled={!settings.configured}
              style={{ flex: 1, minWidth: 240 }}
            />
            <Button type="submit" variant="default" loading={send.isPending} disabled={!settings.configured || readOnly}>
              {t('email.test.title')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
