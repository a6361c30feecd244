// Hooks for a project's files and folders. Keys start with 'work' like every other
// project resource, so one invalidation after any change refreshes what might show it.
// Uploads are the one call outside openapi-fetch: the body is the raw file and the page
// shows its progress, which only XMLHttpRequest reports.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import i18n from '../i18n';
import { ApiError, networkMessage, api, call, clearToken, getToken, toApiError, uiLanguage, type Schemas } from './client';
import { readOnlyMessage, getViewAs } from './viewAs';
import { invalidateWork } from './work';

/** A stored file (named apart from the DOM's File, which uploads start from). */
export type FileItem = Schemas['File'];
export type Folder = Schemas['Folder'];
export type FileListing = Schemas['FileListing'];

export const fileKeys = {
  listing: (projectId: string, folderId: string) => ['work', 'files', projectId, folderId] as const,
  folderTree: (projectId: string) => ['work', 'folder-tree', projectId] as const,
  task: (taskId: string) => ['work', 'task-files', taskId] as const,
};

/** Images the server shows inline (?inline=1); anything else only downloads. */
export const PREVIEWABLE = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/** Whether the server would show this file inline (its sniffed type, parameters aside). */
export function isPreviewable(f: Pick<FileItem, 'contentType'>): boolean {
  return PREVIEWABLE.has(f.contentType.split(';')[0].trim().toLowerCase());
}

export function useFiles(projectId: string, folderId: string, enabled = true) {
  return useQuery({
    queryKey: fileKeys.listing(projectId, folderId),
    queryFn: () =>
      call(
        api.GET('/api/projects/{id}/files', {
          params: { path: { id: projectId }, query: folderId ? { folderId } : {} },
        }),
      ),
    enabled,
  });
}

/** The files attached to a task that the asker sees (the server decides: as the task is seen). */
export function useTaskFiles(taskId: string, enabled = true) {
  return useQuery({
    queryKey: fileKeys.task(taskId),
    queryFn: () => call(api.GET('/api/tasks/{id}/files', { params: { path: { id: taskId } } })),
    enabled,
  });
}

/** A folder with its place: "Designs / Logos". */
export type FolderChoice = { folder: Folder; label: string };

/**
 * Every folder of a project the asker sees, parents before children, each labelled with
 * its place ("Designs / Logos"), for moving a file: one request.
 */
export function useFolderTree(projectId: string, enabled: boolean) {
  return useQuery({
    queryKey: fileKeys.folderTree(projectId),
    queryFn: async () => {
      const { items } = await call(api.GET('/api/projects/{id}/folders', { params: { path: { id: projectId } } }));
      const children = new Map<string, Folder[]>();
      for (const f of items) children.set(f.parentId, [...(children.get(f.parentId) ?? []), f]);
      const out: FolderChoice[] = [];
      const walk = (parent: string, prefix: string) => {
        for (const f of (children.get(parent) ?? []).sort((x, y) => x.name.localeCompare(y.name))) {
          const label = prefix + f.name;
          out.push({ folder: f, label });
          walk(f.id, `${label} / `);
        }
      };
      walk('', '');
      return out;
    },
    enabled,
  });
}

function useFilesMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateWork(qc) });
}

export function useCreateFolder(projectId: string) {
  return useFilesMutation((body: Schemas['FolderRequest']) =>
    call(api.POST('/api/projects/{id}/folders', { params: { path: { id: projectId } }, body })),
  );
}

export function useUpdateFolder() {
  return useFilesMutation(({ id, body }: { id: string; body: Schemas['FolderRequest'] }) =>
    call(api.PATCH('/api/folders/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteFolder() {
  return useFilesMutation((id: string) => call(api.DELETE('/api/folders/{id}', { params: { path: { id } } })));
}

/** Rename, move, share or stop sharing. */
export function useUpdateFile() {
  return useFilesMutation(({ id, body }: { id: string; body: Schemas['FileUpdateRequest'] }) =>
    call(api.PATCH('/api/files/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteFile() {
  return useFilesMutation((id: string) => call(api.DELETE('/api/files/{id}', { params: { path: { id } } })));
}

/** A file's content with the session (a plain link would carry no token); inline for an image preview. */
export function fetchFileContent(id: string, inline = false): Promise<Blob> {
  return call(
    api.GET('/api/files/{id}/content', { params: { path: { id }, query: inline ? { inline: '1' } : {} }, parseAs: 'blob' }),
  );
}

export type UploadProgress = { loaded: number; total: number };

/**
 * Uploads `file` to a project (the body is the file itself), reporting progress. Errors are
 * ApiErrors as from every other call: the server's message (413 names the limit), a
 * network failure, or code 'aborted' when `signal` stopped it.
 */
export function uploadFile(
  projectId: string,
  file: Blob & { name: string },
  opts: { folderId?: string; taskId?: string; onProgress?: (p: UploadProgress) => void; signal?: AbortSignal } = {},
): Promise<FileItem> {
  return new Promise((resolve, reject) => {
    // The same refusal the client's middleware gives any change while viewing as someone.
    if (getViewAs()) {
      reject(new ApiError({ status: 403, code: 'view_as_read_only', message: readOnlyMessage() }));
      return;
    }
    const q = new URLSearchParams({ name: file.name });
    if (opts.folderId) q.set('folderId', opts.folderId);
    if (opts.taskId) q.set('taskId', opts.taskId);
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/projects/${encodeURIComponent(projectId)}/files?${q.toString()}`);
    const sent = getToken();
    if (sent) xhr.setRequestHeader('Authorization', `Bearer ${sent}`);
    xhr.setRequestHeader('Accept-Language', uiLanguage());
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as FileItem);
        } catch {
          reject(new ApiError({ status: xhr.status, code: 'bad_response', message: i18n.t('shell:api.notJson') }));
        }
        return;
      }
      if (xhr.status < 200) {
        reject(new ApiError({ status: 0, code: 'network', message: networkMessage() }));
        return;
      }
      const headers = new Headers();
      const retry = xhr.getResponseHeader('Retry-After');
      if (retry) headers.set('Retry-After', retry);
      void toApiError(new Response(xhr.responseText || null, { status: xhr.status, statusText: xhr.statusText, headers })).then((err) => {
        // As the client's middleware does: only the session that asked can have ended.
        if (xhr.status === 401 && sent && getToken() === sent) clearToken(err.message);
        reject(err);
      });
    };
    xhr.onerror = () => reject(new ApiError({ status: 0, code: 'network', message: networkMessage() }));
    xhr.onabort = () => reject(new ApiError({ status: 0, code: 'aborted', message: i18n.t('shell:api.uploadCancelled') }));
    if (opts.signal) {
      if (opts.signal.aborted) {
        reject(new ApiError({ status: 0, code: 'aborted', message: i18n.t('shell:api.uploadCancelled') }));
        return;
      }
      opts.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    }
    xhr.send(file);
  });
}
