import {
  Anchor,
  Badge,
  Button,
  Center,
  Drawer,
  EmptyState,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconChevronDown, IconChevronUp, IconFileImport, IconSearch, IconSelector, IconUserPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { errorMessage, type Me, type RoleKind, type User } from '../../api/client';
import { type UserFilters, useRoles, useUsers } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime, plural } from '../../lib/format';
import { can, pageLabel, scopeOf } from '../../lib/permissions';
import { useStartViewAs } from '../../api/work';
import { allows, useReadOnly } from '../../lib/readOnly';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { TaskRulesSection } from './TaskRulesSection';
import { HourRateSection, hourRateText } from './HourRateSection';
import { UserActions } from './UserActions';
import { UserLinkedIdentities } from '../../components/LinkedIdentities';
import { UserForm, roleOptions } from './UserForm';
import { ImportUsersModal } from './ImportUsersModal';
import { CompaniesPanel } from './CompaniesPanel';
import { UserCreatedModal, needsCreatedDialog, welcomeOnItsWay, type Created } from './UserCreatedModal';
import type { UserWithPassword } from '../../api/users';

type SortKey = NonNullable<UserFilters['sort']>;

function SortHeader({
  label,
  column,
  sort,
  order,
  onSort,
}: {
  label: string;
  column: SortKey;
  sort: SortKey;
  order: 'asc' | 'desc';
  onSort: (c: SortKey) => void;
}) {
  const active = sort === column;
  const Icon = active ? (order === 'asc' ? IconChevronUp : IconChevronDown) : IconSelector;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} aria-label={`Sort by ${label.toLowerCase()}`}>
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {label}
          </Text>
          <Icon size={14} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** What the drawer of an account offers: `actions` a user may carry, besides view-as. */
const USER_ACTIONS = ['users.edit', 'users.deactivate', 'users.delete', 'rates.edit'];

type DrawerState = { mode: 'create' } | { mode: 'edit'; user: User } | null;

/** The URL parameter naming the open tab (a shareable link). */
export const TAB_PARAM = 'tab';

/**
 * The tabs of the page: with the client list (users.view over clients, a team role) the
 * client companies sit beside the accounts; first for the clients-only scope, second
 * beside everyone for scope all. Null: no tabs (the staff-only scope).
 */
function pageTabs(me: Me): { first: 'companies' | 'people'; people: string; companies: string } | null {
  if (me.role.kind === 'client') return null;
  switch (scopeOf(me.permissions, 'users.view')) {
    case 'clients':
      return { first: 'companies', people: 'Accounts', companies: 'Companies' };
    case 'all':
      return { first: 'people', people: 'People', companies: 'Client companies' };
  }
  return null;
}

export function UsersPage({ me }: { me: Me }) {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [roleId, setRoleId] = useState<string | null>(null);
  const [kind, setKind] = useState<RoleKind | null>(null);
  const [status, setStatus] = useState<'active' | 'deactivated' | null>(null);
  const [sort, setSort] = useState<SortKey>('name');
  const [order, setOrder] = useState<'asc' | 'desc'>('asc');
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [importing, setImporting] = useState(false);

  const roles = useRoles();
  const users = useUsers({ q, roleId: roleId ?? undefined, kind: kind ?? undefined, status: status ?? undefined, sort, order });
  const rows = users.data?.pages.flatMap((p) => p.items) ?? [];
  const total = users.data?.pages[0]?.total ?? 0;
  const filtered = !!(q || roleId || kind || status);
  // Adding people has no thing to carry `actions` yet: a courtesy check on the role.
  const canCreate = can(me, 'users.create');
  // Everything done to an account follows that account's `actions` (the server's answer for
  // this viewer and this person), never the viewer's permissions.
  const readOnly = useReadOnly();
  const mayOpen = (u: User) => USER_ACTIONS.some((a) => allows(u.actions, a, readOnly));
  // View as: the server's activity.team on that person, and not while already viewing as someone.
  const mayViewAs = (u: User) => allows(u.actions, 'activity.team', readOnly) && u.id !== me.user.id && u.status === 'active';
  const navigate = useNavigate();
  // Leave this page first: the viewed user may not be allowed to open it.
  const startViewAs = useStartViewAs((u) => navigate(u.roleKind === 'client' ? '/projects' : '/overview'));
  const viewAs = (u: User) =>
    startViewAs.mutate(
      { id: u.id, name: u.name, roleKind: u.roleKind },
      { onError: (e) => notifications.show({ color: 'red', title: `Cannot view as ${u.name}`, message: errorMessage(e) }) },
    );

  const tabs = pageTabs(me);
  const [params, setParams] = useSearchParams();
  const asked = params.get(TAB_PARAM);
  const tab = asked === 'companies' || asked === 'people' ? asked : (tabs?.first ?? 'people');
  const changeTab = (next: string | null) =>
    setParams(
      (p) => {
        const rest = new URLSearchParams(p);
        rest.set(TAB_PARAM, next ?? 'people');
        return rest;
      },
      { replace: true },
    );

  const label = pageLabel(me, 'users') ?? 'Users';
  const scopedKind: RoleKind | null = label === 'Clients' ? 'client' : label === 'Team' ? 'internal' : null;
  const description =
    label === 'Clients'
      ? 'Your clients: their companies and the people who use the client portal.'
      : label === 'Team'
        ? 'Your team: everyone with an internal role.'
        : 'Everyone who can sign in: your team and your clients.';

  const onSort = (c: SortKey) => {
    if (c === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(c);
      setOrder(c === 'createdAt' ? 'desc' : 'asc');
    }
  };

  const onSaved = (saved: UserWithPassword, password?: string) => {
    setDrawer(null);
    if (drawer?.mode !== 'create') {
      notifications.show({ color: 'teal', message: 'Changes saved.' });
      return;
    }
    const next = { user: saved, password };
    const dialog = needsCreatedDialog(next);
    if (dialog) setCreated(next);
    // A welcome mail with nothing else to do is said here; otherwise the dialog says it.
    notifications.show(
      saved.welcome === 'queued' && !dialog
        ? { color: 'teal', title: `${saved.name} was added`, message: welcomeOnItsWay(saved.email) }
        : { color: 'teal', message: `${saved.name} was added.` },
    );
  };

  // The drawer follows the row as it is now (its actions may have changed since it opened).
  const editing = drawer?.mode === 'edit' ? (rows.find((r) => r.id === drawer.user.id) ?? drawer.user) : undefined;
  const mayEdit = allows(editing?.actions, 'users.edit', readOnly);
  const canViewAs = rows.some(mayViewAs);
  // Hour rates are in the answer only for those who may see them (rates.view), and only a
  // team member's.
  const showRates = rows.some((u) => 'hourRate' in u);

  const accounts = (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name or email"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Select
          label="Role"
          placeholder="Any role"
          data={roleOptions((roles.data?.items ?? []).filter((r) => !scopedKind || r.kind === scopedKind))}
          value={roleId}
          onChange={setRoleId}
          clearable
          searchable
          w={200}
        />
        {!scopedKind && (
          <Select
            label="Kind"
            placeholder="Any kind"
            data={[
              { value: 'internal', label: 'Team (internal)' },
              { value: 'client', label: 'Client' },
            ]}
            value={kind}
            onChange={(v) => setKind(v as RoleKind | null)}
            clearable
            w={170}
          />
        )}
        <Select
          label="Status"
          placeholder="Any status"
          data={[
            { value: 'active', label: 'Active' },
            { value: 'deactivated', label: 'Deactivated' },
          ]}
          value={status}
          onChange={(v) => setStatus(v as 'active' | 'deactivated' | null)}
          clearable
          w={170}
        />
        {users.data && (
          <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
            {plural(total, 'user')}
            {filtered ? (total === 1 ? ' matches' : ' match') : ''}
          </Text>
        )}
      </Group>

      {users.isError && <ErrorAlert message={errorMessage(users.error)} />}

      {users.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconUsers size={28} />}
          withIndicatorBackground
          title={filtered ? 'No users match' : canCreate ? 'Add your first team member' : `No ${label.toLowerCase()} yet`}
          description={
            filtered
              ? 'Try another search or clear the filters.'
              : canCreate
                ? 'People you add can sign in with the role you give them.'
                : 'Nobody is listed here yet.'
          }
          py="xl"
        >
          {!filtered && canCreate && (
            <Button mt="md" onClick={() => setDrawer({ mode: 'create' })}>
              Add user
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={label}>
            <Table.Thead>
              <Table.Tr>
                <SortHeader label="Name" column="name" sort={sort} order={order} onSort={onSort} />
                <SortHeader label="Email" column="email" sort={sort} order={order} onSort={onSort} />
                <Table.Th>Role</Table.Th>
                <Table.Th>Status</Table.Th>
                {showRates && <Table.Th>Hour rate</Table.Th>}
                <SortHeader label="Created" column="createdAt" sort={sort} order={order} onSort={onSort} />
                <Table.Th>Last sign-in</Table.Th>
                {canViewAs && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((u) => (
                <Table.Tr key={u.id}>
                  <Table.Td>
                    {mayOpen(u) ? (
                      <Anchor component="button" type="button" ta="left" onClick={() => setDrawer({ mode: 'edit', user: u })}>
                        {u.name}
                      </Anchor>
                    ) : (
                      u.name
                    )}
                    {u.id === me.user.id && (
                      <Badge ml={6} size="xs" variant="light" color="gray">
                        you
                      </Badge>
                    )}
                    {u.roleKind === 'client' && u.companyName && (
                      <Text size="xs" c="dimmed">
                        {u.companyName}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>{u.email}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" tt="none" color={u.roleKind === 'client' ? 'grape' : 'blue'}>
                      {u.roleName}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" tt="none" color={u.status === 'active' ? 'teal' : 'gray'}>
                      {u.status === 'active' ? 'Active' : 'Deactivated'}
                    </Badge>
                    {u.mustChangePassword && (
                      <Text size="xs" c="dimmed">
                        must change password
                      </Text>
                    )}
                  </Table.Td>
                  {showRates && (
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {u.roleKind === 'internal' && 'hourRate' in u && (
                        <Text size="sm" c={u.hourRate === null ? 'dimmed' : undefined}>
                          {hourRateText(u.hourRate, me.currency)}
                        </Text>
                      )}
                    </Table.Td>
                  )}
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(u.createdAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(u.lastSignInAt)}</Table.Td>
                  {canViewAs && (
                    <Table.Td>
                      {mayViewAs(u) && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          aria-label={`View as ${u.name}`}
                          loading={startViewAs.isPending && startViewAs.variables?.id === u.id}
                          onClick={() => viewAs(u)}
                        >
                          View as
                        </Button>
                      )}
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {users.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => users.fetchNextPage()} loading={users.isFetchingNextPage}>
            Load more
          </Button>
        </Center>
      )}
      {!filtered && rows.length === 1 && rows[0].id === me.user.id && canCreate && (
        <Text c="dimmed" ta="center">
          It is just you so far. <Anchor component="button" type="button" onClick={() => setDrawer({ mode: 'create' })}>Add your first team member</Anchor>.
        </Text>
      )}
    </Stack>
  );

  return (
    <Stack gap="md">
      <PageHeader
        title={label}
        description={description}
        actions={
          canCreate && (
            <>
              <Button variant="default" leftSection={<IconFileImport size={18} />} onClick={() => setImporting(true)}>
                Import CSV
              </Button>
              <Button leftSection={<IconUserPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
                Add user
              </Button>
            </>
          )
        }
      />

      {tabs ? (
        <Tabs value={tab} onChange={changeTab} keepMounted={false}>
          <Tabs.List>
            {tabs.first === 'companies' && <Tabs.Tab value="companies">{tabs.companies}</Tabs.Tab>}
            <Tabs.Tab value="people">{tabs.people}</Tabs.Tab>
            {tabs.first === 'people' && <Tabs.Tab value="companies">{tabs.companies}</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="people" pt="md">
            {accounts}
          </Tabs.Panel>
          <Tabs.Panel value="companies" pt="md">
            <CompaniesPanel me={me} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        accounts
      )}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="md"
        title={drawer?.mode === 'edit' ? (mayEdit ? `Edit ${drawer.user.name}` : drawer.user.name) : 'Add user'}
      >
        {drawer && (
          <Stack gap="md">
            {(!editing || mayEdit) && (
              <UserForm
                key={editing?.id ?? 'new'}
                user={editing}
                roles={roles.data?.items ?? []}
                emailConfigured={me.emailConfigured}
                self={editing?.id === me.user.id}
                onSaved={onSaved}
                onCancel={() => setDrawer(null)}
              />
            )}
            {/* An editor sees the company in the form; anyone else, here. */}
            {editing && !mayEdit && editing.roleKind === 'client' && editing.companyName && (
              <Text size="sm">
                Company: <b>{editing.companyName}</b>
              </Text>
            )}
            {editing && mayEdit && <TaskRulesSection user={editing} />}
            {editing && <HourRateSection user={editing} currency={me.currency} />}
            {editing && <UserActions user={editing} emailConfigured={me.emailConfigured} onDeleted={() => setDrawer(null)} />}
            {editing && <UserLinkedIdentities userId={editing.id} userName={editing.name} canUnlink={mayEdit} />}
          </Stack>
        )}
      </Drawer>

      {created && <UserCreatedModal key={created.user.id} created={created} onClose={() => setCreated(null)} />}
      <ImportUsersModal opened={importing} emailConfigured={me.emailConfigured} onClose={() => setImporting(false)} />
    </Stack>
  );
}
