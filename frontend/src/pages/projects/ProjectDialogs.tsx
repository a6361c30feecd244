import { Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { errorMessage, type Project } from '../../api/client';
import { useDeleteProject, useUpdateProject } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { plural } from '../../lib/format';

/** Archive an active project, or reopen an archived one. */
export function ArchiveProjectModal({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const update = useUpdateProject();
  const [error, setError] = useState<string | null>(null);
  // Fixed when the dialog opens, so the text does not flip as it closes.
  const [shown, setShown] = useState<Project | null>(project);
  useEffect(() => {
    if (project) {
      setShown(project);
      setError(null);
    }
  }, [project]);
  const archiving = shown?.status === 'active';

  const confirm = async () => {
    if (!shown) return;
    try {
      await update.mutateAsync({ id: shown.id, body: { status: archiving ? 'archived' : 'active' } });
      notifications.show({ color: 'teal', message: archiving ? `${shown.name} is archived.` : `${shown.name} is active again.` });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={project !== null}
      title={archiving ? `Archive ${shown?.name}?` : `Reopen ${shown?.name}?`}
      confirmLabel={archiving ? 'Archive' : 'Reopen'}
      confirmColor={archiving ? 'orange' : 'teal'}
      onClose={onClose}
      onConfirm={confirm}
      loading={update.isPending}
      error={error}
    >
      <Text size="sm">
        {archiving
          ? 'An archived project keeps its tasks and people, but no new tasks can be added until it is reopened.'
          : 'The project becomes active again and tasks can be added.'}
      </Text>
    </ConfirmModal>
  );
}

/** Delete a project and its tasks, after typing its name. */
export function DeleteProjectModal({
  project,
  onClose,
  onDeleted,
}: {
  project: Project | null;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const del = useDeleteProject();
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [shown, setShown] = useState<Project | null>(project);
  useEffect(() => {
    if (project) {
      setShown(project);
      setError(null);
      setTyped('');
    }
  }, [project]);

  const confirm = async () => {
    if (!shown) return;
    try {
      await del.mutateAsync(shown.id);
      notifications.show({ color: 'teal', message: `${shown.name} was deleted.` });
      onClose();
      onDeleted?.();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={project !== null}
      title={`Delete ${shown?.name}?`}
      confirmLabel="Delete for good"
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      confirmDisabled={typed.trim() !== (shown?.name ?? '').trim()}
      error={error}
    >
      <Text size="sm">
        The project, its {plural(shown?.taskCount ?? 0, 'task')}, all its files and all its discussions with their messages are
        removed for good. Archiving keeps them instead.
      </Text>
      <TextInput
        label={`Type ${shown?.name ?? ''} to confirm`}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        autoComplete="off"
        data-autofocus
      />
    </ConfirmModal>
  );
}
