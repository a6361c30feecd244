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
import { ApiError, errorMessage, type Me } from '../../api/client';
import { type EmailSecurity, type EmailSettings, type TestEmailResult, useEmailSettings, useSendTestEmail, useUpdateEmailSettings } from '../../api/email';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';
import {
  checkAppUrl,
  checkFromAddress,
  checkHost,
  checkOneLine,
  checkPort,
  DEFAULT_PORT,
  type EmailFormValues,
  formValues,
  SECURITY_OPTIONS,
  toRequest,
  UNENCRYPTED_WARNING,
} from './emailForm';

/** Settings → Email: the SMTP server mail is sent through, for holders of settings.email. */
export function EmailSettingsPage({ me }: { me: Me }) {
  const settings = useEmailSettings();
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Email settings
        </Title>
        <Text c="dimmed">
          How Gatehouse sends welcome mails, password reset links and notifications. Without a server, nobody gets mail: you
          hand over passwords yourself.
        </Text>
      </div>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        settings.error instanceof ApiError && settings.error.code === 'keychain_unavailable' ? (
          <KeychainAlert message={settings.error.message} then="Unlock the keychain, then open this page again." />
        ) : (
          <ErrorAlert message={errorMessage(settings.error)} />
        )
      ) : (
        <>
          <EmailSettingsForm key={settings.dataUpdatedAt} settings={settings.data} />
          <TestEmail me={me} settings={settings.data} />
        </>
      )}
    </Stack>
  );
}

export function EmailSettingsForm({ settings }: { settings: EmailSettings }) {
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
      username: checkOneLine(256, 'The user name'),
      password: (v) => (v.length <= 512 && !/[\r\n]/.test(v) ? null : 'The SMTP password is at most 512 characters, on one line'),
      fromName: checkOneLine(100, 'The sender name'),
      fromAddress: (v, values) => checkFromAddress(v, values.host),
      appUrl: checkAppUrl,
    },
  });

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    setKeychainError(null);
    try {
      const saved = await save.mutateAsync(toRequest(values));
      notifications.show({ color: 'teal', message: saved.configured ? 'Email settings saved.' : 'Email settings saved. Email is off.' });
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
        <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />} title="Mail is not encrypted">
          {settings.warning}
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md" component="section" aria-label="Email server">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group gap="xs">
              <IconMail size={20} />
              <Title order={2} size="h4">
                Email server
              </Title>
              <Text size="sm" c={settings.configured ? 'teal' : 'dimmed'} fw={500}>
                {settings.configured ? 'On' : 'Off'}
              </Text>
            </Group>
            {!settings.configured && (
              <Text size="sm" c="dimmed">
                Email is off. Enter your mail provider&apos;s SMTP server and the address mail is sent from, then press Save.
              </Text>
            )}
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
              <TextInput
                label="SMTP server"
                description="Leave empty to turn email off."
                placeholder="smtp.example.com"
                autoComplete="off"
                spellCheck={false}
                style={{ gridColumn: 'span 2' }}
                {...form.getInputProps('host')}
              />
              <NumberInput label="Port" min={1} max={65535} allowDecimal={false} allowNegative={false} hideControls {...form.getInputProps('port')} />
            </SimpleGrid>
            <Select label="Security" data={SECURITY_OPTIONS} allowDeselect={false} {...security} onChange={onSecurity} />
            {insecure && !settings.warning && (
              <Alert color="orange" variant="light" role="note" icon={<IconAlertTriangle size={18} />}>
                {UNENCRYPTED_WARNING}
              </Alert>
            )}
            <TextInput label="User name" description="Often the sender address. Leave empty if the server needs no sign-in." autoComplete="off" {...form.getInputProps('username')} />
            <PasswordInput
              label="Password"
              description={
                settings.passwordSet
                  ? 'A password is stored in the keychain. Leave this empty to keep it, or type a new one.'
                  : 'Kept in the system keychain, never in the database, and never shown again.'
              }
              placeholder={settings.passwordSet ? '•••••••• (stored)' : ''}
              autoComplete="new-password"
              disabled={form.values.clearPassword}
              {...form.getInputProps('password')}
            />
            {settings.passwordSet && (
              <Checkbox
                label="Remove the stored password"
                description="For a server that needs no password (mail is then sent without signing in, unless you type a new one)."
                {...form.getInputProps('clearPassword', { type: 'checkbox' })}
              />
            )}
            <Divider label="Sender" labelPosition="left" mt="xs" />
            <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
              <TextInput label="Sender name" placeholder="Gatehouse" {...form.getInputProps('fromName')} />
              <TextInput label="Sender address" type="email" placeholder="gatehouse@example.com" {...form.getInputProps('fromAddress')} />
            </SimpleGrid>
            <TextInput
              label="Gatehouse address for links"
              description={
                <>
                  The address people open Gatehouse at, e.g. <Code>http://office-server:8787</Code>. Mails link to it. Empty:
                  <Code>gatehouse serve</Code> links to its own address; mails sent from the desktop app tell people to open it
                  and type the code from the mail.
                </>
              }
              placeholder="http://office-server:8787"
              spellCheck={false}
              {...form.getInputProps('appUrl')}
            />
            <Divider label="Notification mails" labelPosition="left" mt="xs" />
            <Text size="sm" c="dimmed">
              Which notifications are sent at all. Each person can still turn theirs off in My account.
            </Text>
            <Switch label="Added to a project" {...form.getInputProps('notifications.projectAdded', { type: 'checkbox' })} />
            <Switch label="A task is assigned to me" {...form.getInputProps('notifications.taskAssigned', { type: 'checkbox' })} />
            <Switch
              label="A client approved or requested changes"
              {...form.getInputProps('notifications.taskReviewed', { type: 'checkbox' })}
            />
            <Switch
              label="Someone mentions me in a project discussion"
              {...form.getInputProps('notifications.mentioned', { type: 'checkbox' })}
            />
            <Group justify="flex-end" mt="sm">
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        Who can use these settings: roles with <Code>settings.email</Code>. Every change is in the activity log (which fields
        changed, never the password).
      </Text>
    </Stack>
  );
}

/** Sends a mail now with the saved settings and shows what the SMTP server answered. */
export function TestEmail({ me, settings }: { me: Me; settings: EmailSettings }) {
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
    <Paper withBorder p="lg" radius="md" component="section" aria-label="Send a test email">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <Group gap="xs">
            <IconSend size={20} />
            <Title order={2} size="h4">
              Send a test email
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            {settings.configured
              ? 'Sent at once with the saved settings (save your changes first), not through the queue.'
              : 'Save a server and a sender address first.'}
          </Text>
          {error &&
            (error.keychain ? (
              <KeychainAlert message={error.message} then="Nothing was sent. Once the keychain is unlocked, send the test again." />
            ) : (
              <ErrorAlert message={error.message} />
            ))}
          {result && (
            <Alert
              role={result.ok ? 'status' : 'alert'}
              color={result.ok ? 'teal' : 'red'}
              variant="light"
              icon={result.ok ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
              title={result.ok ? 'The server accepted the test email' : 'The test email was not sent'}
            >
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                {result.reply || (result.ok ? 'It did not say more.' : 'The server gave no reason.')}
              </Text>
            </Alert>
          )}
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput
              label="Send to"
              description={`Empty: your own address (${me.user.email}).`}
              placeholder={me.user.email}
              type="email"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              error={toError}
              disabled={!settings.configured}
              style={{ flex: 1, minWidth: 240 }}
            />
            <Button type="submit" variant="default" loading={send.isPending} disabled={!settings.configured || readOnly}>
              Send a test email
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
