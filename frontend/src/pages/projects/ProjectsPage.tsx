import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Card,
  Center,
  Drawer,
  EmptyState,
  Group,
  Loader,
  Menu,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconDots, IconFolder, IconPencil, IconPlus, IconRestore, IconSearch, IconTrash, IconUserExclamation } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage, type Me, type Project } from '../../api/client';
import { useProjects, useStaffWithoutProjects } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { ProjectForm } from './ProjectForm';
import { ArchiveProjectModal, DeleteProjectModal } from './ProjectDialogs';

type StatusFilter = 'active' | 'archived' | 'any';
type DrawerState = { mode: 'create' } | { mode: 'edit'; project: Project } | null;

export function ProjectsPage({ me }: { me: Me }) {
  const { t } = useTranslation('projects');
  const readOnly = useReadOnly();
  const client = me.role.kind === 'client';
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<StatusFilter>('active');
  const [drawer, setDrawer] = useState<DrawerState>(null);
  const [archiving, setArchiving] = useState<Project | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);
  const projects = useProjects({ q, status: status === 'any' ? undefined : status });
  const rows = projects.data?.pages.flatMap((p) => p.items) ?? [];
  const total = projects.data?.pages[0]?.total ?? 0;
  const filtered = !!q || status === 'archived';
  const canCreate = can(me, 'projects.create') && !readOnly;

  return (
    <Stack gap="md">
      <PageHeader
        title={t('list.title')}
        description={client ? t('list.descriptionClient') : t('list.description')}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              {t('list.newProject')}
            </Button>
          )
        }
      />

      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label={t('list.search')}
          placeholder={t('list.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Stack gap={4}>
          <Text size="sm" fw={600} id="project-status-label">
            {t('list.status')}
          </Text>
          <SegmentedControl
            aria-labelledby="project-status-label"
            value={status}
            onChange={(v) => setStatus(v as StatusFilter)}
            data={[
              { value: 'active', label: t('status.active') },
              { value: 'archived', label: t('status.archived') },
              { value: 'any', label: t('status.all') },
            ]}
          />
        </Stack>
        {projects.data && (
          <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
            {t('count.project', { count: total })}
          </Text>
        )}
      </Group>

      {projects.isError && <ErrorAlert message={errorMessage(projects.error)} />}

      {projects.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <ProjectsEmpty me={me} filtered={filtered} canCreate={canCreate} onCreate={() => setDrawer({ mode: 'create' })} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('list.tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.name')}</Table.Th>
                <Table.Th>{t('list.status')}</Table.Th>
                <Table.Th>{t('list.tasks')}</Table.Th>
                {!client && <Table.Th>{t('list.people')}</Table.Th>}
                <Table.Th w={48}>
                  <VisuallyHidden>{t('list.actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/projects/${p.id}`} fw={500}>
                      {p.name}
                    </Anchor>
                    {p.description && (
                      <Text size="xs" c="dimmed" lineClamp={1}>
                        {p.description}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Badge variant="dot" tt="none" color={p.status === 'active' ? 'teal' : 'gray'}>
                      {p.status === 'active' ? t('status.active') : t('status.archived')}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{p.taskCount}</Table.Td>
                  {!client && (
                    <Table.Td>
                      <Text size="sm">
                        {t('count.member', { count: p.members.length })}
                        {p.teams.length > 0 && `, ${t('count.team', { count: p.teams.length })}`}
                        {p.clients.length > 0 && `, ${t('count.client', { count: p.clients.length })}`}
                      </Text>
                    </Table.Td>
                  )}
                  <Table.Td>
                    <ProjectMenu
                      project={p}
                      readOnly={readOnly}
                      onEdit={() => setDrawer({ mode: 'edit', project: p })}
                      onArchive={() => setArchiving(p)}
                      onDelete={() => setDeleting(p)}
                    />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}

      {projects.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => projects.fetchNextPage()} loading={projects.isFetchingNextPage}>
            {t('list.loadMore')}
          </Button>
        </Center>
      )}

      {can(me, 'users.view') && me.role.kind === 'internal' && <StaffWithoutProjects />}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="md"
        title={drawer?.mode === 'edit' ? t('list.editTitle', { name: drawer.project.name }) : t('list.newProject')}
      >
        {drawer && (
          <ProjectForm
            key={drawer.mode === 'edit' ? drawer.project.id : 'new'}
            me={me}
            project={drawer.mode === 'edit' ? drawer.project : undefined}
            onCancel={() => setDrawer(null)}
            onSaved={(saved) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? t('list.created', { name: saved.name }) : t('list.saved') });
              setDrawer(null);
            }}
          />
        )}
      </Drawer>
      <ArchiveProjectModal project={archiving} onClose={() => setArchiving(null)} />
      <DeleteProjectModal project={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

export function ProjectMenu({
  project,
  readOnly,
  onEdit,
  onArchive,
  onDelete,
}: {
  project: Project;
  readOnly: boolean;
  onEdit: () => void;
  onArchive: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation('projects');
  const canEdit = allows(project.actions, 'edit', readOnly) || allows(project.actions, 'members', readOnly);
  const canArchive = allows(project.actions, 'edit', readOnly);
  const canDelete = allows(project.actions, 'delete', readOnly);
  if (!canEdit && !canDelete) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={t('actions.menuFor', { name: project.name })}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {canEdit && (
          <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
            {t('actions.edit')}
          </Menu.Item>
        )}
        {canArchive && (
          <Menu.Item leftSection={project.status === 'active' ? <IconArchive size={16} /> : <IconRestore size={16} />} onClick={onArchive}>
            {project.status === 'active' ? t('actions.archive') : t('actions.reopen')}
          </Menu.Item>
        )}
        {canDelete && (
          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
            {t('actions.delete')}
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function ProjectsEmpty({ me, filtered, canCreate, onCreate }: { me: Me; filtered: boolean; canCreate: boolean; onCreate: () => void }) {
  const { t } = useTranslation('projects');
  if (filtered) {
    return (
      <EmptyState icon={<IconFolder size={28} />} withIndicatorBackground title={t('empty.noMatchTitle')} description={t('empty.noMatchDescription')} py="xl" />
    );
  }
  if (canCreate) {
    return (
      <EmptyState
        icon={<IconFolder size={28} />}
        withIndicatorBackground
        title={t('empty.firstTitle')}
        description={t('empty.firstDescription')}
        py="xl"
      >
        <Button mt="md" onClick={onCreate}>
          {t('list.newProject')}
        </Button>
      </EmptyState>
    );
  }
  const client = me.role.kind === 'client';
  return (
    <EmptyState
      icon={<IconFolder size={28} />}
      withIndicatorBackground
      title={t('empty.noneTitle')}
      description={client ? t('empty.noneClient') : t('empty.noneStaff')}
      py="xl"
      data-testid="no-projects"
    >
      {!client && (
        <Text size="sm" c="dimmed" mt="xs">
          <Trans t={t} i18nKey="empty.tasksHint" components={{ anchor: <Anchor component={Link} to="/tasks" size="sm" /> }} />
        </Text>
      )}
    </EmptyState>
  );
}

/** For people who manage users: staff who would see an empty dashboard. */
function StaffWithoutProjects() {
  const { t } = useTranslation('projects');
  const q = useStaffWithoutProjects();
  const items = q.data?.items ?? [];
  if (q.isPending || (items.length === 0 && !q.isError)) return null;
  return (
    <Card withBorder padding="md" data-testid="staff-without-projects">
      <Group gap="xs" mb={4}>
        <IconUserExclamation size={20} />
        <Title order={2} size="h4">
          {t('staffWithout.title')}
        </Title>
      </Group>
      {q.isError ? (
        <ErrorAlert message={errorMessage(q.error)} />
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {t('staffWithout.text', { count: items.length })}
          </Text>
          <Group gap="xs">
            {items.map((u) => (
              <Badge key={u.id} variant="light" tt="none" size="lg" color="orange">
                {u.name}
              </Badge>
            ))}
            {q.data && q.data.total > items.length && <Text size="sm">{t('staffWithout.andMore', { n: q.data.total - items.length })}</Text>}
          </Group>
        </>
      )}
    </Card>
  );
}
