import { notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import { createElement, type ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError, setToken } from '../api/client';
import { keys } from '../api/hooks';
import { csvFile, saveBlob, toCsv, useApiDownload, type ApiFile, type DownloadTexts, type WindowApp } from './download';

describe('saveBlob', () => {
  afterEach(() => {
    delete (window as unknown as { go?: unknown }).go;
  });

  it('in the window, hands the text to the Go side, which asks where to save it', async () => {
    const SaveFile = vi.fn(async () => '/home/owner/gatehouse-users.csv');
    (window as unknown as { go: unknown }).go = { main: { App: { SaveFile } } };
    const path = await saveBlob(new Blob(['name,email\r\n'], { type: 'text/csv' }), 'gatehouse-users.csv');
    expect(SaveFile).toHaveBeenCalledWith('gatehouse-users.csv', 'name,email\r\n');
    expect(path).toBe('/home/owner/gatehouse-users.csv');
  });

  it('in a browser, downloads through a link', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    expect(await saveBlob(new Blob(['a']), 'a.csv')).toBeNull();
    expect(click).toHaveBeenCalled();
    click.mockRestore();
  });
});

describe('useApiDownload', () => {
  /** What the page's browser download did: the names links were given, and what they held. */
  let links: { name: string; blob: Blob }[];
  let blobs: Map<string, Blob>;

  beforeEach(() => {
    links = [];
    blobs = new Map();
    URL.createObjectURL = vi.fn((b: Blob) => {
      const url = `blob:${blobs.size}`;
      blobs.set(url, b);
      return url;
    }) as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      links.push({ name: this.download, blob: blobs.get(this.href)! });
    });
    vi.spyOn(notifications, 'show').mockImplementation(() => '');
    // The server's status is in the cache (as App.tsx asks for it first): nothing else is asked.
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new Error('no request expected');
      }),
    );
    setToken('tok');
  });

  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllGlobals();
    setToken(null);
    delete (window as unknown as { go?: unknown }).go;
  });

  /** jsdom's Blob has no text(). */
  function textOf(b: Blob): Promise<string> {
    return new Promise((resolve, reject) => {
      const r = new FileReader();
      r.onload = () => resolve(String(r.result));
      r.onerror = () => reject(r.error);
      r.readAsText(b);
    });
  }

  function inWindowWith(app: WindowApp) {
    (window as unknown as { go: unknown }).go = { main: { App: app } };
  }

  /** The hook on a page whose server's status says whether it runs in the window. */
  function render<K extends string>({ window: inWindow }: { window: boolean }, texts?: DownloadTexts<K>) {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    qc.setQueryData(keys.status, { setupRequired: false, version: 'test', window: inWindow });
    const wrapper = ({ children }: { children: ReactNode }) => createElement(QueryClientProvider, { client: qc }, children);
    return renderHook(() => useApiDownload<K>(texts), { wrapper }).result;
  }

  const report = (content: () => Promise<Blob>): ApiFile => ({ name: 'report.pdf', content, window: { path: '/api/report.pdf' } });

  const texts: DownloadTexts<'pdf' | 'csv'> = {
    notSaved: (reason, key) => `The ${key} was not saved: ${reason}`,
    savedTo: (path) => `Saved at ${path}`,
    windowMissing: () => 'This window cannot save files.',
  };

  it('in a browser, fetches the content and downloads it under its name, busy meanwhile', async () => {
    const DownloadFrom = vi.fn(async () => '/never');
    inWindowWith({ DownloadFrom });
    let answer!: (b: Blob) => void;
    const content = vi.fn(() => new Promise<Blob>((r) => (answer = r)));
    const hook = render({ window: false }, texts);
    let done!: Promise<void>;
    act(() => {
      done = hook.current.download('pdf', report(content));
    });
    expect(hook.current.busy).toBe('pdf');
    await act(async () => {
      answer(new Blob(['%PDF']));
      await done;
    });
    expect(hook.current.busy).toBeNull();
    expect(hook.current.error).toBeNull();
    expect(links.map((l) => l.name)).toEqual(['report.pdf']);
    expect(await textOf(links[0].blob)).toBe('%PDF');
    expect(DownloadFrom).not.toHaveBeenCalled();
    expect(notifications.show).not.toHaveBeenCalled();
  });

  it('in the window, has DownloadFrom save the API path with the session, and says where', async () => {
    const DownloadFrom = vi.fn(async () => '/home/ana/report.pdf');
    inWindowWith({ DownloadFrom });
    const content = vi.fn(async () => new Blob(['%PDF']));
    const hook = render({ window: true }, texts);
    await act(() => hook.current.download('pdf', report(content)));
    expect(DownloadFrom).toHaveBeenCalledWith('tok', '/api/report.pdf', 'report.pdf');
    expect(content).not.toHaveBeenCalled();
    expect(links).toEqual([]);
    expect(notifications.show).toHaveBeenCalledWith({ color: 'teal', message: 'Saved at /home/ana/report.pdf' });
    expect(hook.current.busy).toBeNull();

    // Cancelled in the dialog: nothing said.
    DownloadFrom.mockResolvedValueOnce('');
    vi.mocked(notifications.show).mockClear();
    await act(() => hook.current.download('pdf', report(content)));
    expect(notifications.show).not.toHaveBeenCalled();
    expect(hook.current.error).toBeNull();
  });

  it('in a window without DownloadFrom, says so in the page’s words', async () => {
    inWindowWith({});
    const content = vi.fn(async () => new Blob(['%PDF']));
    const hook = render({ window: true }, texts);
    await act(() => hook.current.download('pdf', report(content)));
    expect(hook.current.error).toBe('The pdf was not saved: This window cannot save files.');
    expect(content).not.toHaveBeenCalled();
    expect(links).toEqual([]);
  });

  it('shows the server’s refusal and the window’s rejection in the page’s words, until the next download or clearError', async () => {
    const hook = render({ window: false }, texts);
    const refused = () => Promise.reject(new ApiError({ status: 404, code: 'not_found', message: 'No such report.' }));
    await act(() => hook.current.download('csv', report(refused)));
    expect(hook.current.error).toBe('The csv was not saved: No such report.');
    expect(hook.current.busy).toBeNull();

    let answer!: (b: Blob) => void;
    let done!: Promise<void>;
    act(() => {
      done = hook.current.download('pdf', report(() => new Promise<Blob>((r) => (answer = r))));
    });
    expect(hook.current.error).toBeNull();
    await act(async () => {
      answer(new Blob(['%PDF']));
      await done;
    });

    // The Go side rejects with its message as a string.
    inWindowWith({ DownloadFrom: vi.fn(() => Promise.reject('permission denied: /root/report.pdf')) });
    const inWindow = render({ window: true }, texts);
    await act(() => inWindow.current.download('pdf', report(vi.fn())));
    expect(inWindow.current.error).toBe('The pdf was not saved: permission denied: /root/report.pdf');
    act(() => inWindow.current.clearError());
    expect(inWindow.current.error).toBeNull();
  });

  it('without texts, the error is the reason alone and the notice the shell’s', async () => {
    inWindowWith({ DownloadFrom: vi.fn(() => Promise.reject('disk full')) });
    const hook = render({ window: true });
    await act(() => hook.current.download('backup', report(vi.fn())));
    expect(hook.current.error).toBe('disk full');

    inWindowWith({ DownloadFrom: vi.fn(async () => '/home/ana/report.pdf') });
    await act(() => hook.current.download('backup', report(vi.fn())));
    expect(notifications.show).toHaveBeenCalledWith({ color: 'teal', message: 'Saved to /home/ana/report.pdf' });
  });

  it('hands a CSV to SaveFile as text whenever the window offers it, else downloads it', async () => {
    const SaveFile = vi.fn(async () => '/home/ana/audit.csv');
    inWindowWith({ SaveFile });
    const text = vi.fn(async () => 'when,who\r\n');
    // SaveFile is used whenever it is there, as saveBlob does, whatever the status says.
    const hook = render({ window: false }, texts);
    await act(() => hook.current.download('csv', csvFile('audit.csv', text)));
    expect(SaveFile).toHaveBeenCalledWith('audit.csv', 'when,who\r\n');
    expect(notifications.show).toHaveBeenCalledWith({ color: 'teal', message: 'Saved at /home/ana/audit.csv' });
    expect(links).toEqual([]);

    delete (window as unknown as { go?: unknown }).go;
    await act(() => hook.current.download('csv', csvFile('audit.csv', text)));
    expect(links.map((l) => l.name)).toEqual(['audit.csv']);
    expect(links[0].blob.type).toBe('text/csv');
    expect(await textOf(links[0].blob)).toBe('when,who\r\n');
  });

  it('saves through a binding of its own (a project file’s) only in the window', async () => {
    const DownloadFile = vi.fn(async (token: string) => `/home/ana/brief-${token}.pdf`);
    const file: ApiFile = { name: 'Brief.pdf', content: async () => new Blob(['%PDF']), window: (token) => DownloadFile(token) };
    const browser = render({ window: false }, texts);
    await act(() => browser.current.download('pdf', file));
    expect(DownloadFile).not.toHaveBeenCalled();
    expect(links.map((l) => l.name)).toEqual(['Brief.pdf']);

    const inWindow = render({ window: true }, texts);
    await act(() => inWindow.current.download('pdf', file));
    expect(DownloadFile).toHaveBeenCalledWith('tok');
    expect(notifications.show).toHaveBeenCalledWith({ color: 'teal', message: 'Saved at /home/ana/brief-tok.pdf' });
    expect(links).toHaveLength(1);
  });
});

describe('toCsv', () => {
  it('keeps cells a spreadsheet would run as formulas as text', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")'], ['+1'], ['-2'], ['@SUM(A1)'], ['plain']])).toBe(
      'a\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\nplain\r\n',
    );
  });
  it('quotes what needs quoting', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n');
  });
});
