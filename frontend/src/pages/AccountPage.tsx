import { Alert, Badge, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAt, IconInfoCircle, IconKey, IconMail } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage, type Me } from '../api/client';
import { type NotificationKey, type NotificationPrefs, useMyNotifications, useUpdateMyNotifications } from '../api/email';
import { ChangeEmailForm } from '../components/ChangeEmailForm';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { useReadOnly } from '../lib/readOnly';

export const OFF_BY_OWNER = 'Turned off for everyone by the owner';
export const EMAIL_NOT_SET_UP = 'Email is not set up yet, so no notifications are sent.';

/** My account (/account): one's own password, email and notification mails. */
export function AccountPage({ me }: { me: Me }) {
  const readOnly = useReadOnly();
  return (
    <Stack gap="md" maw={640}>
      <PageHeader
        title="My account"
        description={
          <>
            {me.user.name} · {me.user.email}{' '}
            <Badge component="span" variant="light" tt="none" ml={4} color={me.role.kind === 'client' ? 'grape' : 'blue'}>
              {me.role.name}
            </Badge>
          </>
        }
      />
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-password">
        <Stack gap="sm">
          <Group gap="xs">
            <IconKey size={20} />
            <Title order={2} size="h4" id="account-password">
              Change my password
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            Your other sessions (other browsers, the desktop app) are signed out when the password changes.
          </Text>
          <ChangePasswordForm
            disabled={readOnly}
            onChanged={() =>
              notifications.show({ color: 'teal', message: 'Your password is changed. Your other sessions were signed out.' })
            }
          />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-email">
        <Stack gap="sm">
          <Group gap="xs">
            <IconAt size={20} />
            <Title order={2} size="h4" id="account-email">
              Change my email
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            You sign in with your email, and password reset links go to it, so changing it asks for your password.
          </Text>
          <ChangeEmailForm
            current={me.user.email}
            disabled={readOnly}
            onChanged={(email) => notifications.show({ color: 'teal', message: `Your email is now ${email}. Sign in with it from now on.` })}
          />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-notifications">
        <Stack gap="sm">
          <Group gap="xs">
            <IconMail size={20} />
            <Title order={2} size="h4" id="account-notifications">
              Email notifications
            </Title>
          </Group>
          <NotificationSwitches readOnly={readOnly} />
        </Stack>
      </Paper>
    </Stack>
  );
}

function NotificationSwitches({ readOnly }: { readOnly: boolean }) {
  const prefs = useMyNotifications();
  const update = useUpdateMyNotifications();
  const [error, setError] = useState<string | null>(null);

  if (prefs.isPending) return <Loading />;
  if (prefs.isError) return <ErrorAlert message={errorMessage(prefs.error)} />;

  const toggle = async (key: NotificationKey, enabled: boolean) => {
    setError(null);
    try {
      await update.mutateAsync({ [key]: enabled });
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  // While a change is on its way, its switch shows what was asked for.
  const pending = update.isPending ? update.variables : undefined;
  const checked = (item: NotificationPrefs['items'][number]) =>
    !item.offByOwner && (pending?.[item.key] ?? item.enabled);

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Mails Gatehouse sends you when something concerns you.
      </Text>
      {!prefs.data.emailConfigured && (
        <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
          {EMAIL_NOT_SET_UP}
        </Alert>
      )}
      <ErrorAlert message={error} onClose={() => setError(null)} />
      {prefs.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          There are no notification mails to choose from.
        </Text>
      ) : (
        prefs.data.items.map((item) => (
          <Switch
            key={item.key}
            label={item.label}
            description={item.offByOwner ? OFF_BY_OWNER : undefined}
            checked={checked(item)}
            disabled={item.offByOwner || readOnly || (update.isPending && pending?.[item.key] !== undefined)}
            onChange={(e) => toggle(item.key, e.currentTarget.checked)}
          />
        ))
      )}
    </Stack>
  );
}
