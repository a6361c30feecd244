import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBrandGoogle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { type Identity, useMyIdentities, useUnlinkIdentity, useUserIdentities } from '../api/signin';
import { formatDate, formatDateTime } from '../lib/format';
import { ConfirmModal } from './ConfirmModal';
import { ErrorAlert } from './ErrorAlert';

function IdentityRow({ identity, onUnlink }: { identity: Identity; onUnlink?: () => void }) {
  const { t } = useTranslation('account');
  const linked = formatDate(identity.createdAt);
  const lastUsed = formatDateTime(identity.lastUsedAt);
  return (
    <Group justify="space-between" wrap="nowrap" data-testid="linked-identity">
      <Group gap="sm" wrap="nowrap">
        <IconBrandGoogle size={20} aria-hidden />
        <div>
          <Text size="sm" fw={500}>
            {t('identities.google', { email: identity.email })}
          </Text>
          <Text size="xs" c="dimmed">
            {identity.linkedVia === 'registration'
              ? t('identities.linkedRegistered', { linked, lastUsed })
              : t('identities.linkedMatched', { linked, lastUsed })}
          </Text>
        </div>
      </Group>
      {onUnlink && (
        <Button size="xs" variant="default" color="red" onClick={onUnlink}>
          {t('identities.unlink')}
        </Button>
      )}
    </Group>
  );
}

/** The signed-in user's own linked Google account (their profile). */
export function MyLinkedIdentities() {
  const { t } = useTranslation('account');
  const ids = useMyIdentities();
  const items = ids.data?.items ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={t('identities.methods')}>
      <Title order={2} size="h4" mb="xs">
        {t('identities.howYouSignIn')}
      </Title>
      <ErrorAlert message={ids.isError ? errorMessage(ids.error) : null} />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {ids.isPending ? t('identities.loading') : t('identities.noneMine')}
        </Text>
      ) : (
        <Stack gap="xs">
          {items.map((i) => (
            <IdentityRow key={i.id} identity={i} />
          ))}
        </Stack>
      )}
    </Paper>
  );
}

/** A user's linked Google accounts on their page, with Unlink for those who may edit them. */
export function UserLinkedIdentities({ userId, userName, canUnlink }: { userId: string; userName: string; canUnlink: boolean }) {
  const { t } = useTranslation('account');
  const ids = useUserIdentities(userId);
  const unlink = useUnlinkIdentity();
  const [target, setTarget] = useState<Identity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = ids.data?.items ?? [];
  return (
    <Stack gap="xs" component="section" aria-label={t('identities.linkedAccounts')}>
      <Group gap="xs">
        <Text fw={600} size="sm">
          {t('identities.linkedAccounts')}
        </Text>
        <Badge size="xs" variant="light" color="gray">
          {items.length}
        </Badge>
      </Group>
      <ErrorAlert message={ids.isError ? errorMessage(ids.error) : null} />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {ids.isPending ? t('identities.loading') : t('identities.noneTheirs')}
        </Text>
      ) : (
        items.map((i) => <IdentityRow key={i.id} identity={i} onUnlink={canUnlink ? () => setTarget(i) : undefined} />)
      )}
      <ConfirmModal
        opened={target !== null}
        title={t('identities.unlinkTitle')}
        confirmLabel={t('identities.unlink')}
        loading={unlink.isPending}
        error={error}
        onClose={() => {
          setTarget(null);
          setError(null);
        }}
        onConfirm={async () => {
          if (!target) return;
          try {
            await unlink.mutateAsync({ userId, identityId: target.id });
            notifications.show({ color: 'teal', message: t('identities.unlinked', { email: target.email, name: userName }) });
            setTarget(null);
          } catch (e) {
            setError(errorMessage(e));
          }
        }}
      >
        <Text size="sm">
          {t('identities.unlinkText', { name: userName, email: target?.email ?? '' })}
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
