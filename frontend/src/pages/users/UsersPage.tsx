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
import { Trans, useTranslation } from 'react-i18next';
import { errorMessage, type Me, type RoleKind, type User } from '../../api/client';
import { type UserFilters, useRoles, useUsers } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { formatDate, formatDateTime } from '../../lib/format';
import { can, pageLabel, scopeOf } from '../../lib/permissions';
import { useStartViewAs } from '../../api/work';
import { allows, useReadOnly } from '../../lib/readOnly';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { TaskRulesSection } from './TaskRulesSection';
import { ExtraAccessSection } from './ExtraAccessSection';
import { GrantsPanel } from './GrantsPanel';
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
  sortLabel,
  column,
  sort,
  order,
  onSort,
}: {
  label: string;
  /** What the header's button says it does, e.g. "Sort by name". */
  sortLabel: string;
  column: SortKey;
  sort: SortKey;
  order: 'asc' | 'desc';
  onSort: (c: SortKey) => void;
}) {
  const active = sort === column;
  const Icon = active ? (order === 'asc' ? IconChevronUp : IconChevronDown) : IconSelector;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'}>
      <UnstyledButton onClick={() => onSort(column)} aria-label={sortLabel}>
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

/** A tab's name, under usersPage.tabs in the users namespace. */
type TabKey = 'accounts' | 'companies' | 'people' | 'clientCompanies';

/** The URL parameter naming the open tab (a shareable link). */
export const TAB_PARAM = 'tab';

/**
 * The tabs of the page: with the client list (users.view over clients, a team role) the
 * client companies sit beside the accounts; first for the clients-only scope, second
 * beside everyone for scope all. Null: no tabs (the staff-only scope).
 */
function pageTabs(me: Me): { first: 'companies' | 'people'; people: TabKey; companies: TabKey } | null {
  if (me.role.kind === 'client') return null;
  switch (scopeOf(me.permissions, 'users.view')) {
    case 'clients':
      return { first: 'companies', people: 'accounts', companies: 'companies' };
    case 'all':
      return { first: 'people', people: 'people', companies: 'clientCompanies' };
  }
  return null;
}

export function UsersPage({ me }: { me: Me }) {
  const { t } = useTranslation('users', { keyPrefix: 'usersPage' });
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
      { onError: (e) => notifications.show({ color: 'red', title: t('viewAsFailed', { name: u.name }), message: errorMessage(e) }) },
    );

  const tabs = pageTabs(me);
  // Every extra grant in force, beside the people (a team role: a client sees no one's).
  const showGrants = me.role.kind !== 'client';
  const [params, setParams] = useSearchParams();
  const asked = params.get(TAB_PARAM);
  const tab =
    (asked === 'companies' && tabs) || asked === 'people' || (asked === 'grants' && showGrants) ? asked : (tabs?.first ?? 'people');
  const changeTab = (next: string | null) =>
    setParams(
      (p) => {
        const rest = new URLSearchParams(p);
        rest.set(TAB_PARAM, next ?? 'people');
        return rest;
      },
      { replace: true },
    );

  // The server names the page after what the viewer sees (its English menu label); it is
  // said here in the UI's language.
  const served = pageLabel(me, 'users') ?? 'Users';
  const variant = served === 'Clients' ? 'clients' : served === 'Team' ? 'team' : 'users';
  const label = t(`title.${variant}`);
  const scopedKind: RoleKind | null = variant === 'clients' ? 'client' : variant === 'team' ? 'internal' : null;
  const description = t(`description.${variant}`);

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
      notifications.show({ color: 'teal', message: t('saved') });
      return;
    }
    const next = { user: saved, password };
    const dialog = needsCreatedDialog(next);
    if (dialog) setCreated(next);
    // A welcome mail with nothing else to do is said here; otherwise the dialog says it.
    notifications.show(
      saved.welcome === 'queued' && !dialog
        ? { color: 'teal', title: t('addedTitle', { name: saved.name }), message: welcomeOnItsWay(saved.email) }
        : { color: 'teal', message: t('added', { name: saved.name }) },
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
          label={t('search')}
          placeholder={t('searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Select
          label={t('role')}
          placeholder={t('anyRole')}
          data={roleOptions((roles.data?.items ?? []).filter((r) => !scopedKind || r.kind === scopedKind))}
          value={roleId}
          onChange={setRoleId}
          clearable
          searchable
          w={200}
        />
        {!scopedKind && (
          <Select
            label={t('kind')}
            placeholder={t('anyKind')}
            data={[
              { value: 'internal', label: t('kindInternal') },
              { value: 'client', label: t('kindClient') },
            ]}
            value={kind}
            onChange={(v) => setKind(v as RoleKind | null)}
            clearable
            w={170}
          />
        )}
        <Select
          label={t('status')}
          placeholder={t('anyStatus')}
          data={[
            { value: 'active', label: t('active') },
            { value: 'deactivated', label: t('deactivated') },
          ]}
          value={status}
          onChange={(v) => setStatus(v as 'active' | 'deactivated' | null)}
          clearable
          w={170}
        />
        {users.data && (
          <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
            {filtered ? t('countMatch', { count: total }) : t('count', { count: total })}
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
          title={filtered ? t('noMatch') : canCreate ? t('addFirst') : t(`noneYet.${variant}`)}
          description={
            filtered
              ? t('tryAnother')
              : canCreate
                ? t('canSignIn')
                : t('nobodyYet')
          }
          py="xl"
        >
          {!filtered && canCreate && (
            <Button mt="md" onClick={() => setDrawer({ mode: 'create' })}>
              {t('addUser')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={label}>
            <Table.Thead>
              <Table.Tr>
                <SortHeader label={t('table.name')} sortLabel={t('table.sortByName')} column="name" sort={sort} order={order} onSort={onSort} />
                <SortHeader label={t('table.email')} sortLabel={t('table.sortByEmail')} column="email" sort={sort} order={order} onSort={onSort} />
                <Table.Th>{t('table.role')}</Table.Th>
                <Table.Th>{t('table.status')}</Table.Th>
                {showRates && <Table.Th>{t('table.hourRate')}</Table.Th>}
                <SortHeader label={t('table.created')} sortLabel={t('table.sortByCreated')} column="createdAt" sort={sort} order={order} onSort={onSort} />
                <Table.Th>{t('table.lastSignIn')}</Table.Th>
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
                        {t('table.you')}
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
                      {u.status === 'active' ? t('active') : t('deactivated')}
                    </Badge>
                    {u.mustChangePassword && (
                      <Text size="xs" c="dimmed">
                        {t('table.mustChangePassword')}
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
                          aria-label={t('table.viewAsLabel', { name: u.name })}
                          loading={startViewAs.isPending && startViewAs.variables?.id === u.id}
                          onClick={() => viewAs(u)}
                        >
                          {t('table.viewAs')}
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
            {t('loadMore')}
          </Button>
        </Center>
      )}
      {!filtered && rows.length === 1 && rows[0].id === me.user.id && canCreate && (
        <Text c="dimmed" ta="center">
          <Trans
            t={t}
            i18nKey="justYou"
            components={{ add: <Anchor component="button" type="button" onClick={() => setDrawer({ mode: 'create' })} /> }}
          />
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
                {t('importCsv')}
              </Button>
              <Button leftSection={<IconUserPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
                {t('addUser')}
              </Button>
            </>
          )
        }
      />

      {tabs || showGrants ? (
        <Tabs value={tab} onChange={changeTab} keepMounted={false}>
          <Tabs.List>
            {tabs?.first === 'companies' && <Tabs.Tab value="companies">{t(`tabs.${tabs.companies}`)}</Tabs.Tab>}
            <Tabs.Tab value="people">{t(`tabs.${tabs?.people ?? 'people'}`)}</Tabs.Tab>
            {tabs?.first === 'people' && <Tabs.Tab value="companies">{t(`tabs.${tabs.companies}`)}</Tabs.Tab>}
            {showGrants && <Tabs.Tab value="grants">{t('tabs.grants')}</Tabs.Tab>}
          </Tabs.List>
          <Tabs.Panel value="people" pt="md">
            {accounts}
          </Tabs.Panel>
          {tabs && (
            <Tabs.Panel value="companies" pt="md">
              <CompaniesPanel me={me} />
            </Tabs.Panel>
          )}
          {showGrants && (
            <Tabs.Panel value="grants" pt="md">
              <GrantsPanel />
            </Tabs.Panel>
          )}
        </Tabs>
      ) : (
        accounts
      )}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="md"
        title={drawer?.mode === 'edit' ? (mayEdit ? t('editTitle', { name: drawer.user.name }) : drawer.user.name) : t('addUser')}
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
                <Trans t={t} i18nKey="company" values={{ name: editing.companyName }} components={{ b: <b /> }} />
              </Text>
            )}
            {editing && mayEdit && <TaskRulesSection user={editing} />}
            {editing && mayEdit && <ExtraAccessSection user={editing} me={me} />}
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
