// Uploads and downloads of project files, shared by the Files tab and the task drawer's
// Files section: in a browser through the API with the session (uploads with progress, a
// size check before a byte is sent), in the desktop window through its own dialogs
// (UploadFile, DownloadFile in app.go), which go through the same API.
import { Button, FileButton, Group, Progress, Stack, Text, type ButtonProps } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconUpload } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, getToken } from '../../api/client';
import { fetchFileContent, uploadFile, type FileItem } from '../../api/files';
import { useStatus } from '../../api/hooks';
import { invalidateWork } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { saveApiFile, windowApp, windowMessage, type WindowApp } from '../../lib/download';
import { formatBytes } from '../../lib/format';
import i18n from '../../i18n';

// Content types named for people (keys of files:type); anything else by its extension.
const IMAGE_FORMATS: Record<string, string> = {
  'image/png': 'PNG',
  'image/jpeg': 'JPEG',
  'image/gif': 'GIF',
  'image/webp': 'WebP',
};
const TYPE_KEYS: Record<string, string> = { 'application/pdf': 'pdf' };
const FALLBACK_TYPE_KEYS: Record<string, string> = {
  'text/plain': 'text',
  'text/html': 'html',
  'application/zip': 'zip',
};

/** "PNG image", "DOCX file", "Text": the server sniffs the content, the name says more for office files. */
export function fileType(f: Pick<FileItem, 'name' | 'contentType'>): string {
  const ct = f.contentType.split(';')[0].trim().toLowerCase();
  if (IMAGE_FORMATS[ct]) return i18n.t('files:type.image', { format: IMAGE_FORMATS[ct] });
  if (TYPE_KEYS[ct]) return i18n.t(`files:type.${TYPE_KEYS[ct]}`);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(f.name)?.[1];
  if (ext) return i18n.t('files:type.ext', { ext: ext.toUpperCase() });
  return i18n.t(`files:type.${FALLBACK_TYPE_KEYS[ct] ?? 'file'}`);
}

/** What a file too large for the server gets, before a byte is sent. */
export function tooBigMessage(name: string, size: number, max: number): string {
  return i18n.t('files:transfer.tooBig', { name, size: formatBytes(size), max: formatBytes(max) });
}

/** The desktop window's bindings for files, when this page runs in it (status says so and Go is there). */
export function useNativeFiles(): Required<Pick<WindowApp, 'UploadFile' | 'DownloadFile'>> | undefined {
  const status = useStatus();
  const app = status.data?.window ? windowApp() : undefined;
  return app?.UploadFile && app.DownloadFile ? { UploadFile: app.UploadFile, DownloadFile: app.DownloadFile } : undefined;
}

/** Where uploads go, and the largest the server takes (unknown: the server's 413 says it). */
export type UploadTarget = { folderId?: string; taskId?: string; maxUpload?: number };

type Uploading = { name: string; index: number; count: number; loaded: number; total: number };

/**
 * Upload and download for one project, with what a page shows of them: the upload in
 * flight, and the errors (one per file). `verb` picks the notice of a finished upload,
 * "Uploaded “plan.pdf”." or "Attached “plan.pdf”." (said in the reader's language: the
 * English word only chooses the sentence).
 */
export function useFileTransfer(projectId: string, { verb = 'Uploaded' }: { verb?: 'Uploaded' | 'Attached' } = {}) {
  const { t } = useTranslation('files');
  const notice = verb === 'Attached' ? 'attached' : 'uploaded';
  const qc = useQueryClient();
  const native = useNativeFiles();
  const [uploading, setUploading] = useState<Uploading | null>(null);
  const [nativeBusy, setNativeBusy] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const resetPicker = useRef<() => void>(null);
  const [errors, setErrors] = useState<string[]>([]);
  const [busyFile, setBusyFile] = useState<string | null>(null);

  const done = (message: string) => notifications.show({ color: 'teal', message });

  const uploadPicked = async (picked: File[], to: UploadTarget) => {
    resetPicker.current?.();
    if (picked.length === 0) return;
    const problems: string[] = [];
    const ok = picked.filter((f) => {
      if (to.maxUpload !== undefined && f.size > to.maxUpload) problems.push(tooBigMessage(f.name, f.size, to.maxUpload));
      else if (f.size === 0) problems.push(t('transfer.empty', { name: f.name }));
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
          await uploadFile(projectId, f, {
            folderId: to.folderId || undefined,
            taskId: to.taskId || undefined,
            signal: ctrl.signal,
            onProgress: (p) => setUploading((u) => u && { ...u, loaded: p.loaded, total: p.total || u.total }),
          }),
        );
      } catch (e) {
        if (e instanceof ApiError && e.code === 'aborted') {
          notifications.show({ color: 'gray', message: t('transfer.cancelled') });
          break;
        }
        problems.push(t('transfer.notUploaded', { name: f.name, why: errorMessage(e) }));
      }
    }
    abort.current = null;
    setUploading(null);
    setErrors([...problems]);
    if (uploaded.length > 0) {
      invalidateWork(qc);
      done(
        uploaded.length === 1
          ? t(`transfer.${notice}One`, { name: uploaded[0].name })
          : t(`transfer.${notice}Many`, { count: uploaded.length }),
      );
    }
  };

  // In the window: the system's open dialog, and the upload through the same API (Go side).
  const uploadNative = async (to: UploadTarget) => {
    if (!native) return;
    setErrors([]);
    setNativeBusy(true);
    try {
      const raw = await native.UploadFile(getToken() ?? '', projectId, to.folderId ?? '', to.taskId ?? '');
      if (!raw) return; // cancelled
      let answer: { error?: { message?: string }; name?: string };
      try {
        answer = JSON.parse(raw) as typeof answer;
      } catch {
        setErrors([t('transfer.notJson')]);
        return;
      }
      if (answer.error) {
        // As in a browser: which file, then why (the Go side names the file it refused).
        const why = answer.error.message || t('transfer.refused');
        setErrors([answer.name ? t('transfer.notUploaded', { name: answer.name, why }) : why]);
        return;
      }
      invalidateWork(qc);
      done(t(`transfer.${notice}One`, { name: answer.name ?? t('transfer.theFile') }));
    } catch (e) {
      setErrors([t('transfer.fileNotUploaded', { why: windowMessage(e) })]);
    } finally {
      setNativeBusy(false);
    }
  };

  // Not useApiDownload: the busy file and the errors are shared with uploads and the page's
  // other actions on a file (sharing), so they stay here; the saving is the same.
  const download = async (f: FileItem) => {
    setErrors([]);
    setBusyFile(f.id);
    try {
      await saveApiFile(
        { name: f.name, content: () => fetchFileContent(f.id), window: native && ((token) => native.DownloadFile(token, f.id, f.name)) },
        !!native,
        { savedTo: (path) => t('transfer.savedTo', { path }) },
      );
    } catch (e) {
      setErrors([t('transfer.notDownloaded', { name: f.name, why: windowMessage(e) })]);
    } finally {
      setBusyFile(null);
    }
  };

  return {
    native,
    uploading,
    nativeBusy,
    resetPicker,
    errors,
    setErrors,
    busyFile,
    setBusyFile,
    uploadPicked,
    uploadNative,
    download,
    cancel: () => abort.current?.abort(),
  };
}

export type FileTransfer = ReturnType<typeof useFileTransfer>;

/** The upload button: the system's dialog in the window, the browser's file picker elsewhere. */
export function UploadButton({
  transfer,
  to,
  disabled = false,
  variant,
  children,
}: {
  transfer: FileTransfer;
  to: UploadTarget;
  disabled?: boolean;
  variant?: ButtonProps['variant'];
  children: ReactNode;
}) {
  const icon = <IconUpload size={16} />;
  if (transfer.native)
    return (
      <Button variant={variant} leftSection={icon} onClick={() => transfer.uploadNative(to)} loading={transfer.nativeBusy} disabled={disabled}>
        {children}
      </Button>
    );
  const off = disabled || transfer.uploading !== null;
  return (
    <FileButton onChange={(picked) => transfer.uploadPicked(picked, to)} multiple resetRef={transfer.resetPicker} disabled={off}>
      {(props) => (
        <Button {...props} variant={variant} leftSection={icon} disabled={off}>
          {children}
        </Button>
      )}
    </FileButton>
  );
}

/** The upload in flight (with Cancel), then one dismissable alert per problem. */
export function TransferStatus({ transfer }: { transfer: FileTransfer }) {
  const { t } = useTranslation('files');
  const { uploading, errors, setErrors } = transfer;
  return (
    <>
      {uploading && (
        <Stack gap={4} aria-live="polite">
          <Group justify="space-between">
            <Text size="sm">
              {uploading.count > 1
                ? t('transfer.uploadingOf', {
                    name: uploading.name,
                    index: uploading.index,
                    n: uploading.count,
                    loaded: formatBytes(uploading.loaded),
                    total: formatBytes(uploading.total),
                  })
                : t('transfer.uploading', { name: uploading.name, loaded: formatBytes(uploading.loaded), total: formatBytes(uploading.total) })}
            </Text>
            <Button size="xs" variant="subtle" color="gray" onClick={transfer.cancel}>
              {t('transfer.cancelUpload')}
            </Button>
          </Group>
          <Progress
            value={uploading.total ? Math.round((uploading.loaded / uploading.total) * 100) : 0}
            aria-label={t('transfer.progressLabel', { name: uploading.name })}
            animated
          />
        </Stack>
      )}
      {errors.map((m, i) => (
        <ErrorAlert key={i} message={m} onClose={() => setErrors((all) => all.filter((_, j) => j !== i))} />
      ))}
    </>
  );
}
