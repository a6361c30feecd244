import { Anchor, Badge, Button, Center, EmptyState, Group, Loader, Select, Stack, Table, Text } from '@mantine/core';
import { IconChecklist, IconPlus } from '@tabler/icons-react';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { errorMessage, type Me, type Project, type Task } from '../../api/client';
import { projectPeopleQuery, useAllProjects, useInternalPeopleForFilters, useTasks } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { formatDay, plural } from '../../lib/format';
import { fromApi } from '../../lib/people';
import { allows, useReadOnly } from '../../lib/readOnly';
import { assigneeFilterOptions } from './assignees';
import { TaskCreateModal } from './TaskCreateModal';
import { TaskDrawer } from './TaskDrawer';
import { useOpenTask, useTaskLookups, type TaskLookups } from './taskLookups';

export function VisibilityBadge({ task }: { task: Pick<Task, 'clientVisible'> }) {
  return task.clientVisible ? (
    <Badge variant="light" color="grape" tt="none" size="sm">
      Client-visible
    </Badge>
  ) : (
    <Badge variant="light" color="gray" tt="none" size="sm">
      Internal
    </Badge>
  );
}

export function ReviewBadge({ task }: { task: Pick<Task, 'reviewState'> }) {
  if (task.reviewState === 'approved')
    return (
      <Badge variant="light" color="teal" tt="none" size="sm">
        Approved
      </Badge>
    );
  if (task.reviewState === 'changes_requested')
    return (
      <Badge variant="light" color="orange" tt="none" size="sm">
        Changes requested
      </Badge>
    );
  return null;
}

/**
 * Tasks of one project (project given) or every task the user sees, with filters and
 * keyset paging; a task opens in a drawer.
 */
export function TaskList({ me, project }: { me: Me; project?: Project }) {
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
            label="Project"
            placeholder="Any project"
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
            label="Board"
            placeholder="Any board"
            data={lookups.boards.map((b) => ({ value: b.id, label: b.name }))}
            value={boardId}
            onChange={setBoardId}
            clearable
            w={200}
          />
        )}
        {internal && (
          <Select
            label="Assignee"
            placeholder="Anyone"
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
            {plural(total, 'task')}
          </Text>
        )}
        {canCreate && (
          <Button ml="auto" leftSection={<IconPlus size={18} />} onClick={() => setCreating(true)}>
            New task
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
          title={filtered ? 'No tasks match' : 'No tasks yet'}
          description={
            filtered
              ? 'Try other filters.'
              : canCreate
                ? 'Open the first task of this project.'
                : 'Tasks you can see will be listed here.'
          }
          py="xl"
        />
      ) : (
        <TaskTable rows={rows} me={me} lookups={lookups} showProject={!project} projectName={projectName} onOpen={setOpenTask} />
      )}

      {tasks.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            Load more
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
  const internal = me.role.kind === 'internal';
  return (
    <Table.ScrollContainer minWidth={internal ? 700 : 480}>
      <Table striped highlightOnHover verticalSpacing="sm" aria-label="Tasks">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Title</Table.Th>
            {showProject && <Table.Th>Project</Table.Th>}
            {internal && <Table.Th>Stage</Table.Th>}
            <Table.Th>Assignee</Table.Th>
            <Table.Th>Due</Table.Th>
            {internal && <Table.Th>Visibility</Table.Th>}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((t) => (
            <Table.Tr key={t.id} data-testid="task-row">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <Anchor component="button" type="button" onClick={() => onOpen(t.id)} fw={500} ta="left">
                    {t.title}
                  </Anchor>
                  <ReviewBadge task={t} />
                  {!internal && t.actions.includes('review') && (
                    <Badge variant="light" color="blue" tt="none" size="sm">
                      Waiting for your review
                    </Badge>
                  )}
                  {internal && t.followers.includes(me.user.id) && (
                    <Badge variant="outline" color="teal" tt="none" size="sm">
                      Following
                    </Badge>
                  )}
                </Group>
                {t.typeId && lookups.typeName(t.typeId) && (
                  <Text size="xs" c="dimmed">
                    {lookups.typeName(t.typeId)}
                  </Text>
                )}
              </Table.Td>
              {showProject && <Table.Td miw={120}>{projectName(t.projectId) || <Text span size="sm" c="dimmed">—</Text>}</Table.Td>}
              {internal && (
                <Table.Td>
                  {lookups.stageName(t) ? (
                    <>
                      <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                        {lookups.stageName(t)}
                      </Text>
                      <Text c="dimmed" size="xs">
                        {lookups.boardName(t.boardId)}
                      </Text>
                    </>
                  ) : (
                    <Text span size="sm" c="dimmed">—</Text>
                  )}
                </Table.Td>
              )}
              <Table.Td>{t.assigneeName || <Text span size="sm" c="dimmed">Unassigned</Text>}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{t.dueDate ? formatDay(t.dueDate) : <Text span size="sm" c="dimmed">—</Text>}</Table.Td>
              {internal && (
                <Table.Td>
                  <VisibilityBadge task={t} />
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
