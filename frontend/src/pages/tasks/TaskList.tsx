import { Anchor, Badge, Button, Center, EmptyState, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type Project, type Task } from '../../api/client';
import { projectPeopleQuery, useAllProjects, useInternalPeopleForFilters, useTasks } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDay } from '../../lib/format';
import { fromApi } from '../../lib/people';
import { allows, useReadOnly } from '../../lib/readOnly';
import { assigneeFilterOptions } from './assignees';
import { TaskCreateModal } from './TaskCreateModal';
import { TaskDrawer } from './TaskDrawer';
import { useOpenTask, useTaskLookups, type TaskLookups } from './taskLookups';

export function VisibilityBadge({ task }: { task: Pick<Task, 'clientVisible'> }) {
  const { t } = useTranslation('tasks');
  return task.clientVisible ? (
    <Badge variant="light" color="grape" tt="none" size="sm">
      {t('badge.clientVisible')}
    </Badge>
  ) : (
    <Badge variant="light" color="gray" tt="none" size="sm">
      {t('badge.internal')}
    </Badge>
  );
}

export function ReviewBadge({ task }: { task: Pick<Task, 'reviewState'> }) {
  const { t } = useTranslation('tasks');
  if (task.reviewState === 'approved')
    return (
      <Badge variant="light" color="teal" tt="none" size="sm">
        {t('badge.approved')}
      </Badge>
    );
  if (task.reviewState === 'changes_requested')
    return (
      <Badge variant="light" color="orange" tt="none" size="sm">
        {t('badge.changesRequested')}
      </Badge>
    );
  return null;
}

/**
 * Tasks of one project (project given) or every task the user sees, with filters and
 * keyset paging; a task opens in a drawer.
 */
export function TaskList({ me, project }: { me: Me; project?: Project }) {
  const { t } = useTranslation('tasks');
  const readOnly = useReadOnly();
  const internal = me.role.kind === 'internal';
  const lookups = useTaskLookups(me);
  const [boardId, setBoardId] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [projectId, setProjectId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [openTask, setOpenTask] = useOpenTask();
  const projects = useAllProjects(!project);
  const projectName = (id: string) => (project?.id === id ? project.name : projects.data?.find((p) => p.id === id)?.name ?? '');

  const tasks = useTasks({
    projectId: project?.id ?? projectId ?? undefined,
    boardId: boardId ?? undefined,
    assigneeId: assigneeId ?? undefined,
  });
  const rows = tasks.data?.pages.flatMap((p) => p.items) ?? [];
  // Only the assignee filter needs people (tasks name their assignees themselves): they
  // are asked for when it is first opened. Deactivated people are in it (their tasks stay
  // findable); the project's own people, when the list is one project's.
  const [pickingAssignee, setPickingAssignee] = useState(false);
  const everyone = useInternalPeopleForFilters(internal && pickingAssignee);
  const onProject = useQuery({ ...projectPeopleQuery(project?.id ?? ''), enabled: !!project && internal && pickingAssignee });
  const total = tasks.data?.pages[0]?.total ?? 0;
  const filtered = !!(boardId || assigneeId || projectId);
  const canCreate = !!project && allows(project.actions, 'createTask', readOnly) && project.status === 'active';

  const assigneeOptions = assigneeFilterOptions(
    me,
    (everyone.data ?? []).map(fromApi),
    project ? (onProject.data ?? []).map(fromApi) : undefined,
  );

  return (
    <Stack gap="md">
      <Group gap="sm" align="flex-end" wrap="wrap">
        {!project && (projects.data?.length ?? 0) > 0 && (
          <Select
            label={t('taskList.project')}
            placeholder={t('taskList.anyProject')}
            data={(projects.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
            value={projectId}
            onChange={setProjectId}
            clearable
            searchable
            w={220}
          />
        )}
        {internal && lookups.boards.length > 0 && (
          <Select
            label={t('taskList.board')}
            placeholder={t('taskList.anyBoard')}
            data={lookups.boards.map((b) => ({ value: b.id, label: b.name }))}
            value={boardId}
            onChange={setBoardId}
            clearable
            w={200}
          />
        )}
        {internal && (
          <Select
            label={t('taskList.assignee')}
            placeholder={t('taskList.anyone')}
            data={assigneeOptions}
            value={assigneeId}
            onChange={setAssigneeId}
            onDropdownOpen={() => setPickingAssignee(true)}
            clearable
            searchable
            w={200}
          />
        )}
        {tasks.data && (
          <Text size="sm" c="dimmed" aria-live="polite">
            {t('taskList.count', { count: total })}
          </Text>
        )}
        {canCreate && (
          <Button ml="auto" leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
            {t('taskList.newTask')}
          </Button>
        )}
      </Group>

      {tasks.isError && <ErrorAlert message={errorMessage(tasks.error)} />}

      {tasks.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconChecklist size={28} />}
          withIndicatorBackground
          title={filtered ? t('taskList.noMatch') : t('taskList.noneYet')}
          description={
            filtered
              ? t('taskList.tryOtherFilters')
              : canCreate
                ? t('taskList.openFirst')
                : t('taskList.listedHere')
          }
          py="xl"
        />
      ) : (
        <TaskTable rows={rows} me={me} lookups={lookups} showProject={!project} projectName={projectName} onOpen={setOpenTask} />
      )}

      {tasks.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            {t('taskList.loadMore')}
          </Button>
        </Center>
      )}

      {project && (
        <TaskCreateModal opened={creating} onClose={() => setCreating(false)} me={me} project={project} lookups={lookups} />
      )}
      <TaskDrawer taskId={openTask} onClose={() => setOpenTask(null)} me={me} lookups={lookups} projectName={projectName} />
    </Stack>
  );
}

function TaskTable({
  rows,
  lookups,
  showProject,
  projectName,
  onOpen,
  me,
}: {
  rows: Task[];
  me: Me;
  lookups: TaskLookups;
  showProject: boolean;
  projectName: (id: string) => string;
  onOpen: (id: string) => void;
}) {
  const { t } = useTranslation('tasks', { keyPrefix: 'taskList.table' });
  const internal = me.role.kind === 'internal';
  return (
    <Table.ScrollContainer minWidth={internal ? 700 : 480}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('label')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('title')}</Table.Th>
            {showProject && <Table.Th>{t('project')}</Table.Th>}
            {internal && <Table.Th>{t('stage')}</Table.Th>}
            <Table.Th>{t('assignee')}</Table.Th>
            <Table.Th>{t('due')}</Table.Th>
            {internal && <Table.Th>{t('visibility')}</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((task) => (
            <Table.Tr key={task.id} data-testid="task-row">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Anchor component="button" type="button" onClick={() => onOpen(task.id)} fw={500} ta="left">
                    {task.title}
                  </Anchor>
                  <ReviewBadge task={task} />
                  {!internal && task.actions.includes('review') && (
                    <Badge variant="light" color="blue" tt="none" size="sm">
                      {t('waitingForYourReview')}
                    </Badge>
                  )}
                  {internal && task.followers.includes(me.user.id) && (
                    <Badge variant="outline" color="teal" tt="none" size="sm">
                      {t('following')}
                    </Badge>
                  )}
                </Group>
                {task.typeId && lookups.typeName(task.typeId) && (
                  <Text size="xs" c="dimmed">
                    {lookups.typeName(task.typeId)}
                  </Text>
                )}
              </Table.Td>
              {showProject && <Table.Td miw={120}>{projectName(task.projectId) || <Text span size="sm" c="dimmed">—</Text>}</Table.Td>}
              {internal && (
                <Table.Td>
                  {lookups.stageName(task) ? (
                    <>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {lookups.stageName(task)}
                      </Text>
                      <Text c="dimmed" size="xs">
                        {lookups.boardName(task.boardId)}
                      </Text>
                    </>
                  ) : (
                    <Text span size="sm" c="dimmed">—</Text>
                  )}
                </Table.Td>
              )}
              <Table.Td>{task.assigneeName || <Text span size="sm" c="dimmed">{t('unassigned')}</Text>}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{task.dueDate ? formatDay(task.dueDate) : <Text span size="sm" c="dimmed">—</Text>}</Table.Td>
              {internal && (
                <Table.Td>
                  <VisibilityBadge task={task} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
