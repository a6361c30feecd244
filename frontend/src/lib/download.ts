import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, getToken } from '../api/client';
import { useStatus } from '../api/hooks';
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
  /**
   * Save dialog, then GET `path` (an API path) in-process with the page's token, streamed to
   * the file: the path written, "" when cancelled; rejects with the server's message.
   * SaveFile takes text only, and DownloadFile only project files.
   */
  DownloadFrom?: (token: string, path: string, name: string) => Promise<string>;
};

export function windowApp(): WindowApp | undefined {
  return (window as unknown as { go?: { main?: { App?: WindowApp } } }).go?.main?.App;
}

/**
 * Saves `blob` as a file named `filename`: in the desktop window through a save dialog
 * (the webview has no downloads), in a browser through its download. Resolves to the path
 * written in the window ("" when the person cancelled), or null in a browser.
 */
export function saveBlob(blob: Blob, filename: string): Promise<string | null> {
  return saveText(blob, filename, savedToDefault);
}

async function saveText(blob: Blob, filename: string, savedTo: (path: string) => string): Promise<string | null> {
  const app = windowApp();
  if (app?.SaveFile) {
    const path = await app.SaveFile(filename, await readText(blob));
    if (path) notifications.show({ color: 'teal', message: savedTo(path) });
    return path;
  }
  downloadBlob(blob, filename);
  return null;
}

function savedToDefault(path: string): string {
  return i18n.t('shell:download.savedTo', { path });
}

/**
 * A file the API serves, as a download saves it. In a browser its content is fetched with
 * the session (a plain link would carry no token) and downloaded through a link. The
 * window's webview has no downloads, so there `window` says how the Go side saves it:
 * - `'text'`: the content is text, which SaveFile writes as it is (whenever the binding is
 *   there, as saveBlob does);
 * - `{ path }`: DownloadFrom asks where, then GETs that API path itself (binary content);
 * - a function: another binding doing the same, given the token (a project file's
 *   DownloadFile);
 * - absent: downloaded as in a browser.
 */
export type ApiFile = {
  /** The name it is saved under. */
  name: string;
  /** Its content, fetched with the session. */
  content: () => Promise<Blob>;
  window?: 'text' | { path: string } | ((token: string) => Promise<string>);
};

/** A CSV the server writes as text (`text` asks for it), saved under `name`. */
export function csvFile(name: string, text: () => Promise<string>): ApiFile {
  return { name, content: async () => new Blob([await text()], { type: 'text/csv' }), window: 'text' };
}

/** What a download says, in its page's words. */
export type DownloadTexts<K extends string = string> = {
  /** The error shown when download `key` failed, from the reason (the server's or the window's words); default: the reason alone. */
  notSaved?: (reason: string, key: K) => string;
  /** The notice once the window wrote the file; default: "Saved to …". */
  savedTo?: (path: string) => string;
  /** The error when the window lacks DownloadFrom (for a file with a `path`). */
  windowMissing?: () => string;
};

/**
 * Saves `file` as ApiFile says; `inWindow`: this page runs in the desktop window (the
 * server's status says so). Rejects with why it failed: the server's error, or the Go
 * side's rejection (a string, see windowMessage).
 */
export async function saveApiFile(file: ApiFile, inWindow: boolean, texts: Omit<DownloadTexts, 'notSaved'> = {}): Promise<void> {
  const savedTo = texts.savedTo ?? savedToDefault;
  const how = file.window;
  if (how === 'text') {
    await saveText(await file.content(), file.name, savedTo);
    return;
  }
  if (!inWindow || !how) {
    downloadBlob(await file.content(), file.name);
    return;
  }
  let path: string;
  if (typeof how === 'function') {
    path = await how(getToken() ?? '');
  } else {
    const app = windowApp();
    if (!app?.DownloadFrom) throw new Error(texts.windowMissing?.() ?? i18n.t('shell:api.somethingWrong'));
    path = await app.DownloadFrom(getToken() ?? '', how.path, file.name);
  }
  if (path) notifications.show({ color: 'teal', message: savedTo(path) });
}

/** A rejection from the Go side arrives as a string; anything else as usual. */
export function windowMessage(e: unknown): string {
  return typeof e === 'string' && e ? e : errorMessage(e);
}

/**
 * Downloads from the API with what a page shows of them: `download(key, file)` saves
 * `file` (saveApiFile, in the window when the server's status says so); `busy` is the key
 * of the one under way, `error` the last failure in the page's words (`texts.notSaved`).
 */
export function useApiDownload<K extends string = string>(texts: DownloadTexts<K> = {}) {
  const inWindow = !!useStatus().data?.window;
  const [busy, setBusy] = useState<K | null>(null);
  const [error, setError] = useState<string | null>(null);
  const download = async (key: K, file: ApiFile) => {
    setError(null);
    setBusy(key);
    try {
      await saveApiFile(file, inWindow, texts);
    } catch (e) {
      const reason = windowMessage(e);
      setError(texts.notSaved ? texts.notSaved(reason, key) : reason);
    } finally {
      setBusy(null);
    }
  };
  return { busy, error, clearError: () => setError(null), download };
}

/**
 * A browser download of `blob` through a link. Never in the window (its webview has no
 * downloads): there, binary content goes through DownloadFrom or DownloadFile, text
 * through SaveFile.
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
