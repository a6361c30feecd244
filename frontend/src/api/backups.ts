// Settings → Backups: the folder, the daily backup, making one now, downloading one.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type BackupSettings = Schemas['BackupSettings'];
export type BackupFile = Schemas['BackupFile'];

export const backupKeys = { settings: ['settings', 'backups'] as const };

/** The API path a backup is downloaded from (the window saves it through DownloadFrom). */
export const BACKUP_DOWNLOAD_PATH = '/api/backups/download';

export function useBackupSettings() {
  return useQuery({ queryKey: backupKeys.settings, queryFn: () => call(api.GET('/api/settings/backups')) });
}

export function useUpdateBackupSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { folder: string; automatic: boolean }) => call(api.PUT('/api/settings/backups', { body })),
    onSuccess: (data) => {
      qc.setQueryData(backupKeys.settings, data);
      void refresh(qc, keys.audit);
    },
  });
}

export function useMakeBackup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call(api.POST('/api/backups')),
    onSuccess: () => {
      void refresh(qc, backupKeys.settings);
      void refresh(qc, keys.audit);
    },
  });
}

/** A fresh backup as a Blob (a browser's download). */
export function fetchBackup(): Promise<Blob> {
  return call(api.GET(BACKUP_DOWNLOAD_PATH, { parseAs: 'blob' })) as Promise<Blob>;
}
