import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  EmptyState,
  FileButton,
  Group,
  Menu,
  Progress,
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
  IconUpload,
} from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ApiError, errorMessage, getToken, type Me, type Project } from '../../api/client';
import {
  PREVIEWABLE,
  fetchFileContent,
  uploadFile,
  useCreateFolder,
  useDeleteFile,
  useDeleteFolder,
  useFiles,
  useUpdateFile,
  useUpdateFolder,
  type FileItem,
  type Folder,
} from '../../api/files';
import { useStatus } from '../../api/hooks';
import { invalidateWork } from '../../api/work';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { downloadBlob, windowApp, type WindowApp } from '../../lib/download';
import { formatBytes, formatDateTime, plural } from '../../lib/format';
import { can } from '../../lib/permissions';
import { allows, useReadOnly } from '../../lib/readOnly';
import { FileAccessModal, MoveFileModal, NameModal, PreviewModal, useLastOpened } from './FileDialogs';

const CLIENT_FOLDER = 'From the client';

// Content types named for people; anything else by its extension.
const TYPE_NAMES: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'application/pdf': 'PDF document',
};
const FALLBACK_TYPE_NAMES: Record<string, string> = {
  'text/plain': 'Text',
  'text/html': 'HTML',
  'application/zip': 'ZIP archive',
};

/** "PNG image", "DOCX file", "Text": the server sniffs the content, the name says more for office files. */
export function fileType(f: Pick<FileItem, 'name' | 'contentType'>): string {
  const ct = f.contentType.split(';')[0].trim().toLowerCase();
  if (TYPE_NAMES[ct]) return TYPE_NAMES[ct];
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(f.name)?.[1];
  if (ext) return `${ext.toUpperCase()} file`;
  return FALLBACK_TYPE_NAMES[ct] ?? 'File';
}

/** What a file too large for the server gets, before a byte is sent. */
export function tooBigMessage(name: string, size: number, max: number): string {
  return `“${name}” is ${formatBytes(size)}: Gatehouse takes at most ${formatBytes(max)} in one upload. Share it another way, or split it.`;
}

/** A rejection from the Go side arrives as a string; anything else as usual. */
function windowMessage(e: unknown): string {
  return typeof e === 'string' && e ? e : errorMessage(e);
}

/** The desktop window's bindings for files, when this page runs in it (status says so and Go is there). */
function useNativeFiles(): Required<Pick<WindowApp, 'UploadFile' | 'DownloadFile'>> | undefined {
  const status = useStatus();
  const app = status.data?.window ? windowApp() : undefined;
  return app?.UploadFile && app.DownloadFile ? { UploadFile: app.UploadFile, DownloadFile: app.DownloadFile } : undefined;
}

type Uploading = { name: string; index: number; count: number; loaded: number; total: number };

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
  const readOnly = useReadOnly();
  const qc = useQueryClient();
  const native = useNativeFiles();
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
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [nativeBusy, setNativeBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const resetPicker = useRef<() => void>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busyFile, setBusyFile] = useState<string | null>(null);

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

  // ---- upload ----------------------------------------------------------------------

  const uploadPicked = async (picked: File[]) => {
    resetPicker.current?.();
    if (picked.length === 0 || !data) return;
    const problems: string[] = [];
    const ok = picked.filter((f) => {
      if (f.size > data.maxUpload) problems.push(tooBigMessage(f.name, f.size, data.maxUpload));
      else if (f.size === 0) problems.push(`“${f.name}” is empty: there is nothing to upload.`);
      else return true;
      return false;
    });
    setErrors(problems);
    if (ok.length === 0) return;
    const ctrl = new AbortController();
    abort.current = ctrl;
    const uploaded: FileItem[] = [];
    for (const [i, f] of ok.entries()) {
      setUploading({ name: f.name, index: i + 1, count: ok.length, loaded: 0, total: f.size });
      try {
        uploaded.push(
          await uploadFile(project.id, f, {
            folderId: client ? undefined : folderId || undefined,
            signal: ctrl.signal,
            onProgress: (p) => setUploading((u) => u && { ...u, loaded: p.loaded, total: p.total || u.total }),
          }),
        );
      } catch (e) {
        if (e instanceof ApiError && e.code === 'aborted') {
          notifications.show({ color: 'gray', message: 'Upload cancelled.' });
          break;
        }
        problems.push(`“${f.name}” was not uploaded: ${errorMessage(e)}`);
      }
    }
    abort.current = null;
    setUploading(null);
    setErrors([...problems]);
    if (uploaded.length > 0) {
      invalidateWork(qc);
      done(uploaded.length === 1 ? `Uploaded “${uploaded[0].name}”.` : `Uploaded ${plural(uploaded.length, 'file')}.`);
    }
  };

  // In the window: the system's open dialog, and the upload through the same API (Go side).
  const uploadNative = async () => {
    if (!native) return;
    setErrors([]);
    setNativeBusy(true);
    try {
      const raw = await native.UploadFile(getToken() ?? '', project.id, client ? '' : folderId, '');
      if (!raw) return; // cancelled
      let answer: { error?: { message?: string }; name?: string };
      try {
        answer = JSON.parse(raw) as typeof answer;
      } catch {
        setErrors(['The upload got an answer that is not JSON. Check the Gatehouse log.']);
        return;
      }
      if (answer.error) {
        setErrors([answer.error.message || 'The server refused the upload.']);
        return;
      }
      invalidateWork(qc);
      done(`Uploaded “${answer.name ?? 'the file'}”.`);
    } catch (e) {
      setErrors([`The file was not uploaded: ${windowMessage(e)}`]);
    } finally {
      setNativeBusy(false);
    }
  };

  // ---- per file --------------------------------------------------------------------

  const download = async (f: FileItem) => {
    setErrors([]);
    setBusyFile(f.id);
    try {
      if (native) {
        const path = await native.DownloadFile(getToken() ?? '', f.id, f.name);
        if (path) done(`Saved to ${path}`);
      } else {
        downloadBlob(await fetchFileContent(f.id), f.name);
      }
    } catch (e) {
      setErrors([`“${f.name}” could not be downloaded: ${windowMessage(e)}`]);
    } finally {
      setBusyFile(null);
    }
  };

  const share = async (f: FileItem, shared: boolean) => {
    setErrors([]);
    setBusyFile(f.id);
    try {
      await updateFile.mutateAsync({ id: f.id, body: { shared } });
      done(shared ? `“${f.name}” is shared with the project's clients.` : `“${f.name}” is internal again: clients no longer see it.`);
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
        done(`Deleted “${dialog.file.name}”.`);
      } else if (dialog?.kind === 'deleteFolder') {
        await deleteFolder.mutateAsync(dialog.folder.id);
        done(`Deleted the folder “${dialog.folder.name}”.`);
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
    <nav aria-label="Folder path">
      <Breadcrumbs separatorMargin={6}>
        {folderId ? (
          <Anchor component="button" type="button" onClick={() => open('')}>
            All files
          </Anchor>
        ) : (
          <Text aria-current="page">All files</Text>
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

  const uploadButton =
    mayUpload &&
    (native ? (
      <Button leftSection={<IconUpload size={16} />} onClick={uploadNative} loading={nativeBusy} disabled={!data}>
        Upload
      </Button>
    ) : (
      <FileButton onChange={uploadPicked} multiple resetRef={resetPicker} disabled={!data || uploading !== null}>
        {(props) => (
          <Button {...props} leftSection={<IconUpload size={16} />} disabled={!data || uploading !== null}>
            Upload
          </Button>
        )}
      </FileButton>
    ));

  const empty = data && data.folders.length === 0 && data.files.length === 0;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end" wrap="wrap">
        <div>
          <Title order={2} size="h4">
            {client ? 'Files shared with you' : 'Files'}
          </Title>
          {client ? (
            <Text size="sm" c="dimmed">
              What the team shares with you{can(me, 'files.upload') ? ', and what you uploaded' : ''}.
            </Text>
          ) : (
            crumbs
          )}
        </div>
        <Group gap="xs">
          {mayFolders && !inClientFolder && (
            <Button variant="default" leftSection={<IconFolderPlus size={16} />} onClick={() => setDialog({ kind: 'newFolder' })} disabled={!data}>
              New folder
            </Button>
          )}
          {uploadButton}
        </Group>
      </Group>

      {client && mayUpload && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          What you upload goes to the team's “{CLIENT_FOLDER}” folder: the team sees it, other clients do not.
        </Alert>
      )}
      {inClientFolder && (
        <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
          Clients' uploads land here; only the team and the client who uploaded a file see it. Move a file out to make it
          the team's (internal until shared).
        </Alert>
      )}
      {!native && data && mayUpload && (
        <Text size="xs" c="dimmed">
          Up to {formatBytes(data.maxUpload)} per file.
        </Text>
      )}

      {uploading && (
        <Stack gap={4} aria-live="polite">
          <Group justify="space-between">
            <Text size="sm">
              Uploading “{uploading.name}”{uploading.count > 1 ? ` (${uploading.index} of ${uploading.count})` : ''}:{' '}
              {formatBytes(uploading.loaded)} of {formatBytes(uploading.total)}
            </Text>
            <Button size="xs" variant="subtle" color="gray" onClick={() => abort.current?.abort()}>
              Cancel upload
            </Button>
          </Group>
          <Progress
            value={uploading.total ? Math.round((uploading.loaded / uploading.total) * 100) : 0}
            aria-label={`Upload of ${uploading.name}`}
            animated
          />
        </Stack>
      )}

      {errors.map((m, i) => (
        <ErrorAlert key={i} message={m} onClose={() => setErrors((all) => all.filter((_, j) => j !== i))} />
      ))}

      {listing.isError && (
        <Stack gap="xs" align="flex-start">
          <ErrorAlert
            message={
              listing.error instanceof ApiError && listing.error.status === 404 && folderId
                ? 'This folder does not exist any more, or you cannot see it.'
                : errorMessage(listing.error)
            }
          />
          {folderId && (
            <Button variant="default" onClick={() => open('')}>
              Back to all files
            </Button>
          )}
        </Stack>
      )}

      {listing.isPending ? (
        <Loading label="Loading files…" />
      ) : empty ? (
        <FilesEmpty client={client} inFolder={!!folderId} mayUpload={mayUpload} mayFolders={mayFolders} />
      ) : (
        data && (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="xs" highlightOnHover aria-label={client ? 'Files shared with you' : 'Files'}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Uploaded by</Table.Th>
                  <Table.Th>Date</Table.Th>
                  {mayShare && <Table.Th>Clients see it</Table.Th>}
                  <Table.Th>
                    <VisuallyHidden>Actions</VisuallyHidden>
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
                    onDownload={() => download(f)}
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
            ? `Rename the folder ${naming.folder.name}`
            : naming?.kind === 'renameFile'
              ? `Rename ${naming.file.name}`
              : here
                ? `New folder in ${here.name}`
                : 'New folder'
        }
        initial={naming?.kind === 'renameFolder' ? naming.folder.name : naming?.kind === 'renameFile' ? naming.file.name : ''}
        confirmLabel={naming?.kind === 'newFolder' ? 'Create folder' : 'Rename'}
        help={naming?.kind === 'renameFile' ? 'Keep the extension (.pdf, .png…) so it still opens with the right program.' : undefined}
        onClose={close}
        onSubmit={async (name) => {
          if (dialog?.kind === 'newFolder') {
            await createFolder.mutateAsync({ name, parentId: folderId });
            done(`Created the folder “${name}”.`);
          } else if (dialog?.kind === 'renameFolder') {
            await updateFolder.mutateAsync({ id: dialog.folder.id, body: { name } });
            done(`Renamed the folder to “${name}”.`);
          } else if (dialog?.kind === 'renameFile') {
            await updateFile.mutateAsync({ id: dialog.file.id, body: { name } });
            done(`Renamed to “${name}”.`);
          }
        }}
      />
      <MoveFileModal
        file={dialog?.kind === 'moveFile' ? dialog.file : null}
        projectId={project.id}
        onClose={close}
        onMove={async (f, to, label) => {
          await updateFile.mutateAsync({ id: f.id, body: { folderId: to } });
          done(to ? `Moved “${f.name}” to ${label}.` : `Moved “${f.name}” to the top level.`);
        }}
      />
      <ConfirmModal
        opened={dialog?.kind === 'deleteFile' || dialog?.kind === 'deleteFolder'}
        title={deleting?.kind === 'deleteFolder' ? `Delete the folder ${deleting.folder.name}?` : `Delete ${deleting?.kind === 'deleteFile' ? deleting.file.name : ''}?`}
        confirmLabel="Delete"
        onClose={close}
        onConfirm={confirmDelete}
        loading={deleteFile.isPending || deleteFolder.isPending}
        error={confirmError}
      >
        <Text size="sm">
          {deleting?.kind === 'deleteFolder'
            ? 'Only an empty folder can be deleted: move or delete what is in it first.'
            : 'The file is removed for everyone who can see it. This cannot be undone.'}
        </Text>
      </ConfirmModal>
      <PreviewModal file={dialog?.kind === 'preview' ? dialog.file : null} onClose={close} />
      <FileAccessModal file={dialog?.kind === 'access' ? dialog.file : null} onClose={close} />
    </Stack>
  );
}

function FilesEmpty({ client, inFolder, mayUpload, mayFolders }: { client: boolean; inFolder: boolean; mayUpload: boolean; mayFolders: boolean }) {
  let title: string;
  let description: string;
  if (client) {
    title = 'Nothing has been shared with you yet.';
    description = mayUpload
      ? 'Files the team shares with you appear here. To send the team a file, use Upload.'
      : 'Files the team shares with you appear here.';
  } else if (inFolder) {
    title = 'This folder is empty.';
    description = mayUpload ? 'Upload a file into it.' : mayFolders ? 'Nothing is in it yet; an empty folder can be deleted.' : 'Nothing is in it yet.';
  } else {
    title = mayUpload ? 'No files yet. Upload the first one.' : 'No files yet.';
    description = mayUpload
      ? `Use Upload above${mayFolders ? '; New folder sorts them' : ''}. Files are internal until someone shares them with the project's clients.`
      : 'Nobody has uploaded a file to this project yet.';
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
  return (
    <Table.Tr data-testid={`folder-${folder.id}`}>
      <Table.Td>
        <Group gap={8} wrap="nowrap">
          <IconFolder size={18} aria-hidden />
          <Anchor component="button" type="button" onClick={onOpen} fw={500} aria-label={`Open the folder ${folder.name}`}>
            {folder.name}
          </Anchor>
          {folder.fromClient && (
            <Badge variant="light" color="grape" tt="none">
              Clients' uploads
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>Folder</Table.Td>
      <Table.Td>—</Table.Td>
      <Table.Td>—</Table.Td>
      <Table.Td>{formatDateTime(folder.createdAt)}</Table.Td>
      {shareColumn && <Table.Td />}
      <Table.Td>
        {mayChange && (
          <Group justify="flex-end">
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`Actions for the folder ${folder.name}`}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item leftSection={<IconPencil size={16} />} onClick={onRename}>
                  Rename
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={onDelete}>
                  Delete
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
  const previewable = PREVIEWABLE.has(file.contentType.split(';')[0].trim());
  const menu = mayRename || mayMove || mayDelete || mayAccess;
  // Why a file cannot be shared from here, when the switch is not offered.
  const notShareable = file.fromClient ? "A client's upload" : file.taskId ? 'As its task' : '—';
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
              {client ? 'Shared with you' : 'Shared with clients'}
            </Badge>
          )}
          {file.fromClient && (
            <Badge variant="light" color="orange" tt="none">
              {client ? 'Your upload' : 'From the client'}
            </Badge>
          )}
          {file.taskId && !client && (
            <Tooltip label="Attached to a task: seen as the task is" withArrow>
              <Badge variant="light" color="indigo" tt="none">
                On a task
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
              aria-label={`Share ${file.name} with clients`}
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
            <Tooltip label="Preview" withArrow>
              <ActionIcon variant="subtle" color="gray" aria-label={`Preview ${file.name}`} onClick={() => onDialog('preview')}>
                <IconEye size={18} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label="Download" withArrow>
            <ActionIcon variant="subtle" color="gray" aria-label={`Download ${file.name}`} onClick={onDownload} loading={busy}>
              <IconDownload size={18} />
            </ActionIcon>
          </Tooltip>
          {menu && (
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <ActionIcon variant="subtle" color="gray" aria-label={`More actions for ${file.name}`}>
                  <IconDots size={18} />
                </ActionIcon>
              </Menu.Target>
              <Menu.Dropdown>
                {mayRename && (
                  <Menu.Item leftSection={<IconPencil size={16} />} onClick={() => onDialog('renameFile')}>
                    Rename
                  </Menu.Item>
                )}
                {mayMove && (
                  <Menu.Item leftSection={<IconArrowsMove size={16} />} onClick={() => onDialog('moveFile')}>
                    Move
                  </Menu.Item>
                )}
                {mayAccess && (
                  <Menu.Item leftSection={<IconShieldSearch size={16} />} onClick={() => onDialog('access')}>
                    Who can see this file
                  </Menu.Item>
                )}
                {mayDelete && (
                  <Menu.Item color="red" leftSection={<IconTrash size={16} />} onClick={() => onDialog('deleteFile')}>
                    Delete
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
