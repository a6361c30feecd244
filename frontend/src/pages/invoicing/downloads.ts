// Saving an invoice's PDF and the revenue CSV: in a browser as a download through the API
// with the session, in the desktop window through its save dialog (its webview has no
// downloads), as project files are (projects/fileTransfer.tsx).
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, getToken } from '../../api/client';
import { useStatus } from '../../api/hooks';
import { fetchInvoicePdf, fetchRevenueCsv, type Invoice } from '../../api/invoices';
import i18n from '../../i18n';
import { downloadBlob, saveBlob, windowApp, type WindowApp } from '../../lib/download';
import { pdfName } from './status';

/**
 * The window's binding for a binary download from the API (a save dialog, then GET `path`
 * in-process with the page's token, streamed to the file): SaveFile takes text only, and
 * DownloadFile only project files. Until Go offers it, the window cannot save a PDF.
 */
type WindowDownloads = WindowApp & { DownloadFrom?: (token: string, path: string, name: string) => Promise<string> };

/** Why the desktop window cannot save a PDF (before Go offers DownloadFrom). */
export function windowPdfMissing(): string {
  return i18n.t('invoicing:downloads.windowPdfMissing');
}

/** A rejection from the Go side arrives as a string; anything else as usual. */
function windowMessage(e: unknown): string {
  return typeof e === 'string' && e ? e : errorMessage(e);
}

/** Downloads with what a page shows of them: which one is under way, and the last error. */
export function useDownloads() {
  const status = useStatus();
  const inWindow = !!status.data?.window;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** `what`: which file, as an error names it ("The PDF could not be saved: …"). */
  const run = async (key: string, what: 'pdf' | 'csv', work: () => Promise<void>) => {
    setError(null);
    setBusy(key);
    try {
      await work();
    } catch (e) {
      setError(i18n.t(`invoicing:downloads.notSaved.${what}`, { reason: windowMessage(e) }));
    } finally {
      setBusy(null);
    }
  };

  /** An invoice's PDF, named after its number. */
  const pdf = (inv: Pick<Invoice, 'id' | 'number'>) =>
    run(`pdf:${inv.id}`, 'pdf', async () => {
      const name = pdfName(inv);
      if (!inWindow) {
        downloadBlob(await fetchInvoicePdf(inv.id), name);
        return;
      }
      const app = windowApp() as WindowDownloads | undefined;
      if (!app?.DownloadFrom) throw new Error(windowPdfMissing());
      const path = await app.DownloadFrom(getToken() ?? '', `/api/invoices/${encodeURIComponent(inv.id)}/pdf`, name);
      if (path) notifications.show({ color: 'teal', message: i18n.t('invoicing:downloads.savedTo', { path }) });
    });

  /** The revenue of from..to (YYYY-MM) as CSV: text, which the window's SaveFile writes as it is. */
  const csv = (from: string, to: string) =>
    run('csv', 'csv', async () => {
      const text = await fetchRevenueCsv(from, to);
      await saveBlob(new Blob([text], { type: 'text/csv' }), `revenue-${from}-to-${to}.csv`);
    });

  return { busy, error, clearError: () => setError(null), pdf, csv };
}
