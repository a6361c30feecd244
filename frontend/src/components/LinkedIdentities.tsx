import { Badge, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconBrandGoogle } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage } from '../api/client';
import { type Identity, useMyIdentities, useUnlinkIdentity, useUserIdentities } from '../api/signin';
import { formatDate, formatDateTime } from '../lib/format';
import { ConfirmModal } from './ConfirmModal';
import { ErrorAlert } from './ErrorAlert';

function IdentityRow({ identity, onUnlink }: { identity: Identity; onUnlink?: () => void }) {
  return (
    <Group justify="space-between" wrap="nowrap" data-testid="linked-identity">
      <Group gap="sm" wrap="nowrap">
        <IconBrandGoogle size={20} aria-hidden />
        <div>
          <Text size="sm" fw={500}>
            Google: {identity.email}
          </Text>
          <Text size="xs" c="dimmed">
            Linked {formatDate(identity.createdAt)}
            {identity.linkedVia === 'registration' ? ' (registered with Google)' : ' (matched by email)'} · last used{' '}
            {formatDateTime(identity.lastUsedAt)}
          </Text>
        </div>
      </Group>
      {onUnlink && (
        <Button size="xs" variant="default" color="red" onClick={onUnlink}>
          Unlink
        </Button>
      )}
    </Group>
  );
}

/** The signed-in user's own linked Google account (their profile). */
export function MyLinkedIdentities() {
  const ids = useMyIdentities();
  const items = ids.data?.items ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label="Sign-in methods">
      <Title order={2} size="h4" mb="xs">
        How you sign in
      </Title>
      <ErrorAlert message={ids.isError ? errorMessage(ids.error) : null} />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {ids.isPending ? 'Loading…' : 'With your email and password. No Google account is linked.'}
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
  const ids = useUserIdentities(userId);
  const unlink = useUnlinkIdentity();
  const [target, setTarget] = useState<Identity | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = ids.data?.items ?? [];
  return (
    <Stack gap="xs" component="section" aria-label="Linked Google accounts">
      <Group gap="xs">
        <Text fw={600} size="sm">
          Linked Google accounts
        </Text>
        <Badge size="xs" variant="light" color="gray">
          {items.length}
        </Badge>
      </Group>
      <ErrorAlert message={ids.isError ? errorMessage(ids.error) : null} />
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {ids.isPending ? 'Loading…' : 'None: signs in with email and password.'}
        </Text>
      ) : (
        items.map((i) => <IdentityRow key={i.id} identity={i} onUnlink={canUnlink ? () => setTarget(i) : undefined} />)
      )}
      <ConfirmModal
        opened={target !== null}
        title="Unlink this Google account?"
        confirmLabel="Unlink"
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
            notifications.show({ color: 'teal', message: `${target.email} is no longer linked to ${userName}.` });
            setTarget(null);
          } catch (e) {
            setError(errorMessage(e));
          }
        }}
      >
        <Text size="sm">
          {userName} will no longer sign in with the Google account {target?.email}. Their Gatehouse account stays as it is.
          If linking by email is on, their next Google sign-in with that address links it again.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
