import { Alert, Anchor, Badge, Button, Center, EmptyState, Group, Loader, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconMail, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../api/client';
import { type Mail, type MailState, useOutbox, useRetryMail } from '../api/email';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime, plural } from '../lib/format';
import { can, pageLabel } from '../lib/permissions';
import { useReadOnly } from '../lib/readOnly';

export const KIND_LABELS: Record<Mail['kind'], string> = {
  welcome: 'Welcome',
  reset: 'Password reset',
  confirmEmail: 'New email to confirm',
  projectAdded: 'Added to a project',
  taskAssigned: 'Task assigned',
  taskReviewed: 'Task reviewed',
  mentioned: 'Mentioned in a discussion',
};

const STATES: { value: MailState; label: string; color: string }[] = [
  { value: 'queued', label: 'Queued', color: 'blue' },
  { value: 'sent', label: 'Sent', color: 'teal' },
  { value: 'failed', label: 'Failed', color: 'red' },
  { value: 'cancelled', label: 'Cancelled', color: 'gray' },
];

export const EMPTY_LOG =
  'Mail is sent when you add people, reset passwords, or when notifications are on — set up SMTP in Settings → Email.';

function StateBadge({ state }: { state: MailState }) {
  const s = STATES.find((x) => x.value === state);
  return (
    <Badge variant="light" color={s?.color ?? 'gray'} tt="none">
      {s?.label ?? state}
    </Badge>
  );
}

/** The email log (the outbox): every mail, newest first, with what the SMTP server said. */
export function EmailLogPage({ me }: { me: Me }) {
  const readOnly = useReadOnly();
  const [state, setState] = useState<MailState | null>(null);
  const outbox = useOutbox(state ?? undefined);
  const retry = useRetryMail();
  const [retryError, setRetryError] = useState<string | null>(null);
  const rows = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const total = outbox.data?.pages[0]?.total ?? 0;
  const settingsLink = can(me, 'settings.email') && pageLabel(me, 'settings');

  const retryNow = async (m: Mail) => {
    setRetryError(null);
    try {
      await retry.mutateAsync(m.id);
      notifications.show({ color: 'teal', message: `The mail to ${m.to} is being sent again.` });
    } catch (e) {
      setRetryError(errorMessage(e));
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={pageLabel(me, 'emailLog') ?? 'Email log'}
        description="Every mail Gatehouse sends, newest first, with the mail server's answer. Failed mails are tried again for a while."
      />
      {!me.emailConfigured && (
        <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
          Email is not set up yet, so no mail is sent.{' '}
          {settingsLink ? (
            <Anchor component={Link} to="/settings/email" size="sm">
              Set up SMTP in {settingsLink} → Email
            </Anchor>
          ) : (
            'Ask the owner to set it up in Settings → Email.'
          )}
        </Alert>
      )}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label="State"
          placeholder="Any state"
          data={STATES.map(({ value, label }) => ({ value, label }))}
          value={state}
          onChange={(v) => setState(v as MailState | null)}
          clearable
          w={180}
        />
        {outbox.data && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {plural(total, 'mail')}
          </Text>
        )}
      </Group>

      {outbox.isError && <ErrorAlert message={errorMessage(outbox.error)} />}
      <ErrorAlert message={retryError} onClose={() => setRetryError(null)} />

      {outbox.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconMail size={28} />}
          withIndicatorBackground
          title={state ? 'No mail matches' : 'No mail yet'}
          description={state ? 'Try another state, or clear the filter.' : EMPTY_LOG}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm" aria-label="Email log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Created</Table.Th>
                <Table.Th>To</Table.Th>
                <Table.Th>Subject</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Attempts</Table.Th>
                <Table.Th>Server&apos;s answer</Table.Th>
                <Table.Th>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id} data-testid="mail-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.createdAt)}</Table.Td>
                  <Table.Td>{m.to}</Table.Td>
                  <Table.Td>{m.subject || <Text span c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{KIND_LABELS[m.kind] ?? m.kind}</Table.Td>
                  <Table.Td>
                    <StateBadge state={m.state} />
                    {m.state === 'sent' && m.sentAt && (
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {formatDateTime(m.sentAt)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{m.attempts}</Table.Td>
                  <Table.Td maw={320}>
                    {m.lastError ? (
                      <Text size="sm" c={m.state === 'sent' ? undefined : 'red'} style={{ wordBreak: 'break-word' }}>
                        {m.lastError}
                      </Text>
                    ) : (
                      <Text span size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                    {m.state === 'queued' && m.nextAttemptAt && (
                      <Text size="xs" c="dimmed">
                        Next attempt {formatDateTime(m.nextAttemptAt)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {(m.state === 'queued' || m.state === 'failed') && (
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconRefresh size={14} />}
                        onClick={() => retryNow(m)}
                        loading={retry.isPending && retry.variables === m.id}
                        disabled={readOnly}
                        aria-label={`Retry now: ${m.subject || KIND_LABELS[m.kind]} to ${m.to}`}
                      >
                        Retry now
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {outbox.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => outbox.fetchNextPage()} loading={outbox.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
    </Stack>
  );
}
