import { Alert, Badge, Group, Paper, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAt, IconInfoCircle, IconKey, IconMail, IconShieldLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me } from '../api/client';
import { type NotificationKey, type NotificationPrefs, useMyNotifications, useUpdateMyNotifications } from '../api/email';
import { ChangeEmailForm } from '../components/ChangeEmailForm';
import { ChangePasswordForm } from '../components/ChangePasswordForm';
import { ErrorAlert } from '../components/ErrorAlert';
import { Loading } from '../components/Loading';
import { PageHeader } from '../components/PageHeader';
import { LanguageSection } from './account/LanguageSection';
import { serverText } from '../lib/permissions';
import { useReadOnly } from '../lib/readOnly';
import { TwoFactorSection } from './account/TwoFactorSection';

// In English (tests find them); on screen, in the UI's language.
export const OFF_BY_OWNER = 'Turned off for everyone by the owner';
export const EMAIL_NOT_SET_UP = 'Email is not set up yet, so no notifications are sent.';

/** My account (/account): one's own password, second factor, email and notification mails. */
export function AccountPage({ me }: { me: Me }) {
  const { t } = useTranslation('account');
  const readOnly = useReadOnly();
  return (
    <Stack gap="md" maw={640}>
      <PageHeader
        title={t('title')}
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
              {t('password.title')}
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            {t('password.intro')}
          </Text>
          <ChangePasswordForm
            disabled={readOnly}
            onChanged={() =>
              notifications.show({ color: 'teal', message: t('password.changed') })
            }
          />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-two-factor">
        <Stack gap="sm">
          <Group gap="xs">
            <IconShieldLock size={20} />
            <Title order={2} size="h4" id="account-two-factor">
              {t('twoFactor:title')}
            </Title>
          </Group>
          <TwoFactorSection readOnly={readOnly} />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-email">
        <Stack gap="sm">
          <Group gap="xs">
            <IconAt size={20} />
            <Title order={2} size="h4" id="account-email">
              {t('email.title')}
            </Title>
          </Group>
          <Text size="sm" c="dimmed">
            {t('email.intro')}
          </Text>
          <ChangeEmailForm
            current={me.user.email}
            disabled={readOnly}
            onChanged={(email) => notifications.show({ color: 'teal', message: t('email.changed', { email }) })}
          />
        </Stack>
      </Paper>
      <Paper withBorder p="lg" radius="md" component="section" aria-labelledby="account-notifications">
        <Stack gap="sm">
          <Group gap="xs">
            <IconMail size={20} />
            <Title order={2} size="h4" id="account-notifications">
              {t('notifications.title')}
            </Title>
          </Group>
          <NotificationSwitches readOnly={readOnly} />
        </Stack>
      </Paper>
      <LanguageSection me={me} />
    </Stack>
  );
}

function NotificationSwitches({ readOnly }: { readOnly: boolean }) {
  const { t } = useTranslation('account');
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
        {t('notifications.intro')}
      </Text>
      {!prefs.data.emailConfigured && (
        <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
          {t('notifications.emailNotSetUp')}
        </Alert>
      )}
      <ErrorAlert message={error} onClose={() => setError(null)} />
      {prefs.data.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('notifications.none')}
        </Text>
      ) : (
        prefs.data.items.map((item) => (
          <Switch
            key={item.key}
            label={serverText(`account:notifications.labels.${item.key}`, item.label)}
            description={item.offByOwner ? t('notifications.offByOwner') : undefined}
            checked={checked(item)}
            disabled={item.offByOwner || readOnly || (update.isPending && pending?.[item.key] !== undefined)}
            onChange={(e) => toggle(item.key, e.currentTarget.checked)}
          />
        ))
      )}
    </Stack>
  );
}
