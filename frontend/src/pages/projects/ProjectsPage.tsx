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
import { Link } from 'react-router-dom';
import { errorMessage, type Me, type Project } from '../../api/client';
import { useProjects, useStaffWithoutProjects } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { plural } from '../../lib/format';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { ProjectForm } from './ProjectForm';
import { ArchiveProjectModal, DeleteProjectModal } from './ProjectDialogs';

type StatusFilter = 'active' | 'archived' | 'any';
type DrawerState = { mode: 'create' } | { mode: 'edit'; project: Project } | null;

export const NO_PROJECT_MESSAGE = 'You are not on any project yet. Ask an administrator to add you to a project.';

export function ProjectsPage({ me }: { me: Me }) {
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
        title="Projects"
        description={client ? 'The projects you take part in as a client.' : 'Projects you can see, with their members and tasks.'}
        actions={
          canCreate && (
            <Button leftSection={<IconPlus size={18} />} onClick={() => setDrawer({ mode: 'create' })}>
              New project
            </Button>
          )
        }
      />

      <Group gap="sm" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Project name"
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
        />
        <Stack gap={4}>
          <Text size="sm" fw={600} id="project-status-label">
            Status
          </Text>
          <SegmentedControl
            aria-labelledby="project-status-label"
            value={status}
            onChange={(v) => setStatus(v as StatusFilter)}
            data={[
              { value: 'active', label: 'Active' },
              { value: 'archived', label: 'Archived' },
              { value: 'any', label: 'All' },
            ]}
          />
        </Stack>
        {projects.data && (
          <Text size="sm" c="dimmed" ml="auto" aria-live="polite">
            {plural(total, 'project')}
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
          <Table striped highlightOnHover verticalSpacing="sm" aria-label="Projects">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Tasks</Table.Th>
                {!client && <Table.Th>People</Table.Th>}
                <Table.Th w={48}>
                  <VisuallyHidden>Actions</VisuallyHidden>
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
                      {p.status === 'active' ? 'Active' : 'Archived'}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{p.taskCount}</Table.Td>
                  {!client && (
                    <Table.Td>
                      <Text size="sm">
                        {plural(p.members.length, 'member')}
                        {p.teams.length > 0 && `, ${plural(p.teams.length, 'team')}`}
                        {p.clients.length > 0 && `, ${plural(p.clients.length, 'client')}`}
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
            Load more
          </Button>
        </Center>
      )}

      {can(me, 'users.view') && me.role.kind === 'internal' && <StaffWithoutProjects />}

      <Drawer
        opened={drawer !== null}
        onClose={() => setDrawer(null)}
        position="right"
        size="md"
        title={drawer?.mode === 'edit' ? `Edit ${drawer.project.name}` : 'New project'}
      >
        {drawer && (
          <ProjectForm
            key={drawer.mode === 'edit' ? drawer.project.id : 'new'}
            me={me}
            project={drawer.mode === 'edit' ? drawer.project : undefined}
            onCancel={() => setDrawer(null)}
            onSaved={(saved) => {
              notifications.show({ color: 'teal', message: drawer.mode === 'create' ? `${saved.name} was created.` : 'Changes saved.' });
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
  const canEdit = allows(project.actions, 'edit', readOnly) || allows(project.actions, 'members', readOnly);
  const canArchive = allows(project.actions, 'edit', readOnly);
  const canDelete = allows(project.actions, 'delete', readOnly);
  if (!canEdit && !canDelete) return null;
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${project.name}`}>
          <IconDots size={18} />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {canEdit && (
          <Menu.Item leftSection={<IconPencil size={16} />} onClick={onEdit}>
            Edit
          </Menu.Item>
        )}
        {canArchive && (
          <Menu.Item leftSection={project.status === 'active' ? <IconArchive size={16} /> : <IconRestore size={16} />} onClick={onArchive}>
            {project.status === 'active' ? 'Archive' : 'Reopen'}
          </Menu.Item>
        )}
        {canDelete && (
          <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
            Delete
          </Menu.Item>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}

function ProjectsEmpty({ me, filtered, canCreate, onCreate }: { me: Me; filtered: boolean; canCreate: boolean; onCreate: () => void }) {
  if (filtered) {
    return (
      <EmptyState icon={<IconFolder size={28} />} withIndicatorBackground title="No projects match" description="Try another search or status." py="xl" />
    );
  }
  if (canCreate) {
    return (
      <EmptyState
        icon={<IconFolder size={28} />}
        withIndicatorBackground
        title="Create your first project"
        description="Add team members, teams and clients to decide who sees it."
        py="xl"
      >
        <Button mt="md" onClick={onCreate}>
          New project
        </Button>
      </EmptyState>
    );
  }
  const client = me.role.kind === 'client';
  return (
    <EmptyState
      icon={<IconFolder size={28} />}
      withIndicatorBackground
      title="No projects yet"
      description={client ? 'You are not attached to any project yet. Your contact will add you.' : NO_PROJECT_MESSAGE}
      py="xl"
      data-testid="no-projects"
    >
      {!client && (
        <Text size="sm" c="dimmed" mt="xs">
          Tasks assigned to you or that you follow are under{' '}
          <Anchor component={Link} to="/tasks" size="sm">
            Tasks
          </Anchor>
          .
        </Text>
      )}
    </EmptyState>
  );
}

/** For people who manage users: staff who would see an empty dashboard. */
function StaffWithoutProjects() {
  const q = useStaffWithoutProjects();
  const items = q.data?.items ?? [];
  if (q.isPending || (items.length === 0 && !q.isError)) return null;
  return (
    <Card withBorder padding="md" data-testid="staff-without-projects">
      <Group gap="xs" mb={4}>
        <IconUserExclamation size={20} />
        <Title order={2} size="h4">
          Staff without projects
        </Title>
      </Group>
      {q.isError ? (
        <ErrorAlert message={errorMessage(q.error)} />
      ) : (
        <>
          <Text size="sm" c="dimmed" mb="sm">
            {items.length === 1 ? 'This person sees' : 'These people see'} no project yet. Add them to a project (or to a team on one) so
            they can start working.
          </Text>
          <Group gap="xs">
            {items.map((u) => (
              <Badge key={u.id} variant="light" tt="none" size="lg" color="orange">
                {u.name}
              </Badge>
            ))}
            {q.data && q.data.total > items.length && <Text size="sm">and {q.data.total - items.length} more</Text>}
          </Group>
        </>
      )}
    </Card>
  );
}
