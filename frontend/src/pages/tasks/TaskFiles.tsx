import { ActionIcon, Divider, Group, Stack, Table, Text, Title, Tooltip, VisuallyHidden } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconDownload, IconEye, IconFile, IconPaperclip, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type Task } from '../../api/client';
import { isPreviewable, useDeleteFile, useFiles, useTaskFiles, type FileItem } from '../../api/files';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatBytes, formatDateTime } from '../../lib/format';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { PreviewModal, useLastOpened } from '../projects/FileDialogs';
import { TransferStatus, UploadButton, fileType, useFileTransfer } from '../projects/fileTransfer';

/**
 * The files attached to a task (shown with files.view). The server lists only those the
 * asker sees, which are seen exactly as the task is; it also decides every change.
 */
export function TaskFilesSection({ task, me }: { task: Task; me: Me }) {
  const { t } = useTranslation('tasks', { keyPrefix: 'files' });
  const readOnly = useReadOnly();
  const files = useTaskFiles(task.id);
  const transfer = useFileTransfer(task.projectId, { verb: 'Attached' }); // the notice is translated by fileTransfer
  const internal = me.role.kind === 'internal';
  // A client's uploads always go to "From the client", never on a task (the server answers 422).
  const mayAttach = can(me, 'files.upload') && internal && !readOnly;
  // The largest upload comes with the project's listing, asked only to check sizes in a
  // browser; without it (a follower may not see the project) the server's 413 says it.
  const listing = useFiles(task.projectId, '', mayAttach && !transfer.native);
  const maxUpload = listing.data?.maxUpload;
  const del = useDeleteFile();
  const [deleting, setDeleting] = useState<FileItem | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const [previewing, setPreviewing] = useState<FileItem | null>(null);
  const confirming = useLastOpened(deleting);
  const list = files.data?.items ?? [];

  const confirmDelete = async () => {
    if (!deleting) return;
    setDeleteError(null);
    try {
      await del.mutateAsync(deleting.id);
      notifications.show({ color: 'teal', message: t('deleted', { name: deleting.name }) });
      setDeleting(null);
    } catch (e) {
      setDeleteError(errorMessage(e));
    }
  };

  return (
    <Stack gap="xs">
      <Divider />
      <Group justify="space-between" align="flex-end">
        <Group gap="xs">
          <IconPaperclip size={18} aria-hidden />
          <Title order={3} size="h5">
            {t('title')}
          </Title>
        </Group>
        {mayAttach && (
          <UploadButton transfer={transfer} to={{ taskId: task.id, maxUpload }} variant="default">
            {t('attach')}
          </UploadButton>
        )}
      </Group>
      <Text size="xs" c="dimmed">
        {internal && task.clientVisible ? t('seenByWithClients') : t('seenBy')}
        {!transfer.native && mayAttach && maxUpload !== undefined && ` ${t('upTo', { size: formatBytes(maxUpload) })}`}
      </Text>
      <TransferStatus transfer={transfer} />
      {files.isError && <ErrorAlert message={errorMessage(files.error)} />}
      {files.isPending ? (
        <Loading label={t('loading')} />
      ) : list.length === 0 ? (
        !files.isError && (
          <div>
            <Text size="sm" c="dimmed">
              {t('none')}
            </Text>
            {mayAttach && (
              <Text size="xs" c="dimmed">
                {t('hint', { attach: t('attach') })}
              </Text>
            )}
          </div>
        )
      ) : (
        <Table.ScrollContainer minWidth={480}>
          <Table verticalSpacing="xs" aria-label={t('tableLabel')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('name')}</Table.Th>
                <Table.Th>{t('size')}</Table.Th>
                <Table.Th>{t('added')}</Table.Th>
                <Table.Th>
                  <VisuallyHidden>{t('actions')}</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.map((f) => (
                <TaskFileRow
                  key={f.id}
                  file={f}
                  busy={transfer.busyFile === f.id}
                  mayDelete={allows(f.actions, 'files.delete', readOnly)}
                  onDownload={() => transfer.download(f)}
                  onPreview={() => setPreviewing(f)}
                  onDelete={() => {
                    setDeleteError(null);
                    setDeleting(f);
                  }}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ConfirmModal
        opened={deleting !== null}
        title={t('deleteTitle', { name: confirming?.name ?? '' })}
        confirmLabel={t('deleteConfirm')}
        onClose={() => setDeleting(null)}
        onConfirm={confirmDelete}
        loading={del.isPending}
        error={deleteError}
      >
        <Text size="sm">{t('deleteBody')}</Text>
      </ConfirmModal>
      <PreviewModal file={previewing} onClose={() => setPreviewing(null)} />
    </Stack>
  );
}

function TaskFileRow({
  file,
  busy,
  mayDelete,
  onDownload,
  onPreview,
  onDelete,
}: {
  file: FileItem;
  busy: boolean;
  mayDelete: boolean;
  onDownload: () => void;
  onPreview: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation('tasks', { keyPrefix: 'files' });
  return (
    <Table.Tr data-testid={`task-file-${file.id}`}>
      <Table.Td>
        <Group gap={8} wrap="nowrap" align="flex-start">
          <IconFile size={18} aria-hidden style={{ flexShrink: 0, marginTop: 2 }} />
          <div>
            <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
              {file.name}
            </Text>
            <Text size="xs" c="dimmed">
              {fileType(file)}
            </Text>
          </div>
        </Group>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(file.size)}</Table.Td>
      <Table.Td>
        <Text size="sm">{file.uploader || '—'}</Text>
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {formatDateTime(file.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {isPreviewable(file) && (
            <Tooltip label={t('preview')} withArrow>
              <ActionIcon variant="subtle" color="gray" aria-label={t('previewLabel', { name: file.name })} onClick={onPreview}>
                <IconEye size={18} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label={t('download')} withArrow>
            <ActionIcon variant="subtle" color="gray" aria-label={t('downloadLabel', { name: file.name })} onClick={onDownload} loading={busy}>
              <IconDownload size={18} />
            </ActionIcon>
          </Tooltip>
          {mayDelete && (
            <Tooltip label={t('delete')} withArrow>
              <ActionIcon variant="subtle" color="red" aria-label={t('deleteLabel', { name: file.name })} onClick={onDelete}>
                <IconTrash size={18} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
