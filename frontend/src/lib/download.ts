import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage } from '../api/client';
import i18n from '../i18n';

/**
 * The window's Go side (Wails bindings in app.go): the webview has no downloads, and the
 * system's own file dialogs are only reachable from Go.
 */
export type WindowApp = {
  SaveFile?: (name: string, content: string) => Promise<string>;
  /** Open dialog, then the upload through the API: its JSON answer (a File or {error}), "" when cancelled. */
  UploadFile?: (token: string, projectId: string, folderId: string, taskId: string) => Promise<string>;
  /** Save dialog, then the content through the API: the path written, "" when cancelled; rejects with the server's message. */
  DownloadFile?: (token: string, fileId: string, name: string) => Promise<string>;
};

export function windowApp(): WindowApp | undefined {
  return (window as unknown as { go?: { main?: { App?: WindowApp } } }).go?.main?.App;
}

/**
 * Saves `blob` as a file named `filename`: in the desktop window through a save dialog
 * (the webview has no downloads), in a browser through its download. Resolves to the path
 * written in the window ("" when the person cancelled), or null in a browser.
 */
export async function saveBlob(blob: Blob, filename: string): Promise<string | null> {
  const app = windowApp();
  if (app?.SaveFile) {
    const path = await app.SaveFile(filename, await readText(blob));
    if (path) notifications.show({ color: 'teal', message: i18n.t('shell:download.savedTo', { path }) });
    return path;
  }
  downloadBlob(blob, filename);
  return null;
}

/**
 * A page's CSV export: `save(text, filename)` asks the server for the CSV (`text`) and
 * saves it like saveBlob; `saving` while it runs, `error` the message when it failed.
 */
export function useCsvExport() {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async (text: () => Promise<string>, filename: string) => {
    setError(null);
    setSaving(true);
    try {
      await saveBlob(new Blob([await text()], { type: 'text/csv' }), filename);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };
  return { save, saving, error };
}

/**
 * A browser download of `blob` through a link. Never in the window (its webview has no
 * downloads): there, binary content goes through DownloadFile, text through SaveFile.
 */
export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoked later: some browsers read the URL only after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function readText(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result));
    r.onerror = () => reject(r.error ?? new Error(i18n.t('shell:download.unreadable')));
    r.readAsText(blob);
  });
}

function csvField(raw: string): string {
  // A cell a spreadsheet would run as a formula is kept as text.
  const value = /^[=+\-@\t\r]/.test(raw) ? `'${raw}` : raw;
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** RFC 4180 text from a header and rows. */
export function toCsv(header: string[], rows: string[][]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}
