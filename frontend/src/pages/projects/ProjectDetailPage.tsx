import { Anchor, Badge, Breadcrumbs, Button, Drawer, Group, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArchive, IconBuilding, IconPencil, IconRestore, IconTrash } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('projects');
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
        {t('detail.crumb')}
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
        <ErrorAlert message={hidden ? t('detail.notFound') : errorMessage(project.error)} />
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
              {p.status === 'active' ? t('status.active') : t('status.archived')}
            </Badge>
            {/* Named only to those who see the company (the client list, and its own people). */}
            {p.companyName && (
              <Badge variant="light" color="grape" tt="none" leftSection={<IconBuilding size={12} />} title={t('detail.clientCompany')}>
                {p.companyName}
              </Badge>
            )}
          </Group>
          {p.description && <Text c="dimmed">{p.description}</Text>}
        </div>
        <Group gap="xs">
          {mayEdit && (
            <Button variant="default" leftSection={<IconPencil size={16} />} onClick={() => setEditing(true)}>
              {t('actions.edit')}
            </Button>
          )}
          {allows(p.actions, 'edit', readOnly) && (
            <Button
              variant="default"
              leftSection={p.status === 'active' ? <IconArchive size={16} /> : <IconRestore size={16} />}
              onClick={() => setArchiving(p)}
            >
              {p.status === 'active' ? t('actions.archive') : t('actions.reopen')}
            </Button>
          )}
          {allows(p.actions, 'delete', readOnly) && (
            <Button variant="outline" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(p)}>
              {t('actions.delete')}
            </Button>
          )}
        </Group>
      </Group>

      <Tabs value={tab} onChange={changeTab} keepMounted={false}>
        <Tabs.List>
          {/* taskCount counts the tasks this viewer sees (for a client, the client-visible ones). */}
          <Tabs.Tab value="tasks">{t('detail.tabs.tasks', { n: p.taskCount })}</Tabs.Tab>
          {showFiles && <Tabs.Tab value="files">{t('detail.tabs.files')}</Tabs.Tab>}
          {showDiscussions && <Tabs.Tab value="discussions">{t('detail.tabs.discussions')}</Tabs.Tab>}
          {showCosts && <Tabs.Tab value="costs">{t('detail.tabs.costs')}</Tabs.Tab>}
          {showMembers && <Tabs.Tab value="members">{t('detail.tabs.members')}</Tabs.Tab>}
          {showAccess && <Tabs.Tab value="access">{t('detail.tabs.access')}</Tabs.Tab>}
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

      <Drawer opened={editing} onClose={() => setEditing(false)} position="right" size="md" title={t('detail.editTitle', { name: p.name })}>
        {editing && (
          <ProjectForm
            me={me}
            project={p}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              notifications.show({ color: 'teal', message: t('detail.saved') });
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

type MemberKind = 'member' | 'team' | 'client';
const KIND_COLOR: Record<MemberKind, string> = { member: 'blue', team: 'cyan', client: 'grape' };

function MembersTab({ project, onEdit }: { project: Project; onEdit?: () => void }) {
  const { t } = useTranslation('projects');
  const teams = useTeams();
  // Members and clients come named with the project; the people of its teams do not, and
  // only they are asked for (the project's people include everyone through its teams).
  const teamPeople = useQuery({ ...projectPeopleQuery(project.id), enabled: project.teams.length > 0 });
  const teamMember = (id: string) =>
    teamPeople.data?.find((p) => p.id === id)?.name ?? project.names?.[id] ?? (teamPeople.isPending ? '…' : UNNAMED_INTERNAL);
  const team = (id: string) => teams.data?.find((t) => t.id === id);
  const rows: { key: string; name: string; what: MemberKind; detail?: string }[] = [
    ...project.members.map((id) => ({ key: `m-${id}`, name: nameOnProject(project, id), what: 'member' as const })),
    ...project.teams.map((id) => ({
      key: `t-${id}`,
      name: team(id)?.name ?? (teams.isPending ? '…' : t('members.hiddenTeam')),
      what: 'team' as const,
      detail: team(id) ? team(id)!.members.map(teamMember).join(', ') || t('members.emptyTeam') : undefined,
    })),
    ...project.clients.map((id) => ({ key: `c-${id}`, name: nameOnProject(project, id), what: 'client' as const })),
  ];
  return (
    <Stack gap="sm">
      {rows.length === 0 ? (
        <Text c="dimmed">
          {onEdit ? (
            <Trans t={t} i18nKey="members.nobodyAdd" components={{ anchor: <Anchor component="button" type="button" onClick={onEdit} /> }} />
          ) : (
            t('members.nobody')
          )}
        </Text>
      ) : (
        <Table verticalSpacing="xs" aria-label={t('members.tableLabel')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('members.name')}</Table.Th>
              <Table.Th>{t('members.onProjectAs')}</Table.Th>
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
                  <Badge variant="light" tt="none" color={KIND_COLOR[r.what]}>
                    {t(`members.as.${r.what}`)}
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
            {t('members.change')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}
