import { Button, Group, Modal, Select, Stack, Switch, TextInput, Textarea } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Me, Project } from '../../api/client';
import { useCreateTask } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { can } from '../../lib/permissions';
import { usePeople } from '../../lib/people';
import { assigneeOptions } from './assignees';
import type { TaskLookups } from './taskLookups';

/** Opens a task in a project, optionally straight into a board stage. */
export function TaskCreateModal({
  opened,
  onClose,
  me,
  project,
  projects,
  lookups,
  boardId,
  stageId,
}: {
  opened: boolean;
  onClose: () => void;
  me: Me;
  /** The project the task goes into; or, from a board, `projects` to choose from. */
  project?: Project;
  projects?: Project[];
  lookups: TaskLookups;
  boardId?: string;
  stageId?: string;
}) {
  const { t } = useTranslation('tasks', { keyPrefix: 'create' });
  return (
    <Modal opened={opened} onClose={onClose} title={project ? t('titleIn', { project: project.name }) : t('title')} size="lg">
      {opened && (
        <TaskCreateForm
          me={me}
          project={project}
          projects={projects ?? []}
          lookups={lookups}
          boardId={boardId}
          stageId={stageId}
          onDone={onClose}
        />
      )}
    </Modal>
  );
}

function TaskCreateForm({
  me,
  project,
  projects,
  lookups,
  boardId,
  stageId,
  onDone,
}: {
  me: Me;
  project?: Project;
  projects: Project[];
  lookups: TaskLookups;
  boardId?: string;
  stageId?: string;
  onDone: () => void;
}) {
  const { t } = useTranslation('tasks', { keyPrefix: 'create' });
  const create = useCreateTask();
  const [formError, setFormError] = useState<string | null>(null);
  const workBoards = lookups.boards.filter((b) => b.actions.includes('work'));
  const form = useForm({
    mode: 'controlled',
    initialValues: {
      projectId: project?.id ?? (projects.length === 1 ? projects[0].id : ''),
      title: '',
      description: '',
      typeId: '',
      boardId: boardId ?? '',
      stageId: stageId ?? '',
      assigneeId: '',
      dueDate: '',
      clientVisible: false,
    },
    validate: {
      title: (v) => (v.trim() ? null : t('titleRequired')),
      projectId: (v) => (v ? null : t('projectRequired')),
    },
  });
  const board = lookups.board(form.values.boardId);
  // Whether others may be chosen: the chosen type's `actions` say (the server's answer,
  // type authorisations included); without a type, the role's tasks.assign (a courtesy).
  const chosenType = lookups.types.find((ty) => ty.id === form.values.typeId);
  const canAssign = chosenType ? !!chosenType.actions?.includes('assign') : can(me, 'tasks.assign');
  // The assignee picker offers the chosen project's people.
  const people = usePeople(me, form.values.projectId ? [form.values.projectId] : []);

  const submit = form.onSubmit(async (v) => {
    setFormError(null);
    try {
      const saved = await create.mutateAsync({
        projectId: v.projectId,
        body: {
          title: v.title.trim(),
          description: v.description.trim(),
          clientVisible: v.clientVisible,
          ...(v.typeId ? { typeId: v.typeId } : {}),
          ...(v.boardId ? { boardId: v.boardId, stageId: v.stageId } : {}),
          ...(v.assigneeId ? { assigneeId: v.assigneeId } : {}),
          ...(v.dueDate ? { dueDate: v.dueDate } : {}),
        },
      });
      notifications.show({ color: 'teal', message: t('created', { title: saved.title }) });
      onDone();
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <ErrorAlert message={formError} />
        {!project && (
          <Select
            label={t('project')}
            required
            placeholder={t('chooseProject')}
            description={t('projectHelp')}
            data={projects.map((p) => ({ value: p.id, label: p.name }))}
            searchable
            {...form.getInputProps('projectId')}
            value={form.values.projectId || null}
            onChange={(x) => form.setFieldValue('projectId', x ?? '')}
          />
        )}
        <TextInput label={t('taskTitle')} required data-autofocus {...form.getInputProps('title')} />
        <Textarea label={t('description')} autosize minRows={2} maxRows={8} {...form.getInputProps('description')} />
        <Group grow align="flex-start">
          {lookups.types.some((ty) => ty.actions?.includes('create')) && (
            <Select
              label={t('type')}
              placeholder={t('noType')}
              data={lookups.types.filter((ty) => ty.actions?.includes('create')).map((ty) => ({ value: ty.id, label: ty.name }))}
              clearable
              {...form.getInputProps('typeId')}
              value={form.values.typeId || null}
              onChange={(v) => form.setFieldValue('typeId', v ?? '')}
            />
          )}
          <TextInput label={t('dueDate')} type="date" {...form.getInputProps('dueDate')} />
        </Group>
        {workBoards.length > 0 && (
          <Group grow align="flex-start">
            <Select
              label={t('board')}
              placeholder={t('noBoard')}
              data={workBoards.map((b) => ({ value: b.id, label: b.name }))}
              clearable
              {...form.getInputProps('boardId')}
              value={form.values.boardId || null}
              onChange={(v) => {
                form.setFieldValue('boardId', v ?? '');
                form.setFieldValue('stageId', lookups.board(v ?? '')?.stages[0]?.id ?? '');
              }}
            />
            <Select
              label={t('stage')}
              placeholder={board ? t('chooseStage') : t('chooseBoardFirst')}
              disabled={!board}
              data={(board?.stages ?? []).filter((s) => s.id).map((s) => ({ value: s.id!, label: s.name }))}
              {...form.getInputProps('stageId')}
              value={form.values.stageId || null}
              onChange={(v) => form.setFieldValue('stageId', v ?? '')}
            />
          </Group>
        )}
        <Select
          label={t('assignee')}
          placeholder={t('unassigned')}
          description={
            !canAssign
              ? t('selfOnly')
              : !form.values.projectId
                ? t('chooseProjectFirst')
                : undefined
          }
          data={assigneeOptions(me, people, canAssign, form.values.projectId, {
            id: form.values.assigneeId,
            name: people.nameOf(form.values.assigneeId),
          })}
          clearable
          searchable
          {...form.getInputProps('assigneeId')}
          value={form.values.assigneeId || null}
          onChange={(v) => form.setFieldValue('assigneeId', v ?? '')}
        />
        <Switch
          label={t('visibleToClient')}
          description={t('visibleToClientHelp')}
          {...form.getInputProps('clientVisible', { type: 'checkbox' })}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('cancel')}
          </Button>
          <Button type="submit" loading={create.isPending}>
            {t('submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
