import { Autocomplete, Button, Center, Code, EmptyState, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconHistory, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type AuditEntry } from '../api/client';
import { useAudit } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import i18n from '../i18n';
import { formatDateTime } from '../lib/format';

// What each audit action means, in words (activity:actions.<action>); the code stays
// visible for filtering, and is all that shows for an action without words.
function actionLabel(action: string): string {
  const key = `activity:actions.${action}`;
  return i18n.exists(key) && typeof i18n.t(key) === 'string' ? i18n.t(key) : action;
}

// Suggestions for the action filter; any action the log shows is added to them.
const KNOWN_ACTIONS = [
  'setup.owner',
  'session.create',
  'session.fail',
  'session.refused',
  'user.create',
  'user.update',
  'user.role_change',
  'user.deactivate',
  'user.reactivate',
  'user.delete',
  'user.password_reset',
  'user.password_change',
  'role.create',
  'role.update',
  'role.clone',
  'role.delete',
];

function humanKey(key: string): string {
  // The detail keys the log usually carries have words; any other is spelled out from the key.
  if (i18n.exists(`activity:detailKeys.${key}`)) return i18n.t(`activity:detailKeys.${key}`);
  const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ');
  return spaced[0].toUpperCase() + spaced.slice(1).toLowerCase();
}

function renderValue(v: unknown) {
  if (v === null || v === undefined || v === '') return <Text span c="dimmed">—</Text>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <Text span c="dimmed">{i18n.t('activity:values.none')}</Text>;
    return (
      <Group gap={4} component="span" style={{ display: 'inline-flex' }}>
        {v.map((x, i) => (
          <Code key={i}>{typeof x === 'object' ? JSON.stringify(x) : String(x)}</Code>
        ))}
      </Group>
    );
  }
  if (typeof v === 'object') return <Code>{JSON.stringify(v)}</Code>;
  if (typeof v === 'boolean') return v ? i18n.t('activity:values.yes') : i18n.t('activity:values.no');
  return String(v);
}

/** The details object, readable: added/removed permission lists first, then the rest. */
export function Details({ details }: { details: AuditEntry['details'] }) {
  // "userId" beside "user" repeats the name as an id: the name is enough.
  const entries = Object.entries(details ?? {}).filter(([k]) => !(k.endsWith('Id') && details && k.slice(0, -2) in details));
  if (entries.length === 0) return <Text c="dimmed" size="sm">—</Text>;
  const order = (k: string) => (k === 'added' ? 0 : k === 'removed' ? 1 : 2);
  entries.sort(([a], [b]) => order(a) - order(b));
  return (
    <Stack gap={2}>
      {entries.map(([k, v]) => (
        <Text key={k} size="sm" c={k === 'added' ? 'teal' : k === 'removed' ? 'red' : undefined}>
          <b>{humanKey(k)}:</b> {renderValue(v)}
        </Text>
      ))}
    </Stack>
  );
}

export function ActivityPage() {
  const { t } = useTranslation('activity');
  const [action, setAction] = useState('');
  const [search, setSearch] = useState('');
  const [debouncedAction] = useDebouncedValue(action.trim(), 300);
  const [q] = useDebouncedValue(search.trim(), 300);
  const audit = useAudit({ action: debouncedAction, q });
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];
  const actions = useMemo(
    () => [...new Set([...KNOWN_ACTIONS, ...rows.map((r) => r.action)])].sort(),
    [rows],
  );

  return (
    <Stack gap="md">
      <PageHeader title={t('title')} description={t('description')} />
      <Group gap="sm" align="flex-end">
        <Autocomplete label={t('filter.action')} placeholder={t('filter.anyAction')} data={actions} value={action} onChange={setAction} w={220} clearable />
        <TextInput
          label={t('filter.search')}
          placeholder={t('filter.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
      </Group>
      {audit.isError && <ErrorAlert message={errorMessage(audit.error)} />}
      {audit.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState icon={<IconHistory size={28} />} withIndicatorBackground title={t('empty')} py="xl" />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped verticalSpacing="sm" aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('column.time')}</Table.Th>
                <Table.Th>{t('column.actor')}</Table.Th>
                <Table.Th>{t('column.action')}</Table.Th>
                <Table.Th>{t('column.target')}</Table.Th>
                <Table.Th>{t('column.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>
                    {e.actorId ? e.actorName : <Text span c="dimmed">{t('anonymous')}</Text>}
                    {e.address && (
                      <Text size="xs" c="dimmed">
                        {e.address}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={e.action.endsWith('delete') ? 'red' : undefined}>
                      {actionLabel(e.action)}
                    </Text>
                    <Code style={{ whiteSpace: 'nowrap' }}>{e.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    {e.targetName || <Text span c="dimmed">—</Text>}
                    {e.targetType && (
                      <Text size="xs" c="dimmed">
                        {e.targetType}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Details details={e.details} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {audit.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
            {t('loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
