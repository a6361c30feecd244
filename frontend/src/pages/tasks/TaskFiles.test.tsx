import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken, type Me, type Task } from '../../api/client';
import type { FileItem, FileListing } from '../../api/files';
import { setViewAs } from '../../api/viewAs';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { stubXhrOverFetch } from '../../test/xhr';
import { TaskDetail } from './TaskDrawer';
import { useTaskLookups } from './taskLookups';

type Answer = { status?: number; body?: unknown; text?: string; headers?: Record<string, string> };
type Perm = Me['permissions'][number];

const perm = (...keys: string[]): Perm[] => keys.map((key) => ({ key, scope: '' }));
const BASE = perm('projects.view', 'tasks.view', 'tasks.edit');

const staff = (...more: string[]) => makeMe({ permissions: [...BASE, ...perm(...more)], nav: ['overview', 'projects', 'tasks'] });
const client = (...more: string[]) =>
  makeMe({
    user: { id: 'u-cleo', name: 'Cleo Client' },
    role: { id: 'client', name: 'Client', kind: 'client' },
    permissions: [...perm('projects.view', 'tasks.view'), ...perm(...more)],
    nav: ['overview', 'projects', 'tasks'],
  });

const task: Task = {
  id: 't1',
  projectId: 'p1',
  title: 'Write copy',
  description: 'Homepage',
  clientVisible: false,
  assigneeId: '',
  assigneeName: '',
  boardId: '',
  stageId: '',
  stage: '',
  typeId: '',
  dueDate: '',
  reviewState: '',
  followers: [],
  createdAt: '2026-01-01T00:00:00Z',
  actions: ['edit', 'comment'],
};

const file = (id: string, name: string, extra: Partial<FileItem> = {}): FileItem => ({
  id,
  projectId: 'p1',
  folderId: '',
  taskId: 't1',
  name,
  size: 1536 * 1024,
  contentType: 'application/pdf',
  shared: false,
  fromClient: false,
  uploader: 'Sam Staff',
  createdAt: '2026-02-03T09:30:00Z',
  updatedAt: '2026-02-03T09:30:00Z',
  actions: ['files.upload', 'files.delete'],
  ...extra,
});

const brief = file('f-brief', 'Brief.pdf');
const shot = file('f-shot', 'screenshot.png', { contentType: 'image/png', size: 2048, uploader: 'Dee Designer', actions: [] });

const listing = (maxUpload = 100 * 1024 * 1024): FileListing => ({ folders: [], files: [], path: [], flat: false, maxUpload });

/** The server: the task, its files (`attached`), the project's listing for its limit, and `answer` first. */
function serve({
  attached = [brief, shot],
  shown = task,
  window = false,
  answer,
}: { attached?: FileItem[]; shown?: Task; window?: boolean; answer?: (req: Request, path: string) => Answer | undefined } = {}) {
  setToken('tok');
  return mockFetch(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    const own = answer?.(req, path);
    if (own) return own;
    if (path === '/api/status') return { body: { setupRequired: false, version: 'test', window } };
    if (path === '/api/tasks/t1') return { body: shown };
    if (path === '/api/tasks/t1/files') return { body: { items: attached, next: null } };
    if (path === '/api/projects/p1/files' && req.method === 'GET') return { body: listing() };
    if (path === '/api/projects/p1/files' && req.method === 'POST')
      return { status: 201, body: file('f-new', url.searchParams.get('name') ?? '', { taskId: url.searchParams.get('taskId') ?? '' }) };
    if (req.method === 'DELETE') return { status: 204 };
    if (path.endsWith('/content')) return { text: 'content', headers: { 'Content-Type': 'application/octet-stream' } };
    return { body: { items: [], next: null } };
  });
}

function Harness({ viewer }: { viewer: Me }) {
  const lookups = useTaskLookups(viewer);
  return <TaskDetail taskId="t1" me={viewer} lookups={lookups} projectName={() => 'Alpha'} onDeleted={() => {}} />;
}

const pathOf = (c: Request) => new URL(c.url).pathname;
const changes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${pathOf(c)}`);
const row = (name: string) => screen.getByText(name, { selector: 'p' }).closest('tr')!;
const fileInput = () => document.querySelector<HTMLInputElement>('input[type="file"]')!;
const taskFileGets = (calls: Request[]) => calls.filter((c) => c.method === 'GET' && pathOf(c) === '/api/tasks/t1/files').length;

afterEach(() => {
  delete (window as unknown as { go?: unknown }).go;
  setViewAs(null);
  act(() => notifications.clean());
});

describe('TaskDetail files', () => {
  it('lists the attached files with type, size and who added them; Preview for images only', async () => {
    serve();
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload', 'files.delete')} />);
    const table = await screen.findByRole('table', { name: 'Files attached to this task' });
    expect(within(table).getAllByRole('row').slice(1).map((r) => r.querySelector('td p')!.textContent)).toEqual(['Brief.pdf', 'screenshot.png']);
    const b = within(row('Brief.pdf'));
    expect(b.getByText('PDF document')).toBeTruthy();
    expect(b.getByText('1.5 MB')).toBeTruthy();
    expect(b.getByText('Sam Staff')).toBeTruthy();
    expect(within(row('screenshot.png')).getByText('PNG image')).toBeTruthy();
    expect(within(row('screenshot.png')).getByText('Dee Designer')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Files' })).toBeTruthy();
    expect(screen.getByText(/Attached files are seen by exactly those who see this task/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Attach a file' })).toBeTruthy();
    expect(await screen.findByText(/Up to 100 MB per file\./)).toBeTruthy();
    // Preview for the image only; Delete where the file's actions allow it.
    expect(screen.getByRole('button', { name: 'Preview screenshot.png' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Preview Brief.pdf' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Delete Brief.pdf' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Delete screenshot.png' })).toBeNull();
  });

  it('says when nothing is attached, with a hint to attach', async () => {
    serve({ attached: [] });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    expect(await screen.findByText('No files attached.')).toBeTruthy();
    expect(screen.getByText(/Use “Attach a file” to add/)).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Files attached to this task' })).toBeNull();
  });

  it('offers no attaching without files.upload, and asks for no listing', async () => {
    const { calls } = serve({ attached: [] });
    renderWithProviders(<Harness viewer={staff('files.view')} />);
    expect(await screen.findByText('No files attached.')).toBeTruthy();
    expect(screen.queryByText(/Use “Attach a file”/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Attach a file' })).toBeNull();
    expect(calls.map(pathOf)).not.toContain('/api/projects/p1/files');
  });

  it('is not there without files.view', async () => {
    const { calls } = serve();
    renderWithProviders(<Harness viewer={staff('files.upload')} />);
    await screen.findByText('Homepage');
    await screen.findByText('No comments yet.');
    expect(screen.queryByRole('heading', { name: 'Files' })).toBeNull();
    expect(calls.map(pathOf)).not.toContain('/api/tasks/t1/files');
  });

  it('gives a client the files to download, never Attach (their uploads cannot go on a task)', async () => {
    const { calls } = serve({ shown: { ...task, clientVisible: true, actions: ['comment'] }, attached: [{ ...brief, actions: [] }] });
    renderWithProviders(<Harness viewer={client('files.view', 'files.upload')} />);
    expect(await screen.findByRole('button', { name: 'Download Brief.pdf' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Attach a file' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Brief.pdf' })).toBeNull();
    expect(calls.map(pathOf)).not.toContain('/api/projects/p1/files');
  });

  it('says that a client-visible task shows its files to the clients', async () => {
    serve({ shown: { ...task, clientVisible: true } });
    renderWithProviders(<Harness viewer={staff('files.view')} />);
    expect(await screen.findByText(/this task is visible to the project's clients/)).toBeTruthy();
  });

  it('shows an error when the files cannot be listed', async () => {
    serve({
      answer: (_req, path) =>
        path === '/api/tasks/t1/files' ? { status: 500, body: { error: { code: 'internal', message: 'Something went wrong on the server.' } } } : undefined,
    });
    renderWithProviders(<Harness viewer={staff('files.view')} />);
    expect(await screen.findByText('Something went wrong on the server.')).toBeTruthy();
    expect(screen.queryByText('No files attached.')).toBeNull();
  });

  it('offers no change while viewing as someone', async () => {
    setViewAs({ userId: 'u-ned', name: 'Ned New' });
    serve();
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload', 'files.delete')} />);
    expect(await screen.findByRole('button', { name: 'Download Brief.pdf' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Attach a file' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Brief.pdf' })).toBeNull();
  });
});

describe('TaskDetail attaching in a browser', () => {
  it('sends the file with the task id, shows progress, then lists the task files again', async () => {
    const xhr = stubXhrOverFetch({ hold: true });
    const { calls } = serve();
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByText(/Up to 100 MB per file\./);
    const before = taskFileGets(calls);

    await userEvent.upload(fileInput(), new File(['0123456789'], 'draft v1.docx'));
    const progress = await screen.findByRole('progressbar', { name: 'Upload of draft v1.docx' });
    expect(progress.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByRole('button', { name: 'Attach a file' })).toHaveProperty('disabled', true);

    xhr.release();
    expect(await screen.findByText('Attached “draft v1.docx”.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    const url = new URL(post.url);
    expect(url.pathname).toBe('/api/projects/p1/files');
    expect(url.searchParams.get('name')).toBe('draft v1.docx');
    expect(url.searchParams.get('taskId')).toBe('t1');
    expect(url.searchParams.has('folderId')).toBe(false);
    expect(post.headers.get('Authorization')).toBe('Bearer tok');
    expect(await post.text()).toBe('0123456789');
    await waitFor(() => expect(taskFileGets(calls)).toBeGreaterThan(before));
  });

  it("checks the size against the project's limit before sending a byte", async () => {
    stubXhrOverFetch();
    const { calls } = serve({
      answer: (req, path) => (req.method === 'GET' && path === '/api/projects/p1/files' ? { body: listing(1024 * 1024) } : undefined),
    });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByText(/Up to 1 MB per file\./);
    const big = new File(['x'], 'video.mov');
    Object.defineProperty(big, 'size', { value: 3 * 1024 * 1024 });
    await userEvent.upload(fileInput(), big);
    expect(
      await screen.findByText('“video.mov” is 3 MB: Gatehouse takes at most 1 MB in one upload. Share it another way, or split it.'),
    ).toBeTruthy();
    expect(changes(calls)).toEqual([]);
  });

  it("shows the server's 413 when the limit could not be read first", async () => {
    stubXhrOverFetch();
    const { calls } = serve({
      answer: (req, path) => {
        if (path !== '/api/projects/p1/files') return undefined;
        // A follower of the task who does not see the project gets no listing.
        if (req.method === 'GET') return { status: 404, body: { error: { code: 'not_found', message: 'No such project.' } } };
        return {
          status: 413,
          body: { error: { code: 'too_large', field: 'file', message: 'The file is larger than 100 MiB, the most Gatehouse takes in one upload.' } },
        };
      },
    });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByRole('button', { name: 'Attach a file' });
    await waitFor(() => expect(calls.some((c) => pathOf(c) === '/api/projects/p1/files')).toBe(true));
    await userEvent.upload(fileInput(), new File(['abc'], 'huge.iso'));
    expect(
      await screen.findByText('“huge.iso” was not uploaded: The file is larger than 100 MiB, the most Gatehouse takes in one upload.'),
    ).toBeTruthy();
    expect(screen.queryByText('No such project.')).toBeNull();
    expect(screen.queryByText(/^Attached “/)).toBeNull();
  });

  it('can cancel an upload in flight', async () => {
    stubXhrOverFetch({ hold: true });
    const { calls } = serve();
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByRole('button', { name: 'Attach a file' });
    await userEvent.upload(fileInput(), new File(['0123456789'], 'slow.zip'));
    await screen.findByRole('progressbar', { name: 'Upload of slow.zip' });
    await userEvent.click(screen.getByRole('button', { name: 'Cancel upload' }));
    expect(await screen.findByText('Upload cancelled.')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(changes(calls)).toEqual([]);
  });
});

describe('TaskDetail files: download, preview, delete', () => {
  it('downloads with the session token through a blob, and previews an image inline', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const { calls } = serve();
    renderWithProviders(<Harness viewer={staff('files.view')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Download Brief.pdf' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const get = calls.find((c) => pathOf(c) === '/api/files/f-brief/content')!;
    expect(get.headers.get('Authorization')).toBe('Bearer tok');
    click.mockRestore();

    await userEvent.click(screen.getByRole('button', { name: 'Preview screenshot.png' }));
    const dialog = await screen.findByRole('dialog', { name: 'screenshot.png' });
    expect((await within(dialog).findByRole('img', { name: 'Preview of screenshot.png' })).getAttribute('src')).toBe('blob:x');
    const preview = calls.find((c) => pathOf(c) === '/api/files/f-shot/content')!;
    expect(new URL(preview.url).searchParams.get('inline')).toBe('1');
  });

  it('shows a failed download', async () => {
    serve({
      answer: (_req, path) =>
        path === '/api/files/f-brief/content' ? { status: 404, body: { error: { code: 'not_found', message: 'No such file.' } } } : undefined,
    });
    renderWithProviders(<Harness viewer={staff('files.view')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Download Brief.pdf' }));
    expect(await screen.findByText('“Brief.pdf” could not be downloaded: No such file.')).toBeTruthy();
  });

  it('deletes a file only after confirming, by keyboard too', async () => {
    const { calls } = serve();
    renderWithProviders(<Harness viewer={staff('files.view', 'files.delete')} />);
    // Only where the file's actions allow it.
    const del = await screen.findByRole('button', { name: 'Delete Brief.pdf' });
    expect(screen.queryByRole('button', { name: 'Delete screenshot.png' })).toBeNull();

    await userEvent.click(del);
    let dialog = await screen.findByRole('dialog', { name: 'Delete Brief.pdf?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(changes(calls)).toEqual([]);

    del.focus();
    await userEvent.keyboard('{Enter}');
    dialog = await screen.findByRole('dialog', { name: 'Delete Brief.pdf?' });
    expect(within(dialog).getByText(/removed for everyone who can see it/)).toBeTruthy();
    within(dialog).getByRole('button', { name: 'Delete' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('Deleted “Brief.pdf”.')).toBeTruthy();
    expect(changes(calls)).toEqual(['DELETE /api/files/f-brief']);
  });

  it("shows the server's refusal to delete in the dialog", async () => {
    serve({
      answer: (req) =>
        req.method === 'DELETE' ? { status: 403, body: { error: { code: 'forbidden', message: 'You cannot delete this file.' } } } : undefined,
    });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.delete')} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Brief.pdf' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Brief.pdf?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText('You cannot delete this file.')).toBeTruthy();
  });
});

describe('TaskDetail files in the desktop window', () => {
  function inWindow(app: Record<string, unknown>) {
    (window as unknown as { go: unknown }).go = { main: { App: app } };
  }

  it('attaches through the system dialog with the session and the task, and downloads through the save dialog', async () => {
    const UploadFile = vi.fn(async () => JSON.stringify(file('f-new', 'scan.pdf')));
    const DownloadFile = vi.fn(async () => '/home/sam/Brief.pdf');
    inWindow({ UploadFile, DownloadFile });
    const { calls } = serve({ window: true });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByRole('button', { name: 'Attach a file' });
    await waitFor(() => expect(document.querySelector('input[type="file"]')).toBeNull());
    // No size to check in the window: the Go side opens the file.
    expect(screen.queryByText(/per file/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Attach a file' }));
    expect(await screen.findByText('Attached “scan.pdf”.')).toBeTruthy();
    expect(UploadFile).toHaveBeenCalledWith('tok', 'p1', '', 't1');

    await userEvent.click(screen.getByRole('button', { name: 'Download Brief.pdf' }));
    expect(await screen.findByText('Saved to /home/sam/Brief.pdf')).toBeTruthy();
    expect(DownloadFile).toHaveBeenCalledWith('tok', 'f-brief', 'Brief.pdf');
    expect(calls.filter((c) => c.method === 'POST' || pathOf(c).endsWith('/content'))).toEqual([]);
  });

  it("shows the API's refusal from the window", async () => {
    const UploadFile = vi.fn(async () =>
      JSON.stringify({ error: { code: 'invalid', field: 'taskId', message: 'No such task in this project.' } }),
    );
    inWindow({ UploadFile, DownloadFile: vi.fn() });
    serve({ window: true });
    renderWithProviders(<Harness viewer={staff('files.view', 'files.upload')} />);
    await screen.findByRole('button', { name: 'Attach a file' });
    await waitFor(() => expect(document.querySelector('input[type="file"]')).toBeNull());
    await userEvent.click(screen.getByRole('button', { name: 'Attach a file' }));
    expect(await screen.findByText('No such task in this project.')).toBeTruthy();
  });
});
