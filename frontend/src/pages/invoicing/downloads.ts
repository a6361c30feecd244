// Saving an invoice's PDF and the revenue CSV: in a browser as a download through the API
// with the session, in the desktop window through its save dialog (its webview has no
// downloads), as project files are (projects/fileTransfer.tsx).
import { fetchInvoicePdf, fetchRevenueCsv, type Invoice } from '../../api/invoices';
import i18n from '../../i18n';
import { csvFile, useApiDownload } from '../../lib/download';
import { pdfName } from './status';

/** Why the desktop window cannot save a PDF (before Go offers DownloadFrom). */
export function windowPdfMissing(): string {
  return i18n.t('invoicing:downloads.windowPdfMissing');
}

/** Downloads with what a page shows of them: which one is under way, and the last error. */
export function useDownloads() {
  const { busy, error, clearError, download } = useApiDownload<'csv' | `pdf:${string}`>({
    // Which file, as an error names it ("The PDF could not be saved: …").
    notSaved: (reason, key) => i18n.t(`invoicing:downloads.notSaved.${key === 'csv' ? 'csv' : 'pdf'}`, { reason }),
    savedTo: (path) => i18n.t('invoicing:downloads.savedTo', { path }),
    windowMissing: windowPdfMissing,
  });

  /** An invoice's PDF, named after its number. */
  const pdf = (inv: Pick<Invoice, 'id' | 'number'>) =>
    download(`pdf:${inv.id}`, {
      name: pdfName(inv),
      content: () => fetchInvoicePdf(inv.id),
      window: { path: `/api/invoices/${encodeURIComponent(inv.id)}/pdf` },
    });

  /** The revenue of from..to (YYYY-MM) as CSV: text, which the window's SaveFile writes as it is. */
  const csv = (from: string, to: string) => download('csv', csvFile(`revenue-${from}-to-${to}.csv`, () => fetchRevenueCsv(from, to)));

  return { busy, error, clearError, pdf, csv };
}
