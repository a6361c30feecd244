import { Autocomplete, Button, Center, Code, EmptyState, Group, Loader, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconHistory, IconSearch } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { errorMessage, type AuditEntry } from '../api/client';
import { useAudit } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { formatDateTime } from '../lib/format';

// What each audit action means, in words; the code stays visible for filtering.
export const ACTION_LABELS: Record<string, string> = {
  'setup.owner': 'Created the owner account',
  'admin.create_owner': 'Owner created from the command line',
  'admin.reset_password': 'Password reset from the command line',
  'session.create': 'Signed in',
  'session.fail': 'Failed sign-in',
  'session.refused': 'Sign-in refused',
  'user.create': 'Added a user',
  'user.update': 'Edited a user',
  'user.role_change': 'Changed a role assignment',
  'user.deactivate': 'Deactivated a user',
  'user.reactivate': 'Reactivated a user',
  'user.delete': 'Deleted a user',
  'user.password_reset': 'Reset a password',
  'user.password_change': 'Changed own password',
  'user.task_rules': 'Changed who may open tasks for whom',
  'role.create': 'Created a role',
  'role.update': 'Edited a role',
  'role.clone': 'Cloned a role',
  'role.delete': 'Deleted a role',
  'project.create': 'Created a project',
  'project.update': 'Edited a project',
  'project.delete': 'Deleted a project',
  'team.create': 'Created a team',
  'team.update': 'Edited a team',
  'team.delete': 'Deleted a team',
  'board.create': 'Created a board',
  'board.update': 'Edited a board',
  'board.delete': 'Deleted a board',
  'task.visibility': 'Changed client visibility of a task',
  'task.review': 'Reviewed a task',
  'task.follower_add': 'Added a follower',
  'task.follower_remove': 'Removed a follower',
  'task_type.save': 'Saved a task type',
  'task_type.delete': 'Deleted a task type',
  'view_as.start': 'Viewed the app as another user',
  'identity.link': 'Linked a Google account',
  'identity.unlink': 'Unlinked a Google account',
  'settings.sign_in': 'Changed sign-in settings',
};

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
  const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ');
  return spaced[0].toUpperCase() + spaced.slice(1).toLowerCase();
}

function renderValue(v: unknown) {
  if (v === null || v === undefined || v === '') return <Text span c="dimmed">—</Text>;
  if (Array.isArray(v)) {
    if (v.length === 0) return <Text span c="dimmed">none</Text>;
    return (
      <Group gap={4} component="span" style={{ display: 'inline-flex' }}>
        {v.map((x, i) => (
          <Code key={i}>{typeof x === 'object' ? JSON.stringify(x) : String(x)}</Code>
        ))}
      </Group>
    );
  }
  if (typeof v === 'object') return <Code>{JSON.stringify(v)}</Code>;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
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
      <PageHeader title="Activity" description="Who did what, newest first." />
      <Group gap="sm" align="flex-end">
        <Autocomplete label="Action" placeholder="Any action" data={actions} value={action} onChange={setAction} w={220} clearable />
        <TextInput
          label="Search"
          placeholder="Actor or target name"
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
        <EmptyState icon={<IconHistory size={28} />} withIndicatorBackground title="No activity matches" py="xl" />
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped verticalSpacing="sm" aria-label="Activity">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Time</Table.Th>
                <Table.Th>Actor</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>
                    {e.actorId ? e.actorName : <Text span c="dimmed">anonymous</Text>}
                    {e.address && (
                      <Text size="xs" c="dimmed">
                        {e.address}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={e.action.endsWith('delete') ? 'red' : undefined}>
                      {ACTION_LABELS[e.action] ?? e.action}
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
            Load more
          </Button>
        </Center>
      )}
    </Stack>
  );
}
