import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  EmptyState,
  Group,
  Menu,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  IconArrowsMove,
  IconDots,
  IconDownload,
  IconEye,
  IconFile,
  IconFolder,
  IconFolderPlus,
  IconInfoCircle,
  IconPencil,
  IconShieldSearch,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type Me, type Project } from '../../api/client';
import {
  isPreviewable,
  useCreateFolder,
  useDeleteFile,
  useDeleteFolder,
  useFiles,
  useUpdateFile,
  useUpdateFolder,
  type FileItem,
  type Folder,
} from '../../api/files';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatBytes, formatDateTime } from '../../lib/format';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { FileAccessModal, MoveFileModal, NameModal, PreviewModal, useLastOpened } from './FileDialogs';
import { TransferStatus, UploadButton, fileType, useFileTransfer } from './fileTransfer';

// The name the server gives the folder of clients' uploads: data, said as the server names it.
const CLIENT_FOLDER = 'From the client';

type Dialog =
  | { kind: 'newFolder' }
  | { kind: 'renameFolder'; folder: Folder }
  | { kind: 'deleteFolder'; folder: Folder }
  | { kind: 'renameFile'; file: FileItem }
  | { kind: 'moveFile'; file: FileItem }
  | { kind: 'deleteFile'; file: FileItem }
  | { kind: 'preview'; file: FileItem }
  | { kind: 'access'; file: FileItem }
  | null;

/** A project's files: folders with breadcrumbs for the team, one list for a client. */
export function FilesTab({ me, project }: { me: Me; project: Project }) {
  const { t } = useTranslation('files');
  const readOnly = useReadOnly();
  const transfer = useFileTransfer(project.id);
  const { native, setErrors, busyFile, setBusyFile } = transfer;
  const [folderId, setFolderId] = useState('');
  const listing = useFiles(project.id, folderId);
  const data = listing.data;
  const client = me.role.kind === 'client' || !!data?.flat;
  const here = data?.path.at(-1);
  const inClientFolder = !!here?.fromClient;

  const mayUpload = can(me, 'files.upload') && !readOnly && !inClientFolder;
  const mayFolders = can(me, 'files.folders') && !readOnly && !client;
  const mayShare = can(me, 'files.share_clients') && !readOnly && !client;
  const mayAccess = !client && can(me, 'users.view');

  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);

  const createFolder = useCreateFolder(project.id);
  const updateFolder = useUpdateFolder();
  const deleteFolder = useDeleteFolder();
  const updateFile = useUpdateFile();
  const deleteFile = useDeleteFile();
  const [confirmError, setConfirmError] = useState<string | null>(null);

  const open = (id: string) => {
    setErrors([]);
    setFolderId(id);
  };

  const done = (message: string) => notifications.show({ color: 'teal', message });

  // ---- per file --------------------------------------------------------------------

  const share = async (f: FileItem, shared: boolean) => {
    setErrors([]);
    setBusyFile(f.id);
    try {
      await updateFile.mutateAsync({ id: f.id, body: { shared } });
      done(shared ? t('tab.sharedNow', { name: f.name }) : t('tab.internalAgain', { name: f.name }));
    } catch (e) {
      setErrors([errorMessage(e)]);
    } finally {
      setBusyFile(null);
    }
  };

  const confirmDelete = async () => {
    setConfirmError(null);
    try {
      if (dialog?.kind === 'deleteFile') {
        await deleteFile.mutateAsync(dialog.file.id);
        done(t('tab.deletedFile', { name: dialog.file.name }));
      } else if (dialog?.kind === 'deleteFolder') {
        await deleteFolder.mutateAsync(dialog.folder.id);
        done(t('tab.deletedFolder', { name: dialog.folder.name }));
      }
      close();
    } catch (e) {
      setConfirmError(errorMessage(e));
    }
  };

  // Kept while a dialog closes, so its text does not change under the animation.
  const deleting = useLastOpened(dialog?.kind === 'deleteFile' || dialog?.kind === 'deleteFolder' ? dialog : null);
  const naming = useLastOpened(dialog?.kind === 'newFolder' || dialog?.kind === 'renameFolder' || dialog?.kind === 'renameFile' ? dialog : null);

  // ---- render ----------------------------------------------------------------------

  const crumbs = !client && (
    <nav aria-label={t('tab.folderPath')}>
      <Breadcrumbs separatorMargin={6}>
        {folderId ? (
          <Anchor component="button" type="button" onClick={() => open('')}>
            {t('tab.allFiles')}
          </Anchor>
        ) : (
          <Text aria-current="page">{t('tab.allFiles')}</Text>
        )}
        {data?.path.map((f, i) =>
          i === data.path.length - 1 ? (
            <Text key={f.id} aria-current="page">
              {f.name}
            </Text>
          ) : (
            <Anchor key={f.id} component="button" type="button" onClick={() => open(f.id)}>
              {f.name}
            </Anchor>
          ),
        )}
      </Breadcrumbs>
    </nav>
  );

  // A client's uploads always land in "From the client": the server places them.
  const uploadButton = mayUpload && (
    <UploadButton transfer={transfer} to={{ folderId: client ? '' : folderId, maxUpload: data?.maxUpload }} disabled={!data}>
      {t('tab.upload')}
    </UploadButton>
  );

  const empty = data && data.folders.length === 0 && data.files.length === 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            {client ? t('tab.titleClient') : t('tab.title')}
          </Title>
          {client ? (
            <Text size="sm" c="dimmed">
              {can(me, 'files.upload') ? t('tab.clientIntroUploads') : t('tab.clientIntro')}
            </Text>
          ) : (
            crumbs
          )}
        </div>
        <Group gap="xs">
          {mayFolders && !inClientFolder && (
            <Button variant="default" leftSection={<IconFolderPlus size={16} />} onClick={() => setDialog({ kind: 'newFolder' })} disabled={!data}>
              {t('tab.newFolder')}
            </Button>
          )}
          {uploadButton}
        </Group>
      </Group>

      {client && mayUpload && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          {t('tab.clientUploadNote', { folder: CLIENT_FOLDER })}
        </Alert>
      )}
      {inClientFolder && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          {t('tab.clientFolderNote')}
        </Alert>
      )}
      {!native && data && mayUpload && (
        <Text size="xs" c="dimmed">
          {t('tab.maxUpload', { size: formatBytes(data.maxUpload) })}
        </Text>
      )}

      <TransferStatus transfer={transfer} />

      {listing.isError && (
        <Stack gap="xs" align="flex-start">
          <ErrorAlert
            message={
              listing.error instanceof ApiError && listing.error.status === 404 && folderId
                ? t('tab.folderGone')
                : errorMessage(listing.error)
            }
          />
          {folderId && (
            <Button variant="default" onClick={() => open('')}>
              {t('tab.backToAll')}
            </Button>
          )}
        </Stack>
      )}

      {listing.isPending ? (
        <Loading label={t('tab.loading')} />
      ) : empty ? (
        <FilesEmpty client={client} inFolder={!!folderId} mayUpload={mayUpload} mayFolders={mayFolders} />
      ) : (
        data && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" highlightOnHover aria-label={client ? t('tab.titleClient') : t('tab.title')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tab.columns.name')}</Table.Th>
                  <Table.Th>{t('tab.columns.type')}</Table.Th>
                  <Table.Th>{t('tab.columns.size')}</Table.Th>
                  <Table.Th>{t('tab.columns.uploadedBy')}</Table.Th>
                  <Table.Th>{t('tab.columns.date')}</Table.Th>
                  {mayShare && <Table.Th>{t('tab.columns.clientsSee')}</Table.Th>}
                  <Table.Th>
                    <VisuallyHidden>{t('tab.columns.actions')}</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.folders.map((f) => (
                  <FolderRow
                    key={f.id}
                    folder={f}
                    shareColumn={mayShare}
                    mayChange={mayFolders && !f.fromClient}
                    onOpen={() => open(f.id)}
                    onRename={() => setDialog({ kind: 'renameFolder', folder: f })}
                    onDelete={() => {
                      setConfirmError(null);
                      setDialog({ kind: 'deleteFolder', folder: f });
                    }}
                  />
                ))}
                {data.files.map((f) => (
                  <FileRow
                    key={f.id}
                    file={f}
                    client={client}
                    busy={busyFile === f.id}
                    shareColumn={mayShare}
                    mayShare={mayShare && allows(f.actions, 'files.share_clients', readOnly)}
                    mayRename={allows(f.actions, 'files.upload', readOnly)}
                    mayMove={!client && allows(f.actions, 'files.upload', readOnly)}
                    mayDelete={allows(f.actions, 'files.delete', readOnly)}
                    mayAccess={mayAccess}
                    onDownload={() => transfer.download(f)}
                    onShare={(shared) => share(f, shared)}
                    onDialog={(kind) => {
                      setConfirmError(null);
                      setDialog({ kind, file: f });
                    }}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}

      <NameModal
        opened={dialog?.kind === 'newFolder' || dialog?.kind === 'renameFolder' || dialog?.kind === 'renameFile'}
        title={
          naming?.kind === 'renameFolder'
            ? t('tab.renameFolderTitle', { name: naming.folder.name })
            : naming?.kind === 'renameFile'
              ? t('tab.renameFileTitle', { name: naming.file.name })
              : here
                ? t('tab.newFolderIn', { name: here.name })
                : t('tab.newFolder')
        }
        initial={naming?.kind === 'renameFolder' ? naming.folder.name : naming?.kind === 'renameFile' ? naming.file.name : ''}
        confirmLabel={naming?.kind === 'newFolder' ? t('tab.createFolder') : t('actions.rename')}
        help={naming?.kind === 'renameFile' ? t('tab.extensionHelp') : undefined}
        onClose={close}
        onSubmit={async (name) => {
          if (dialog?.kind === 'newFolder') {
            await createFolder.mutateAsync({ name, parentId: folderId });
            done(t('tab.createdFolder', { name }));
          } else if (dialog?.kind === 'renameFolder') {
            await updateFolder.mutateAsync({ id: dialog.folder.id, body: { name } });
            done(t('tab.renamedFolder', { name }));
          } else if (dialog?.kind === 'renameFile') {
            await updateFile.mutateAsync({ id: dialog.file.id, body: { name } });
            done(t('tab.renamedFile', { name }));
          }
        }}
      />
      <MoveFileModal
        file={dialog?.kind === 'moveFile' ? dialog.file : null}
        projectId={project.id}
        onClose={close}
        onMove={async (f, to, label) => {
          await updateFile.mutateAsync({ id: f.id, body: { folderId: to } });
          done(to ? t('tab.movedTo', { name: f.name, folder: label }) : t('tab.movedTop', { name: f.name }));
        }}
      />
      <ConfirmModal
        opened={dialog?.kind === 'deleteFile' || dialog?.kind === 'deleteFolder'}
        title={
          deleting?.kind === 'deleteFolder'
            ? t('tab.deleteFolderTitle', { name: deleting.folder.name })
            : t('tab.deleteFileTitle', { name: deleting?.kind === 'deleteFile' ? deleting.file.name : '' })
        }
        confirmLabel={t('actions.delete')}
        onClose={close}
        onConfirm={confirmDelete}
        loading={deleteFile.isPending || deleteFolder.isPending}
        error={confirmError}
      >
        <Text size="sm">
          {deleting?.kind === 'deleteFolder' ? t('tab.deleteFolderText') : t('tab.deleteFileText')}
        </Text>
      </ConfirmModal>
      <PreviewModal file={dialog?.kind === 'preview' ? dialog.file : null} onClose={close} />
      <FileAccessModal file={dialog?.kind === 'access' ? dialog.file : null} onClose={close} />
    </Stack>
  );
}

function FilesEmpty({ client, inFolder, mayUpload, mayFolders }: { client: boolean; inFolder: boolean; mayUpload: boolean; mayFolders: boolean }) {
  const { t } = useTranslation('files');
  let title: string;
  let description: string;
  if (client) {
    title = t('empty.clientTitle');
    description = mayUpload ? t('empty.clientUpload') : t('empty.client');
  } else if (inFolder) {
    title = t('empty.folderTitle');
    description = mayUpload ? t('empty.folderUpload') : mayFolders ? t('empty.folderDeletable') : t('empty.folder');
  } else {
    title = mayUpload ? t('empty.titleUpload') : t('empty.title');
    description = mayUpload ? (mayFolders ? t('empty.uploadFolders') : t('empty.upload')) : t('empty.none');
  }
  return <EmptyState icon={<IconFile size={28} />} withIndicatorBackground title={title} description={description} py="xl" />;
}

function FolderRow({
  folder,
  shareColumn,
  mayChange,
  onOpen,
  onRename,
  onDelete,
}: {
  folder: Folder;
  shareColumn: boolean;
  mayChange: boolean;
  onOpen: () => void;
  onRename: () => void;
  onDelete: () => void;
}) {
  const { t } = useTranslation('files');
  return (
    <Table.Tr data-testid={`folder-${folder.id}`}>
      <Table.Td>
        <Group gap={8} wrap="nowrap">
          <IconFolder size={18} aria-hidden />
          <Anchor component="button" type="button" onClick={onOpen} fw={500} aria-label={t('row.openFolder', { name: folder.name })}>
            {folder.name}
          </Anchor>
          {folder.fromClient && (
            <Badge variant="light" color="grape" tt="none">
              {t('row.clientUploads')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>{t('row.folder')}</Table.Td>
      <Table.Td>—</Table.Td>
      <Table.Td>—</Table.Td>
      <Table.Td>{formatDateTime(folder.createdAt)}</Table.Td>
      {shareColumn && <Table.Td />}
      <Table.Td>
        {mayChange && (
          <Group justify="flex-end">
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={t('row.folderActions', { name: folder.name })}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconPencil size={16} />} onClick={onRename}>
                  {t('actions.rename')}
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
                  {t('actions.delete')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

function FileRow({
  file,
  client,
  busy,
  shareColumn,
  mayShare,
  mayRename,
  mayMove,
  mayDelete,
  mayAccess,
  onDownload,
  onShare,
  onDialog,
}: {
  file: FileItem;
  client: boolean;
  busy: boolean;
  shareColumn: boolean;
  mayShare: boolean;
  mayRename: boolean;
  mayMove: boolean;
  mayDelete: boolean;
  mayAccess: boolean;
  onDownload: () => void;
  onShare: (shared: boolean) => void;
  onDialog: (kind: 'renameFile' | 'moveFile' | 'deleteFile' | 'preview' | 'access') => void;
}) {
  const { t } = useTranslation('files');
  const previewable = isPreviewable(file);
  const menu = mayRename || mayMove || mayDelete || mayAccess;
  // Why a file cannot be shared from here, when the switch is not offered.
  const notShareable = file.fromClient ? t('row.clientsUpload') : file.taskId ? t('row.asItsTask') : '—';
  return (
    <Table.Tr data-testid={`file-${file.id}`}>
      <Table.Td>
        <Group gap={8} wrap="nowrap">
          <IconFile size={18} aria-hidden />
          <Text size="sm" fw={500} style={{ wordBreak: 'break-word' }}>
            {file.name}
          </Text>
          {file.shared && (
            <Badge variant="light" color="grape" tt="none">
              {client ? t('row.sharedWithYou') : t('row.sharedWithClients')}
            </Badge>
          )}
          {file.fromClient && (
            <Badge variant="light" color="orange" tt="none">
              {client ? t('row.yourUpload') : t('row.fromClient')}
            </Badge>
          )}
          {file.taskId && !client && (
            <Tooltip label={t('row.onTaskTooltip')} withArrow>
              <Badge variant="light" color="indigo" tt="none">
                {t('row.onTask')}
              </Badge>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
      <Table.Td>{fileType(file)}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(file.size)}</Table.Td>
      <Table.Td>{file.uploader || '—'}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(file.createdAt)}</Table.Td>
      {shareColumn && (
        <Table.Td>
          {mayShare ? (
            <Switch
              checked={file.shared}
              onChange={(e) => onShare(e.currentTarget.checked)}
              disabled={busy}
              aria-label={t('row.share', { name: file.name })}
            />
          ) : (
            <Text size="xs" c="dimmed">
              {notShareable}
            </Text>
          )}
        </Table.Td>
      )}
      <Table.Td>
        <Group gap={4} justify="flex-end" wrap="nowrap">
          {previewable && (
            <Tooltip label={t('row.preview')} withArrow>
              <ActionIcon variant="subtle" color="gray" aria-label={t('row.previewFile', { name: file.name })} onClick={() => onDialog('preview')}>
                <IconEye size={18} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label={t('row.download')} withArrow>
            <ActionIcon variant="subtle" color="gray" aria-label={t('row.downloadFile', { name: file.name })} onClick={onDownload} loading={busy}>
              <IconDownload size={18} />
            </ActionIcon>
          </Tooltip>
          {menu && (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={t('row.moreActions', { name: file.name })}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {mayRename && (
                  <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onDialog('renameFile')}>
                    {t('actions.rename')}
                  </Menu.Item>
                )}
                {mayMove && (
                  <Menu.Item leftSection={<IconArrowsMove size={16} />} onClick={() => onDialog('moveFile')}>
                    {t('actions.move')}
                  </Menu.Item>
                )}
                {mayAccess && (
                  <Menu.Item leftSection={<IconShieldSearch size={16} />} onClick={() => onDialog('access')}>
                    {t('row.whoCanSee')}
                  </Menu.Item>
                )}
                {mayDelete && (
                  <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDialog('deleteFile')}>
                    {t('actions.delete')}
                  </Menu.Item>
                )}
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
