import { Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Project } from '../../api/client';
import { useDeleteProject, useUpdateProject } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';

/** Archive an active project, or reopen an archived one. */
export function ArchiveProjectModal({ project, onClose }: { project: Project | null; onClose: () => void }) {
  const { t } = useTranslation('projects');
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
      notifications.show({ color: 'teal', message: archiving ? t('archive.archived', { name: shown.name }) : t('archive.reopened', { name: shown.name }) });
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={project !== null}
      title={archiving ? t('archive.archiveTitle', { name: shown?.name }) : t('archive.reopenTitle', { name: shown?.name })}
      confirmLabel={archiving ? t('actions.archive') : t('actions.reopen')}
      confirmColor={archiving ? 'orange' : 'teal'}
      onClose={onClose}
      onConfirm={confirm}
      loading={update.isPending}
      error={error}
    >
      <Text size="sm">
        {archiving ? t('archive.archiveText') : t('archive.reopenText')}
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
  const { t } = useTranslation('projects');
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
      notifications.show({ color: 'teal', message: t('delete.deleted', { name: shown.name }) });
      onClose();
      onDeleted?.();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={project !== null}
      title={t('delete.title', { name: shown?.name })}
      confirmLabel={t('delete.confirm')}
      onClose={onClose}
      onConfirm={confirm}
      loading={del.isPending}
      confirmDisabled={typed.trim() !== (shown?.name ?? '').trim()}
      error={error}
    >
      <Text size="sm">{t('delete.text', { count: shown?.taskCount ?? 0 })}</Text>
      <TextInput
        label={t('delete.typeToConfirm', { name: shown?.name ?? '' })}
        value={typed}
        onChange={(e) => setTyped(e.currentTarget.value)}
        autoComplete="off"
        data-autofocus
      />
    </ConfirmModal>
  );
}
