import { Anchor, Badge, Breadcrumbs, Button, Drawer, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconBuilding, IconPencil, IconRestore, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, errorMessage, type Me, type Project } from '../../api/client';
import { projectPeopleQuery, useProject, useTeams } from '../../api/work';
import { AccessTab } from '../../components/AccessTab';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { nameOnProject, UNNAMED_INTERNAL } from '../../lib/people';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { TaskList } from '../tasks/TaskList';
import { CostsTab } from './CostsTab';
import { DiscussionsTab, THREAD_PARAM } from './DiscussionsTab';
import { FilesTab } from './FilesTab';
import { ArchiveProjectModal, DeleteProjectModal } from './ProjectDialogs';
import { ProjectForm } from './ProjectForm';

export function ProjectDetailPage({ me }: { me: Me }) {
  const { id = '' } = useParams();
  const project = useProject(id);
  const navigate = useNavigate();
  const readOnly = useReadOnly();
  const [search, setSearch] = useSearchParams();
  // A link to a discussion (?thread=) opens the Discussions tab on it.
  const [tab, setTab] = useState<string | null>(search.has(THREAD_PARAM) ? 'discussions' : 'tasks');
  const changeTab = (next: string | null) => {
    // Leaving the tab closes the discussion open there (the URL no longer names it).
    if (next !== 'discussions' && search.has(THREAD_PARAM)) {
      setSearch(
        (s) => {
          const rest = new URLSearchParams(s);
          rest.delete(THREAD_PARAM);
          return rest;
        },
        { replace: true },
      );
    }
    setTab(next);
  };
  const [editing, setEditing] = useState(false);
  const [archiving, setArchiving] = useState<Project | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);

  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/projects">
        Projects
      </Anchor>
      <Text>{project.data?.name ?? '…'}</Text>
    </Breadcrumbs>
  );

  if (project.isPending) return <Loading />;
  if (project.isError) {
    const hidden = project.error instanceof ApiError && project.error.status === 404;
    return (
      <Stack>
        {crumbs}
        <ErrorAlert message={hidden ? 'This project does not exist, or you cannot see it.' : errorMessage(project.error)} />
      </Stack>
    );
  }
  const p = project.data;
  const internal = me.role.kind === 'internal';
  // Portal viewers get no member lists (the server sends them empty).
  const showMembers = internal;
  const showAccess = internal && can(me, 'users.view');
  const showFiles = can(me, 'files.view');
  // Portal users hold chat.discussions too: they see the discussions open to clients.
  const showDiscussions = can(me, 'chat.discussions');
  // Budgets and extra costs: only when the server says this viewer sees them (costs.view).
  const showCosts = p.actions.includes('viewCosts');
  const mayEdit = allows(p.actions, 'edit', readOnly) || allows(p.actions, 'members', readOnly);

  return (
    <Stack gap="md">
      {crumbs}
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <div>
          <Group gap="sm">
            <Title order={1}>{p.name}</Title>
            <Badge variant="dot" tt="none" color={p.status === 'active' ? 'teal' : 'gray'}>
              {p.status === 'active' ? 'Active' : 'Archived'}
            </Badge>
            {/* Named only to those who see the company (the client list, and its own people). */}
            {p.companyName && (
              <Badge variant="light" color="grape" tt="none" leftSection={<IconBuilding size={12} />} title="Client company">
                {p.companyName}
              </Badge>
            )}
          </Group>
          {p.description && <Text c="dimmed">{p.description}</Text>}
        </div>
        <Group gap="xs">
          {mayEdit && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              Edit
            </Button>
          )}
          {allows(p.actions, 'edit', readOnly) && (
            <Button
              variant="default"
              leftSection={p.status === 'active' ? <IconArchive size={16} /> : <IconRestore size={16} />}
              onClick={() => setArchiving(p)}
            >
              {p.status === 'active' ? 'Archive' : 'Reopen'}
            </Button>
          )}
          {allows(p.actions, 'delete', readOnly) && (
            <Button variant="outline" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(p)}>
              Delete
            </Button>
          )}
        </Group>
      </Group>

      <Tabs value={tab} onChange={changeTab} keepMounted={false}>
        <Tabs.List>
          {/* taskCount counts the tasks this viewer sees (for a client, the client-visible ones). */}
          <Tabs.Tab value="tasks">{`Tasks (${p.taskCount})`}</Tabs.Tab>
          {showFiles && <Tabs.Tab value="files">Files</Tabs.Tab>}
          {showDiscussions && <Tabs.Tab value="discussions">Discussions</Tabs.Tab>}
          {showCosts && <Tabs.Tab value="costs">Costs</Tabs.Tab>}
          {showMembers && <Tabs.Tab value="members">Members</Tabs.Tab>}
          {showAccess && <Tabs.Tab value="access">Access</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="tasks" pt="md">
          <TaskList me={me} project={p} />
        </Tabs.Panel>
        {showFiles && (
          <Tabs.Panel value="files" pt="md">
            <FilesTab me={me} project={p} />
          </Tabs.Panel>
        )}
        {showDiscussions && (
          <Tabs.Panel value="discussions" pt="md">
            <DiscussionsTab me={me} project={p} />
          </Tabs.Panel>
        )}
        {showCosts && (
          <Tabs.Panel value="costs" pt="md">
            <CostsTab me={me} project={p} />
          </Tabs.Panel>
        )}
        {showMembers && (
          <Tabs.Panel value="members" pt="md">
            <MembersTab project={p} onEdit={mayEdit ? () => setEditing(true) : undefined} />
          </Tabs.Panel>
        )}
        {showAccess && (
          <Tabs.Panel value="access" pt="md">
            <AccessTab type="project" id={p.id} />
          </Tabs.Panel>
        )}
      </Tabs>

      <Drawer opened={editing} onClose={() => setEditing(false)} position="right" size="md" title={`Edit ${p.name}`}>
        {editing && (
          <ProjectForm
            me={me}
            project={p}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              notifications.show({ color: 'teal', message: 'Changes saved.' });
              setEditing(false);
            }}
          />
        )}
      </Drawer>
      <ArchiveProjectModal project={archiving} onClose={() => setArchiving(null)} />
      <DeleteProjectModal project={deleting} onClose={() => setDeleting(null)} onDeleted={() => navigate('/projects')} />
    </Stack>
  );
}

function MembersTab({ project, onEdit }: { project: Project; onEdit?: () => void }) {
  const teams = useTeams();
  // Members and clients come named with the project; the people of its teams do not, and
  // only they are asked for (the project's people include everyone through its teams).
  const teamPeople = useQuery({ ...projectPeopleQuery(project.id), enabled: project.teams.length > 0 });
  const teamMember = (id: string) =>
    teamPeople.data?.find((p) => p.id === id)?.name ?? project.names?.[id] ?? (teamPeople.isPending ? '…' : UNNAMED_INTERNAL);
  const team = (id: string) => teams.data?.find((t) => t.id === id);
  const rows: { key: string; name: string; what: string; detail?: string }[] = [
    ...project.members.map((id) => ({ key: `m-${id}`, name: nameOnProject(project, id), what: 'Member' })),
    ...project.teams.map((id) => ({
      key: `t-${id}`,
      name: team(id)?.name ?? (teams.isPending ? '…' : 'A team you cannot see'),
      what: 'Team',
      detail: team(id) ? team(id)!.members.map(teamMember).join(', ') || 'Nobody in this team yet' : undefined,
    })),
    ...project.clients.map((id) => ({ key: `c-${id}`, name: nameOnProject(project, id), what: 'Client' })),
  ];
  return (
    <Stack gap="sm">
      {rows.length === 0 ? (
        <Text c="dimmed">Nobody is on this project yet{onEdit ? '' : '.'}{onEdit && <>: <Anchor component="button" type="button" onClick={onEdit}>add members</Anchor>.</>}</Text>
      ) : (
        <Table verticalSpacing="xs" aria-label="Project members">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>On the project as</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>
                  {r.name}
                  {r.detail && (
                    <Text size="xs" c="dimmed">
                      {r.detail}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" tt="none" color={r.what === 'Client' ? 'grape' : r.what === 'Team' ? 'cyan' : 'blue'}>
                    {r.what}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {onEdit && rows.length > 0 && (
        <Group>
          <Button variant="default" onClick={onEdit}>
            Change members
          </Button>
        </Group>
      )}
    </Stack>
  );
}
