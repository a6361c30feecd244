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
import { ApiError, errorMessage } from '../../api/client';
import { useRoles, useStatus } from '../../api/hooks';
import { type SignInSettings, useSignInSettings, useUpdateSignInSettings } from '../../api/signin';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';
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
  const settings = useSignInSettings();
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Sign-in settings
        </Title>
        <Text c="dimmed">How people sign in to Gatehouse besides their email and password.</Text>
      </div>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorAlert message={errorMessage(settings.error)} />
      ) : (
        <SignInSettingsForm key={settings.dataUpdatedAt} settings={settings.data} />
      )}
    </Stack>
  );
}

export function SignInSettingsForm({ settings }: { settings: SignInSettings }) {
  const readOnly = useReadOnly();
  const status = useStatus();
  const roles = useRoles();
  const save = useUpdateSignInSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const configured = settings.googleClientId !== '' && settings.googleClientSecretSet;

  const clientRoles = roles.data?.items.filter((r) => r.kind === 'client');
  const roleData = clientRoles
    ? clientRoles.map((r) => ({ value: r.id, label: r.builtIn ? `${r.name} (built-in)` : r.name }))
    : [{ value: settings.defaultRoleId, label: settings.defaultRoleId === 'client' ? 'Client (built-in)' : settings.defaultRoleId }];

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
    send(toRequest(values), configured ? 'Sign-in settings saved.' : 'Sign in with Google is on.'),
  );

  const redirectHelp = status.data?.window ? (
    <>
      In the Google Cloud console, create an OAuth client of type <b>Desktop app</b>. Gatehouse receives Google&apos;s answer
      on <Code>http://127.0.0.1</Code> with a port chosen for each sign-in, and opens Google in your web browser.
    </>
  ) : (
    <>
      In the Google Cloud console, create an OAuth client of type <b>Web application</b> with this authorised redirect URI:{' '}
      <Code>{`${location.origin}/api/auth/google/callback`}</Code>
    </>
  );

  return (
    <Stack gap="md">
      <SecretsWarningAlert warning={settings.secretsWarning} />
      <Paper withBorder p="lg" radius="md" component="section" aria-label="Sign in with Google">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group gap="xs">
              <IconBrandGoogle size={20} />
              <Title order={2} size="h4">
                Sign in with Google
              </Title>
              <Text size="sm" c={configured ? 'teal' : 'dimmed'} fw={500}>
                {configured ? 'On' : 'Off'}
              </Text>
            </Group>
            <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
              <Text size="sm">{redirectHelp}</Text>
            </Alert>
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <TextInput
              label="Client ID"
              placeholder="1234-abc.apps.googleusercontent.com"
              autoComplete="off"
              {...form.getInputProps('googleClientId')}
            />
            <PasswordInput
              label="Client secret"
              description={
                settings.googleClientSecretSet
                  ? 'A secret is stored in the system keychain. Leave this empty to keep it, or paste a new one.'
                  : 'Kept in the system keychain, never in the database, and never shown again.'
              }
              placeholder={settings.googleClientSecretSet ? '•••••••• (stored)' : ''}
              autoComplete="new-password"
              {...form.getInputProps('googleClientSecret')}
            />
            <TextInput
              label="Allowed domain"
              description="Only Google accounts of this domain (Google Workspace) may sign in. Leave empty to allow any Google account."
              placeholder="example.com"
              {...form.getInputProps('hostedDomain')}
            />
            <Divider label="New and existing people" labelPosition="left" mt="xs" />
            <Switch
              label="Allow new registrations through Google"
              description="Someone without a Gatehouse account who signs in with Google gets one, with the role below. Off: only existing users can sign in with Google."
              {...form.getInputProps('allowRegistrations', { type: 'checkbox' })}
            />
            <Select
              label="Role for new Google users"
              description="Only client (portal) roles can be chosen, so strangers never get team access. You can change a person's role after they register."
              data={roleData}
              allowDeselect={false}
              {...form.getInputProps('defaultRoleId')}
            />
            <Switch
              label="Link to existing accounts by verified email"
              description="A first Google sign-in whose verified email matches an active user signs in as that user, and links the two. Off: existing users sign in with their password."
              {...form.getInputProps('linkByEmail', { type: 'checkbox' })}
            />
            <TextInput
              label="Issuer"
              description={`Google's is ${GOOGLE_ISSUER}. Change it only for another OpenID Connect provider.`}
              {...form.getInputProps('googleIssuer')}
            />
            <Group justify="space-between" mt="sm">
              {configured ? (
                <Anchor component="button" type="button" c="red" size="sm" onClick={() => setConfirmOff(true)}>
                  Turn off Google sign-in
                </Anchor>
              ) : (
                <span />
              )}
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                Save
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        Who can use these settings: roles with <Code>settings.integrations</Code>. Every change is in the activity log (which
        fields changed, never the secret).
      </Text>
      <ConfirmModal
        opened={confirmOff}
        title="Turn off Google sign-in?"
        confirmLabel="Turn off"
        loading={save.isPending}
        onClose={() => setConfirmOff(false)}
        onConfirm={async () => {
          await send({ googleClientId: '' }, 'Sign in with Google is off.');
          setConfirmOff(false);
        }}
      >
        <Text size="sm">
          Nobody can sign in with Google until it is set up again, and the client secret is removed from the keychain. Linked
          Google accounts stay linked.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
