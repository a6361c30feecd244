import { Alert, Anchor, Badge, Button, Center, EmptyState, Group, Loader, Select, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle, IconMail, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../api/client';
import { type Mail, type MailState, useOutbox, useRetryMail } from '../api/email';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../lib/format';
import { can, pageName } from '../lib/permissions';
import { useReadOnly } from '../lib/readOnly';
import i18n from '../i18n';

/** A kind of mail in words (emailLog:kind.<kind>), or the kind itself when it has none. */
function kindLabel(kind: string): string {
  return i18n.exists(`emailLog:kind.${kind}`) ? i18n.t(`emailLog:kind.${kind}`) : kind;
}

const STATES: { value: MailState; color: string }[] = [
  { value: 'queued', color: 'blue' },
  { value: 'sent', color: 'teal' },
  { value: 'failed', color: 'red' },
  { value: 'cancelled', color: 'gray' },
];

/** A mail's state in words. */
const stateLabel = (state: string) => (i18n.exists(`emailLog:state.${state}`) ? i18n.t(`emailLog:state.${state}`) : state);

// In English, for tests; on screen in the UI's language.
export const EMPTY_LOG =
  'Mail is sent when you add people, reset passwords, or when notifications are on — set up SMTP in Settings → Email.';

function StateBadge({ state }: { state: MailState }) {
  const s = STATES.find((x) => x.value === state);
  return (
    <Badge variant="light" color={s?.color ?? 'gray'} tt="none">
      {stateLabel(state)}
    </Badge>
  );
}

/** The email log (the outbox): every mail, newest first, with what the SMTP server said. */
export function EmailLogPage({ me }: { me: Me }) {
  const { t } = useTranslation('emailLog');
  const readOnly = useReadOnly();
  const [state, setState] = useState<MailState | null>(null);
  const outbox = useOutbox(state ?? undefined);
  const retry = useRetryMail();
  const [retryError, setRetryError] = useState<string | null>(null);
  const rows = outbox.data?.pages.flatMap((p) => p.items) ?? [];
  const total = outbox.data?.pages[0]?.total ?? 0;
  const settingsLink = can(me, 'settings.email') && pageName(me, 'settings');

  const retryNow = async (m: Mail) => {
    setRetryError(null);
    try {
      await retry.mutateAsync(m.id);
      notifications.show({ color: 'teal', message: t('retried', { to: m.to }) });
    } catch (e) {
      setRetryError(errorMessage(e));
    }
  };

  return (
    <Stack gap="md">
      <PageHeader
        title={pageName(me, 'emailLog') ?? t('title')}
        description={t('description')}
      />
      {!me.emailConfigured && (
        <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
          {t('notSetUp')}{' '}
          {settingsLink ? (
            <Anchor component={Link} to="/settings/email" size="sm">
              {t('setUpIn', { settings: settingsLink })}
            </Anchor>
          ) : (
            t('askOwner')
          )}
        </Alert>
      )}
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('filter.state')}
          placeholder={t('filter.anyState')}
          data={STATES.map(({ value }) => ({ value, label: stateLabel(value) }))}
          value={state}
          onChange={(v) => setState(v as MailState | null)}
          clearable
          w={180}
        />
        {outbox.data && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('count', { count: total })}
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
          title={state ? t('empty.filteredTitle') : t('empty.title')}
          description={state ? t('empty.filtered') : t('empty.text')}
          py="xl"
        />
      ) : (
        <Table.ScrollContainer minWidth={900}>
          <Table striped verticalSpacing="sm" aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('column.created')}</Table.Th>
                <Table.Th>{t('column.to')}</Table.Th>
                <Table.Th>{t('column.subject')}</Table.Th>
                <Table.Th>{t('column.kind')}</Table.Th>
                <Table.Th>{t('column.state')}</Table.Th>
                <Table.Th>{t('column.attempts')}</Table.Th>
                <Table.Th>{t('column.answer')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('column.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id} data-testid="mail-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(m.createdAt)}</Table.Td>
                  <Table.Td>{m.to}</Table.Td>
                  <Table.Td>{m.subject || <Text span c="dimmed">—</Text>}</Table.Td>
                  <Table.Td>{kindLabel(m.kind)}</Table.Td>
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
                        {t('nextAttempt', { when: formatDateTime(m.nextAttemptAt) })}
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
                        aria-label={t('retryAria', { what: m.subject || kindLabel(m.kind), to: m.to })}
                      >
                        {t('retry')}
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
            {t('loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
