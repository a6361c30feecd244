import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Divider,
  Drawer,
  Group,
  Paper,
  Select,
  Stack,
  Switch,
  Tabs,
  Text,
  TextInput,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconMessage, IconTrash, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type Me, type Schemas, type Task } from '../../api/client';
import {
  useAddComment,
  useAddFollower,
  useComments,
  useDeleteTask,
  useFollowers,
  useRemoveFollower,
  useReviewTask,
  useTask,
  useUpdateTask,
} from '../../api/work';
import { usePreviewedSave, type WhatIfRequest } from '../../api/whatif';
import { AccessTab } from '../../components/AccessTab';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { formatDateTime, formatDay } from '../../lib/format';
import { applyServerError } from '../../lib/forms';
import { can } from '../../lib/permissions';
import { usePeople, userOptions, type People } from '../../lib/people';
import { allows, useReadOnly } from '../../lib/readOnly';
import { assigneeOptions } from './assignees';
import { TaskFilesSection } from './TaskFiles';
import type { TaskLookups } from './taskLookups';
import { ReviewBadge, VisibilityBadge } from './TaskList';

type Props = {
  me: Me;
  lookups: TaskLookups;
  projectName: (id: string) => string;
};

/** Inside a loaded task: names and pickers come from the task's project's people. */
type Inner = Props & { people: People };

export function TaskDrawer({ taskId, onClose, ...props }: Props & { taskId: string | null; onClose: () => void }) {
  const { t } = useTranslation('tasks');
  return (
    <Drawer opened={!!taskId} onClose={onClose} position="right" size="xl" title={t('drawer.title')}>
      {taskId && <TaskDetail key={taskId} taskId={taskId} onDeleted={onClose} {...props} />}
    </Drawer>
  );
}

export function TaskDetail({ taskId, onDeleted, ...props }: Props & { taskId: string; onDeleted: () => void }) {
  const { t } = useTranslation('tasks');
  const { me } = props;
  const task = useTask(taskId);
  // The task names its assignee itself; people are asked for only where someone is to be
  // picked (an assignee, a follower).
  const picks = !!task.data && (me.role.kind === 'internal' || task.data.actions.includes('assign'));
  const people = usePeople(me, picks && task.data?.projectId ? [task.data.projectId] : []);
  const [tab, setTab] = useState<string | null>('details');
  if (task.isPending) return <Loading />;
  if (task.isError) {
    const hidden = task.error instanceof ApiError && task.error.status === 404;
    return <ErrorAlert message={hidden ? t('drawer.notFound') : errorMessage(task.error)} />;
  }
  const item = task.data;
  const showAccess = can(me, 'users.view') && me.role.kind === 'internal';
  return (
    <Stack gap="md">
      <div>
        <Group gap="xs">
          <Title order={2} size="h3">
            {item.title}
          </Title>
          {me.role.kind === 'internal' && <VisibilityBadge task={item} />}
          <ReviewBadge task={item} />
        </Group>
        {props.projectName(item.projectId) && (
          <Text size="sm" c="dimmed">
            {t('drawer.project', { name: props.projectName(item.projectId) })}
          </Text>
        )}
      </div>
      {showAccess ? (
        <Tabs value={tab} onChange={setTab} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="details">{t('drawer.details')}</Tabs.Tab>
            <Tabs.Tab value="access">{t('drawer.access')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="details" pt="md">
            <TaskDetails task={item} onDeleted={onDeleted} people={people} {...props} />
          </Tabs.Panel>
          <Tabs.Panel value="access" pt="md">
            <AccessTab type="task" id={item.id} />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <TaskDetails task={item} onDeleted={onDeleted} people={people} {...props} />
      )}
    </Stack>
  );
}

function TaskDetails({ task, onDeleted, ...props }: Inner & { task: Task; onDeleted: () => void }) {
  const internal = props.me.role.kind === 'internal';
  return (
    <Stack gap="lg">
      <ReviewSection task={task} client={!internal} />
      <TaskFields key={fieldsKey(task)} task={task} {...props} />
      {can(props.me, 'files.view') && <TaskFilesSection task={task} me={props.me} />}
      {internal && <FollowersSection task={task} {...props} />}
      <CommentsSection task={task} />
      <DeleteSection task={task} onDeleted={onDeleted} />
    </Stack>
  );
}

function fieldsKey(t: Task): string {
  return [t.id, t.title, t.description, t.assigneeId, t.dueDate, t.typeId, t.clientVisible, t.boardId, t.stageId].join('|');
}

function TaskFields({ task, me, people, lookups }: Inner & { task: Task }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'fields' });
  const readOnly = useReadOnly();
  const update = useUpdateTask();
  const [formError, setFormError] = useState<string | null>(null);
  const mayEdit = allows(task.actions, 'edit', readOnly);
  const mayAssign = allows(task.actions, 'assign', readOnly);
  const mayMove = allows(task.actions, 'status', readOnly);
  const currentBoard = lookups.board(task.boardId);
  const mayChangeBoard = mayEdit && (!task.boardId || allows(currentBoard?.actions, 'edit', readOnly));
  const initial = {
    title: task.title,
    description: task.description,
    assigneeId: task.assigneeId,
    dueDate: task.dueDate,
    typeId: task.typeId,
    clientVisible: task.clientVisible,
    boardId: task.boardId,
    stageId: task.stageId,
  };
  const form = useForm({
    mode: 'controlled',
    initialValues: initial,
    validate: { title: (v) => (v.trim() ? null : t('titleRequired')) },
  });
  const v = form.values;
  const board = lookups.board(v.boardId);
  const changed = (Object.keys(initial) as (keyof typeof initial)[]).some((k) => v[k] !== initial[k]);
  const anyEditable = mayEdit || mayAssign || mayMove;
  // Who sees or works on the task changes (client visibility, assignee, board): its
  // what-if preview before saving.
  const sight = {
    ...(v.clientVisible !== task.clientVisible ? { clientVisible: v.clientVisible } : {}),
    ...(v.assigneeId !== task.assigneeId ? { assigneeId: v.assigneeId } : {}),
    ...(v.boardId !== task.boardId ? { boardId: v.boardId, stageId: v.stageId } : {}),
  };
  const proposal: WhatIfRequest | null = anyEditable && Object.keys(sight).length > 0 ? { task: { id: task.id, ...sight } } : null;
  const preview = usePreviewedSave(proposal);

  const submit = form.onSubmit(async (vals) => {
    setFormError(null);
    preview.start();
    const body: Schemas['TaskUpdateRequest'] = {};
    if (vals.title.trim() !== task.title) body.title = vals.title.trim();
    if (vals.description !== task.description) body.description = vals.description;
    if (vals.dueDate !== task.dueDate) body.dueDate = vals.dueDate;
    if (vals.typeId !== task.typeId) body.typeId = vals.typeId;
    if (vals.clientVisible !== task.clientVisible) body.clientVisible = vals.clientVisible;
    if (vals.assigneeId !== task.assigneeId) body.assigneeId = vals.assigneeId;
    if (vals.boardId !== task.boardId) {
      body.boardId = vals.boardId;
      body.stageId = vals.stageId;
    } else if (vals.stageId !== task.stageId) body.stageId = vals.stageId;
    if (proposal) Object.assign(body, preview.expect);
    try {
      await update.mutateAsync({ id: task.id, body });
      notifications.show({ color: 'teal', message: t('saved') });
    } catch (e) {
      if (preview.refused(e)) return;
      // The field at fault is marked, and the reason is said above the form as well (it may
      // concern a field shown read-only here, like the board's invitation rules).
      applyServerError(form, e, { stage: 'stageId' });
      setFormError(errorMessage(e));
    }
  });

  // Only types the server says this person may create tasks of; a task whose current type
  // they may not create keeps its type (changing it would lift that type's limits).
  const typeOptions = lookups.types.filter((ty) => ty.actions?.includes('create')).map((ty) => ({ value: ty.id, label: ty.name }));
  const currentType = lookups.types.find((ty) => ty.id === task.typeId);
  const typeLocked = !!task.typeId && !!currentType && !currentType.actions?.includes('create');
  if (task.typeId && !typeOptions.some((o) => o.value === task.typeId)) typeOptions.unshift({ value: task.typeId, label: currentType?.name ?? t('currentType') });
  const internal = me.role.kind === 'internal';

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm">
        {formError && <ErrorAlert title={t('notSaved')} message={formError} onClose={() => setFormError(null)} />}
        {mayEdit ? (
          <TextInput label={t('title')} required {...form.getInputProps('title')} />
        ) : null}
        {mayEdit ? (
          <Textarea label={t('description')} autosize minRows={2} maxRows={10} {...form.getInputProps('description')} />
        ) : (
          <div>
            <Text size="sm" fw={600} mb={4}>
              {t('description')}
            </Text>
            <Paper withBorder p="sm">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={task.description ? undefined : 'dimmed'}>
                {task.description || t('noDescription')}
              </Text>
            </Paper>
          </div>
        )}
        <Group grow align="flex-start">
          {mayAssign ? (
            <Select
              label={t('assignee')}
              placeholder={t('unassigned')}
              data={assigneeOptions(me, people, mayAssign, task.projectId, { id: task.assigneeId, name: task.assigneeName })}
              clearable
              searchable
              {...form.getInputProps('assigneeId')}
              value={v.assigneeId || null}
              onChange={(x) => form.setFieldValue('assigneeId', x ?? '')}
            />
          ) : (
            <ReadField label={t('assignee')} value={task.assigneeName || t('unassigned')} />
          )}
          {mayEdit ? (
            <TextInput label={t('dueDate')} type="date" {...form.getInputProps('dueDate')} />
          ) : (
            <ReadField label={t('dueDate')} value={task.dueDate ? formatDay(task.dueDate) : '—'} />
          )}
        </Group>
        {internal && (
          <Group grow align="flex-start">
            {mayEdit && !typeLocked && typeOptions.length > 0 ? (
              <Select
                label={t('type')}
                placeholder={t('noType')}
                data={typeOptions}
                clearable
                {...form.getInputProps('typeId')}
                value={v.typeId || null}
                onChange={(x) => form.setFieldValue('typeId', x ?? '')}
              />
            ) : (
              <ReadField label={t('type')} value={lookups.typeName(task.typeId) || '—'} />
            )}
            {mayChangeBoard ? (
              <Select
                label={t('board')}
                placeholder={t('noBoard')}
                data={lookups.boards
                  .filter((b) => b.id === task.boardId || b.actions.includes('edit'))
                  .map((b) => ({ value: b.id, label: b.name }))}
                clearable
                {...form.getInputProps('boardId')}
                value={v.boardId || null}
                onChange={(x) => {
                  form.setFieldValue('boardId', x ?? '');
                  form.setFieldValue('stageId', x === task.boardId ? task.stageId : (lookups.board(x ?? '')?.stages[0]?.id ?? ''));
                }}
              />
            ) : (
              <ReadField label={t('board')} value={lookups.boardName(task.boardId) || '—'} />
            )}
            {(mayMove || mayChangeBoard) && board ? (
              <Select
                label={t('stage')}
                data={board.stages.filter((s) => s.id).map((s) => ({ value: s.id!, label: s.name }))}
                {...form.getInputProps('stageId')}
                value={v.stageId || null}
                onChange={(x) => form.setFieldValue('stageId', x ?? '')}
              />
            ) : (
              <ReadField label={t('stage')} value={lookups.stageName(task) || '—'} />
            )}
          </Group>
        )}
        {internal &&
          (mayEdit ? (
            <Switch
              label={t('visibleToClient')}
              description={t('visibleToClientHelp')}
              {...form.getInputProps('clientVisible', { type: 'checkbox' })}
            />
          ) : (
            <ReadField label={t('visibility')} value={task.clientVisible ? t('visibleToClient') : t('internalOnly')} />
          ))}
        <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
        {anyEditable && (
          <Group justify="flex-end">
            <Button variant="default" disabled={!changed} onClick={() => form.setValues(initial)}>
              {t('discard')}
            </Button>
            <Button type="submit" disabled={!changed || preview.whatIf.pending} loading={update.isPending}>
              {t('saveChanges')}
            </Button>
          </Group>
        )}
        <Text size="xs" c="dimmed">
          {t('created', { date: formatDateTime(task.createdAt) })}
        </Text>
      </Stack>
    </form>
  );
}

function ReadField({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="sm" fw={600}>
        {label}
      </Text>
      <Text size="sm">{value}</Text>
    </div>
  );
}

function ReviewSection({ task, client }: { task: Task; client: boolean }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'review' });
  const readOnly = useReadOnly();
  const review = useReviewTask();
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  if (!allows(task.actions, 'review', readOnly)) return null;

  const decide = async (decision: 'approve' | 'request_changes') => {
    setError(null);
    try {
      await review.mutateAsync({ id: task.id, body: { decision, ...(comment.trim() ? { comment: comment.trim() } : {}) } });
      setComment('');
      notifications.show({ color: 'teal', message: decision === 'approve' ? t('approvedNotice') : t('changesRequestedNotice') });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Alert color="blue" title={client ? t('waitingForYou') : t('waitingForClient')} variant="light">
      <Stack gap="sm">
        {!client && (
          <Text size="sm">{t('clientUndecided')}</Text>
        )}
        <ErrorAlert message={error} />
        <Textarea
          label={t('comment')}
          placeholder={t('commentPlaceholder')}
          autosize
          minRows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
        />
        <Group>
          <Button color="teal" leftSection={<IconCheck size={16} />} onClick={() => decide('approve')} loading={review.isPending && review.variables?.body.decision === 'approve'}>
            {t('approve')}
          </Button>
          <Button
            color="orange"
            variant="light"
            leftSection={<IconX size={16} />}
            onClick={() => decide('request_changes')}
            loading={review.isPending && review.variables?.body.decision === 'request_changes'}
          >
            {t('requestChanges')}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

function FollowersSection({ task, me, people }: Inner & { task: Task }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'followers' });
  const readOnly = useReadOnly();
  const followers = useFollowers(task.id);
  const add = useAddFollower();
  const remove = useRemoveFollower();
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const mayManage = allows(task.actions, 'edit', readOnly) && me.role.kind === 'internal';
  const list = followers.data?.items ?? [];
  // Anyone internal, or one of the project's clients (a follower sees this one task).
  const candidates = [...people.all, ...people.onProject(task.projectId).filter((p) => !people.all.some((a) => a.id === p.id))];
  const clientIds = new Set(candidates.filter((p) => p.kind === 'client').map((p) => p.id));
  const options = userOptions(candidates)
    .filter((o) => !list.some((f) => f.id === o.value))
    .map((o) => (clientIds.has(o.value) ? { ...o, label: t('client', { name: o.label }) } : o));

  // The follower picked: what they would gain, before adding them.
  const preview = usePreviewedSave(mayManage && picked ? { task: { id: task.id, follow: picked } } : null);

  const doAdd = async () => {
    if (!picked) return;
    setError(null);
    preview.start();
    try {
      await add.mutateAsync({ taskId: task.id, userId: picked, ...preview.expect });
      setPicked(null);
    } catch (e) {
      if (preview.refused(e)) return;
      setError(errorMessage(e));
    }
  };

  const doRemove = async () => {
    if (!removing) return;
    setError(null);
    try {
      await remove.mutateAsync({ taskId: task.id, userId: removing.id });
      setRemoving(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <Stack gap="xs">
      <Divider />
      <Title order={3} size="h5">
        {t('title')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('help')}
      </Text>
      {followers.isError && <ErrorAlert message={errorMessage(followers.error)} />}
      {!removing && <ErrorAlert message={error} />}
      <Group gap={6}>
        {list.length === 0 && !followers.isPending && (
          <Text size="sm" c="dimmed">
            {t('none')}
          </Text>
        )}
        {list.map((f) => (
          <Badge
            key={f.id}
            variant="light"
            color="teal"
            tt="none"
            size="lg"
            rightSection={
              mayManage ? (
                <ActionIcon size="xs" variant="transparent" color="teal" aria-label={t('removeLabel', { name: f.name })} onClick={() => setRemoving(f)}>
                  <IconX size={12} />
                </ActionIcon>
              ) : undefined
            }
          >
            {f.name}
          </Badge>
        ))}
      </Group>
      {mayManage && (
        <Group align="flex-end" gap="xs">
          <Select
            label={t('add')}
            placeholder={t('choose')}
            data={options}
            value={picked}
            onChange={setPicked}
            searchable
            w={260}
            nothingFoundMessage={t('nothingFound')}
          />
          <Button variant="default" onClick={doAdd} disabled={!picked || preview.whatIf.pending} loading={add.isPending}>
            {t('addButton')}
          </Button>
        </Group>
      )}
      <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
      <ConfirmModal
        opened={removing !== null}
        title={t('removeTitle')}
        confirmLabel={t('removeConfirm')}
        onClose={() => setRemoving(null)}
        onConfirm={doRemove}
        loading={remove.isPending}
        error={error}
      >
        <Text size="sm">{removing ? t('removeBody', { name: removing.name }) : ''}</Text>
      </ConfirmModal>
    </Stack>
  );
}

function CommentsSection({ task }: { task: Task }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'comments' });
  const readOnly = useReadOnly();
  const comments = useComments(task.id);
  const add = useAddComment();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const mayComment = allows(task.actions, 'comment', readOnly);
  const list = comments.data?.items ?? [];

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!body.trim()) return;
    setError(null);
    try {
      await add.mutateAsync({ taskId: task.id, body: body.trim() });
      setBody('');
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  return (
    <Stack gap="xs">
      <Divider />
      <Group gap="xs">
        <IconMessage size={18} />
        <Title order={3} size="h5">
          {t('title')}
        </Title>
      </Group>
      {comments.isError && !(comments.error instanceof ApiError && comments.error.status === 403) && (
        <ErrorAlert message={errorMessage(comments.error)} />
      )}
      {list.length === 0 && !comments.isPending && (
        <Text size="sm" c="dimmed">
          {t('none')}
        </Text>
      )}
      {list.map((c) => (
        <Paper key={c.id} withBorder p="sm" radius="sm">
          <Group justify="space-between" gap="xs">
            <Text size="sm" fw={500}>
              {c.author}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(c.createdAt)}
            </Text>
          </Group>
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {c.body}
          </Text>
        </Paper>
      ))}
      {mayComment && (
        <form onSubmit={submit}>
          <Stack gap="xs">
            <ErrorAlert message={error} />
            <Textarea label={t('add')} autosize minRows={2} value={body} onChange={(e) => setBody(e.currentTarget.value)} />
            <Group justify="flex-end">
              <Button type="submit" variant="light" disabled={!body.trim()} loading={add.isPending}>
                {t('submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Stack>
  );
}

function DeleteSection({ task, onDeleted }: { task: Task; onDeleted: () => void }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'delete' });
  const readOnly = useReadOnly();
  const del = useDeleteTask();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!allows(task.actions, 'delete', readOnly)) return null;
  const confirm = async () => {
    try {
      await del.mutateAsync(task.id);
      notifications.show({ color: 'teal', message: t('deleted', { title: task.title }) });
      setOpen(false);
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <>
      <Divider />
      <Group>
        <Tooltip label={t('tooltip')}>
          <Button variant="outline" color="red" leftSection={<IconTrash size={16} />} onClick={() => (setError(null), setOpen(true))}>
            {t('button')}
          </Button>
        </Tooltip>
      </Group>
      <ConfirmModal
        opened={open}
        title={t('title', { title: task.title })}
        confirmLabel={t('confirm')}
        onClose={() => setOpen(false)}
        onConfirm={confirm}
        loading={del.isPending}
        error={error}
      >
        <Text size="sm">{t('body')}</Text>
      </ConfirmModal>
    </>
  );
}
