import { Anchor, Badge, Breadcrumbs, Button, Card, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconLock, IconTrash, IconWorld } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { ApiError, errorMessage, type Me, type Task } from '../../api/client';
import { useAllProjects, useBoard, useBoardTasks, useDeleteBoard, useMoveTask } from '../../api/work';
import { AccessTab } from '../../components/AccessTab';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { TaskCreateModal } from '../tasks/TaskCreateModal';
import { TaskDrawer } from '../tasks/TaskDrawer';
import { useOpenTask, useTaskLookups } from '../tasks/taskLookups';
import { BoardForm } from './BoardForm';
import { Kanban } from './Kanban';

export function BoardPage({ me }: { me: Me }) {
  const { t } = useTranslation('boards');
  const { id = '' } = useParams();
  const board = useBoard(id);
  const tasks = useBoardTasks(id);
  const lookups = useTaskLookups(me);
  const projects = useAllProjects();
  const readOnly = useReadOnly();
  const navigate = useNavigate();
  const move = useMoveTask(id);
  const [openTask, setOpenTask] = useOpenTask();
  const [tab, setTab] = useState<string | null>('board');
  const [creatingIn, setCreatingIn] = useState<string | null>(null);
  const [deleting, setDeleting] = useState(false);
  const del = useDeleteBoard();
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const projectName = (pid: string) => projects.data?.find((p) => p.id === pid)?.name ?? '';
  const crumbs = (
    <Breadcrumbs>
      <Anchor component={Link} to="/boards">
        {t('board.crumb')}
      </Anchor>
      <Text>{board.data?.name ?? '…'}</Text>
    </Breadcrumbs>
  );

  if (board.isPending) return <Loading />;
  if (board.isError) {
    const hidden = board.error instanceof ApiError && board.error.status === 404;
    return (
      <Stack>
        {crumbs}
        <ErrorAlert message={hidden ? t('board.notFound') : errorMessage(board.error)} />
      </Stack>
    );
  }
  const b = board.data;
  const mayWork = allows(b.actions, 'work', readOnly);
  const mayEdit = allows(b.actions, 'edit', readOnly);
  const showAccess = can(me, 'users.view');
  const creatable = (projects.data ?? []).filter((p) => p.status === 'active' && p.actions.includes('createTask'));

  const onMove = (task: Task, stageId: string) => {
    const to = b.stages.find((s) => s.id === stageId)?.name ?? t('board.thatStage');
    move.mutate(
      { taskId: task.id, stageId },
      {
        onError: (e) =>
          notifications.show({
            color: 'red',
            title: t('board.moveFailed', { title: task.title, stage: to }),
            message: errorMessage(e),
          }),
      },
    );
  };

  const confirmDelete = async () => {
    setDeleteError(null);
    try {
      await del.mutateAsync(b.id);
      notifications.show({ color: 'teal', message: t('board.deleted', { name: b.name }) });
      setDeleting(false);
      navigate('/boards');
    } catch (e) {
      setDeleteError(errorMessage(e));
    }
  };

  return (
    <Stack gap="md">
      {crumbs}
      <Group justify="space-between" align="flex-start">
        <div>
          <Group gap="sm">
            <Title order={1}>{b.name}</Title>
            <Badge
              variant="light"
              tt="none"
              color={b.visibility === 'invited' ? 'orange' : 'gray'}
              leftSection={b.visibility === 'invited' ? <IconLock size={12} /> : <IconWorld size={12} />}
            >
              {b.visibility === 'invited' ? t('visibility.invited') : t('visibility.all')}
            </Badge>
            {b.myLevel && (
              <Badge variant="outline" tt="none">
                {t('board.you', { level: b.myLevel === 'editor' ? t('board.levelEditor') : t('board.levelMember') })}
              </Badge>
            )}
          </Group>
          {!mayWork && !readOnly && (
            <Text size="sm" c="dimmed">
              {b.visibility === 'invited' ? t('board.readOnlyInvited') : t('board.readOnly')}
            </Text>
          )}
        </div>
      </Group>

      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="board">{t('board.tabs.board')}</Tabs.Tab>
          {mayEdit && <Tabs.Tab value="settings">{t('board.tabs.settings')}</Tabs.Tab>}
          {showAccess && <Tabs.Tab value="access">{t('board.tabs.access')}</Tabs.Tab>}
        </Tabs.List>
        <Tabs.Panel value="board" pt="md">
          {tasks.isError && <ErrorAlert message={errorMessage(tasks.error)} />}
          {tasks.isPending ? (
            <Loading />
          ) : (
            <Kanban
              board={b}
              tasks={tasks.data ?? []}
              canMove={(task) => allows(task.actions, 'status', readOnly)}
              onMove={onMove}
              onOpen={(task) => setOpenTask(task.id)}
              onCreate={mayWork && creatable.length > 0 ? (stageId) => setCreatingIn(stageId) : undefined}
              projectName={projectName}
            />
          )}
        </Tabs.Panel>
        {mayEdit && (
          <Tabs.Panel value="settings" pt="md">
            <Stack maw={720} gap="lg">
              <BoardForm
                key={JSON.stringify([b.name, b.visibility, b.stages, b.access])}
                board={b}
                me={me}
                onSaved={() => notifications.show({ color: 'teal', message: t('board.saved') })}
              />
              <Card withBorder>
                <Title order={3} size="h5" c="red" mb={4}>
                  {t('board.deleteTitle')}
                </Title>
                <Text size="sm" c="dimmed" mb="sm">
                  {t('board.deleteIntro')}
                </Text>
                <Group>
                  <Button variant="outline" color="red" leftSection={<IconTrash size={16} />} onClick={() => setDeleting(true)}>
                    {t('board.deleteButton')}
                  </Button>
                </Group>
              </Card>
            </Stack>
          </Tabs.Panel>
        )}
        {showAccess && (
          <Tabs.Panel value="access" pt="md">
            <AccessTab type="board" id={b.id} />
          </Tabs.Panel>
        )}
      </Tabs>

      <TaskCreateModal
        opened={creatingIn !== null}
        onClose={() => setCreatingIn(null)}
        me={me}
        projects={creatable}
        lookups={lookups}
        boardId={b.id}
        stageId={creatingIn ?? undefined}
      />
      <TaskDrawer taskId={openTask} onClose={() => setOpenTask(null)} me={me} lookups={lookups} projectName={projectName} />
      <ConfirmModal
        opened={deleting}
        title={t('board.confirmTitle', { name: b.name })}
        confirmLabel={t('board.deleteButton')}
        onClose={() => setDeleting(false)}
        onConfirm={confirmDelete}
        loading={del.isPending}
        error={deleteError}
      >
        <Text size="sm">{t('board.confirmText')}</Text>
      </ConfirmModal>
    </Stack>
  );
}
