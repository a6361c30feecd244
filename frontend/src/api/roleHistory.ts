// A custom role's history and rollback, the role book and the access report (roles.manage).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type RoleVersion = Schemas['RoleVersion'];

export function useRoleHistory(id: string | undefined) {
  return useQuery({
    queryKey: [...keys.roles, id, 'history'],
    queryFn: () => call(api.GET('/api/roles/{id}/history', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useRollbackRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, expectVersion }: { id: string; version: number; expectVersion?: string }) =>
      call(api.POST('/api/roles/{id}/rollback', { params: { path: { id } }, body: { version, ...(expectVersion ? { expectVersion } : {}) } })),
    onSuccess: () => {
      void refresh(qc, keys.roles);
      void refresh(qc, keys.audit);
      void refresh(qc, keys.me);
    },
  });
}

/** The downloads of the Roles page: API path, file name, and whether the content is text. */
export const roleDownloads = {
  pdf: { path: '/api/roles/book.pdf', name: 'role-book.pdf' },
  markdown: { path: '/api/roles/book.md', name: 'role-book.md' },
  access: { path: '/api/access-report.csv', name: 'access-report.csv' },
} as const;

export type RoleDownload = keyof typeof roleDownloads;

/** One of them fetched with the session, as a Blob. */
export function fetchRoleDownload(which: RoleDownload): Promise<Blob> {
  return call(api.GET(roleDownloads[which].path, { parseAs: 'blob' })) as Promise<Blob>;
}
