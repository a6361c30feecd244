// The Roles page's downloads (role book as PDF and Markdown, access report as CSV): in a
// browser through the API with the session, in the desktop window through its save dialog
// (DownloadFrom in app.go), as an invoice's PDF is (invoicing/downloads.ts).
import { fetchRoleDownload, roleDownloads, type RoleDownload } from '../../api/roleHistory';
import i18n from '../../i18n';
import { useApiDownload } from '../../lib/download';

export function useRoleDownloads() {
  const { busy, error, clearError, download } = useApiDownload<RoleDownload>({
    notSaved: (reason) => i18n.t('roles:book.notSaved', { reason }),
    savedTo: (path) => i18n.t('roles:book.savedTo', { path }),
    windowMissing: () => i18n.t('roles:book.windowMissing'),
  });
  return {
    busy,
    error,
    clearError,
    download: (which: RoleDownload) => {
      const { path, name } = roleDownloads[which];
      return download(which, { name, content: () => fetchRoleDownload(which), window: { path } });
    },
  };
}
