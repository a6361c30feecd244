// The Roles page's downloads (role book as PDF and Markdown, access report as CSV): in a
// browser through the API with the session, in the desktop window through its save dialog
// (DownloadFrom in app.go), as an invoice's PDF is (invoicing/downloads.ts).
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, getToken } from '../../api/client';
import { useStatus } from '../../api/hooks';
import { fetchRoleDownload, roleDownloads, type RoleDownload } from '../../api/roleHistory';
import i18n from '../../i18n';
import { downloadBlob, windowApp, type WindowApp } from '../../lib/download';

type WindowDownloads = WindowApp & { DownloadFrom?: (token: string, path: string, name: string) => Promise<string> };

export function useRoleDownloads() {
  const status = useStatus();
  const inWindow = !!status.data?.window;
  const [busy, setBusy] = useState<RoleDownload | null>(null);
  const [error, setError] = useState<string | null>(null);

  const download = async (which: RoleDownload) => {
    const { path, name } = roleDownloads[which];
    setError(null);
    setBusy(which);
    try {
      if (!inWindow) {
        downloadBlob(await fetchRoleDownload(which), name);
        return;
      }
      const app = windowApp() as WindowDownloads | undefined;
      if (!app?.DownloadFrom) throw new Error(i18n.t('roles:book.windowMissing'));
      const saved = await app.DownloadFrom(getToken() ?? '', path, name);
      if (saved) notifications.show({ color: 'teal', message: i18n.t('roles:book.savedTo', { path: saved }) });
    } catch (e) {
      setError(i18n.t('roles:book.notSaved', { reason: typeof e === 'string' && e ? e : errorMessage(e) }));
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, clearError: () => setError(null), download };
}
