import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken, type Me, type Project } from '../../api/client';
import i18n from '../../i18n';
import type { FileItem, FileListing, Folder } from '../../api/files';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { stubXhrOverFetch } from '../../test/xhr';
import { FilesTab } from './FilesTab';
import { ProjectDetailPage } from './ProjectDetailPage';

type Answer = { status?: number; body?: unknown; text?: string; headers?: Record<string, string> };
type Perm = Me['permissions'][number];

const perm = (...keys: string[]): Perm[] => keys.map((key) => ({ key, scope: '' }));
const BASE = perm('projects.view', 'tasks.view', 'files.view');

const staff = (...more: string[]) => makeMe({ permissions: [...BASE, ...perm(...more)], nav: ['overview', 'projects'] });
const client = (...more: string[]) =>
  makeMe({
    user: { id: 'u-cleo', name: 'Cleo Client' },
    role: { id: 'client', name: 'Client', kind: 'client' },
    permissions: [...BASE, ...perm(...more)],
    nav: ['overview', 'projects'],
  });

const project: Project = {
  id: 'p1',
  name: 'Website',
  description: '',
  status: 'active',
  members: ['u-me'],
  teams: [],
  clients: ['u-cleo'],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions: [],
};

const folder = (id: string, name: string, extra: Partial<Folder> = {}): Folder => ({
  id,
  projectId: 'p1',
  parentId: '',
  name,
  fromClient: false,
  createdAt: '2026-02-01T10:00:00Z',
  ...extra,
});

const file = (id: string, name: string, extra: Partial<FileItem> = {}): FileItem => ({
  id,
  projectId: 'p1',
  folderId: '',
  taskId: '',
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

const designs = folder('fo-designs', 'Designs');
const fromClient = folder('fo-client', 'From the client', { fromClient: true });
const brief = file('f-brief', 'Brief.pdf', { shared: true });
const logo = file('f-logo', 'logo.png', { contentType: 'image/png', size: 2048, uploader: 'Dee Designer' });
const upload = file('f-up', 'notes.txt', { contentType: 'text/plain; charset=utf-8', fromClient: true, folderId: 'fo-client', uploader: 'Cleo Client' });

const listing = (over: Partial<FileListing> = {}): FileListing => ({
  folders: [],
  files: [],
  path: [],
  flat: false,
  maxUpload: 100 * 1024 * 1024,
  ...over,
});

const TOP = listing({ folders: [designs, fromClient], files: [brief, logo] });
const IN_DESIGNS = listing({ path: [designs], files: [file('f-mock', 'mockup.pdf', { folderId: 'fo-designs' })] });

/** The server: listings by folder id, and `answer` for anything a test wants to decide. */
function serve({
  listings = { '': TOP, 'fo-designs': IN_DESIGNS, 'fo-client': listing({ path: [fromClient], files: [upload] }) },
  window = false,
  answer,
}: { listings?: Record<string, FileListing>; window?: boolean; answer?: (req: Request, path: string) => Answer | undefined } = {}) {
  setToken('tok');
  return mockFetch(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    const own = answer?.(req, path);
    if (own) return own;
    if (path === '/api/status') return { body: { setupRequired: false, version: 'test', window } };
    if (path === '/api/projects/p1/files' && req.method === 'GET') {
      const l = listings[url.searchParams.get('folderId') ?? ''];
      return l ? { body: l } : { status: 404, body: { error: { code: 'not_found', message: 'No such folder.' } } };
    }
    if (path === '/api/projects/p1/files' && req.method === 'POST')
      return { status: 201, body: file('f-new', url.searchParams.get('name') ?? '', { folderId: url.searchParams.get('folderId') ?? '' }) };
    if (path === '/api/projects/p1/folders' && req.method === 'GET') {
      // Every folder the listings show, each once.
      const all = new Map(Object.values(listings).flatMap((l) => [...l.folders, ...l.path].map((f) => [f.id, f] as const)));
      return { body: { items: [...all.values()], next: null } };
    }
    if (path === '/api/projects/p1/folders') return { status: 201, body: folder('fo-new', ((await req.json()) as { name: string }).name) };
    if (path.startsWith('/api/files/') && req.method === 'PATCH') {
      const id = path.split('/')[3];
      return { body: { ...file(id, 'x'), ...((await req.json()) as object) } };
    }
    if (path.startsWith('/api/folders/') && req.method === 'PATCH')
      return { body: folder(path.split('/')[3], ((await req.json()) as { name: string }).name) };
    if (req.method === 'DELETE') return { status: 204 };
    if (path.endsWith('/content')) return { text: 'content', headers: { 'Content-Type': 'application/octet-stream' } };
    if (path === '/api/files/f-brief/access')
      return { body: { items: [{ userId: 'u-cleo', name: 'Cleo Client', roleName: 'Client', paths: [{ kind: 'shared', removable: false }] }] } };
    if (path === '/api/users') return { body: { items: [], next: null, total: 0 } };
    return { status: 404, body: { error: { code: 'not_found', message: `Nothing at ${path}.` } } };
  });
}

const pathOf = (c: Request) => new URL(c.url).pathname;
const changes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${pathOf(c)}`);
const row = (name: string) => screen.getByText(name, { selector: 'p, a, button' }).closest('tr')!;
const fileInput = () => document.querySelector<HTMLInputElement>('input[type="file"]')!;

async function openMenu(name: string) {
  await userEvent.click(await screen.findByRole('button', { name: `More actions for ${name}` }));
}

afterEach(() => {
  delete (window as unknown as { go?: unknown }).go;
  act(() => notifications.clean());
});

describe('FilesTab listing', () => {
  it('shows folders first, then files with type, size, uploader, date and badges', async () => {
    serve();
    renderWithProviders(<FilesTab me={staff('files.upload', 'files.folders', 'files.delete')} project={project} />);
    const table = await screen.findByRole('table', { name: 'Files' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('td')!.textContent)).toEqual([
      'Designs',
      "From the clientClients' uploads",
      'Brief.pdfShared with clients',
      'logo.png',
    ]);
    const b = within(row('Brief.pdf'));
    expect(b.getByText('PDF document')).toBeTruthy();
    expect(b.getByText('1.5 MB')).toBeTruthy();
    expect(b.getByText('Sam Staff')).toBeTruthy();
    expect(within(row('logo.png')).getByText('2 KB')).toBeTruthy();
    expect(within(row('logo.png')).getByText('PNG image')).toBeTruthy();
    // Breadcrumbs at the top; New folder and Upload for this role.
    expect(within(screen.getByRole('navigation', { name: 'Folder path' })).getByText('All files')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'New folder' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Upload' })).toBeTruthy();
    // The "From the client" folder cannot be renamed or deleted; others can.
    expect(screen.queryByRole('button', { name: 'Actions for the folder From the client' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Actions for the folder Designs' })).toBeTruthy();
    // No share switches without files.share_clients, no Who can see without users.view.
    expect(screen.queryByRole('switch')).toBeNull();
    await openMenu('Brief.pdf');
    expect(await screen.findByRole('menuitem', { name: 'Rename' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Who can see this file' })).toBeNull();
  });

  it('opens folders and walks back through the breadcrumbs, by keyboard too', async () => {
    const { calls } = serve();
    renderWithProviders(<FilesTab me={staff()} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open the folder Designs' }));
    expect(await screen.findByText('mockup.pdf')).toBeTruthy();
    expect(calls.some((c) => new URL(c.url).searchParams.get('folderId') === 'fo-designs')).toBe(true);
    const crumbs = screen.getByRole('navigation', { name: 'Folder path' });
    expect(within(crumbs).getByText('Designs').getAttribute('aria-current')).toBe('page');
    within(crumbs).getByRole('button', { name: 'All files' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByText('Brief.pdf')).toBeTruthy();
  });

  it('says what to do next when a project has no files', async () => {
    serve({ listings: { '': listing() } });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    expect(await screen.findByText('No files yet. Upload the first one.')).toBeTruthy();
  });

  it('says only "No files yet." to someone who cannot upload', async () => {
    serve({ listings: { '': listing() } });
    renderWithProviders(<FilesTab me={staff()} project={project} />);
    expect(await screen.findByText('No files yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Upload' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New folder' })).toBeNull();
  });

  it('gives a client one list titled for them, their uploads marked, and where uploads go', async () => {
    const mine = { ...upload, actions: ['files.upload'] };
    // The server gives a client no actions on the team's files.
    serve({ listings: { '': listing({ flat: true, files: [{ ...brief, actions: [] }, mine] }) } });
    renderWithProviders(<FilesTab me={client('files.upload')} project={project} />);
    const table = await screen.findByRole('table', { name: 'Files shared with you' });
    expect(screen.getByRole('heading', { name: 'Files shared with you' })).toBeTruthy();
    expect(within(table).getByText('Shared with you')).toBeTruthy();
    expect(within(row('notes.txt')).getByText('Your upload')).toBeTruthy();
    expect(within(row('notes.txt')).getByText('TXT file')).toBeTruthy();
    expect(screen.getByText(/goes to the team's “From the client” folder/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Upload' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'New folder' })).toBeNull();
    expect(screen.queryByRole('navigation', { name: 'Folder path' })).toBeNull();
    // Their own upload: rename, never move (it stays in "From the client").
    await openMenu('notes.txt');
    expect(await screen.findByRole('menuitem', { name: 'Rename' })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: 'Move' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'More actions for Brief.pdf' })).toBeNull();
  });

  it('tells a client with nothing shared so, and offers no upload without files.upload', async () => {
    serve({ listings: { '': listing({ flat: true }) } });
    renderWithProviders(<FilesTab me={client()} project={project} />);
    expect(await screen.findByText('Nothing has been shared with you yet.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Upload' })).toBeNull();
  });
});

describe('FilesTab uploads in a browser', () => {
  it('sends the file as the body with its name and folder, shows progress, then lists it', async () => {
    const xhr = stubXhrOverFetch({ hold: true });
    const { calls } = serve();
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open the folder Designs' }));
    await screen.findByText('mockup.pdf');
    const before = calls.filter((c) => c.method === 'GET' && pathOf(c) === '/api/projects/p1/files').length;

    await userEvent.upload(fileInput(), new File(['0123456789'], 'plan v2.pdf', { type: 'application/pdf' }));
    const progress = await screen.findByRole('progressbar', { name: 'Upload of plan v2.pdf' });
    expect(progress.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByText(/Uploading “plan v2.pdf”: 5 B of 10 B/)).toBeTruthy();

    xhr.release();
    expect(await screen.findByText('Uploaded “plan v2.pdf”.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    const url = new URL(post.url);
    expect(url.pathname).toBe('/api/projects/p1/files');
    expect(url.searchParams.get('name')).toBe('plan v2.pdf');
    expect(url.searchParams.get('folderId')).toBe('fo-designs');
    expect(post.headers.get('Authorization')).toBe('Bearer tok');
    expect(post.headers.get('Content-Type')).toBe('application/octet-stream');
    expect(await post.text()).toBe('0123456789');
    expect(screen.queryByRole('progressbar')).toBeNull();
    await waitFor(() =>
      expect(calls.filter((c) => c.method === 'GET' && pathOf(c) === '/api/projects/p1/files').length).toBeGreaterThan(before),
    );
  });

  it('says a file is too big before sending a byte, and sends the others', async () => {
    stubXhrOverFetch();
    const { calls } = serve({ listings: { '': listing({ maxUpload: 1024 * 1024 }) } });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    expect(await screen.findByText('Up to 1 MB per file.')).toBeTruthy();
    const big = new File(['x'], 'video.mov');
    Object.defineProperty(big, 'size', { value: 3 * 1024 * 1024 });
    await userEvent.upload(fileInput(), [big, new File(['ok'], 'small.txt')]);
    expect(
      await screen.findByText('“video.mov” is 3 MB: Gatehouse takes at most 1 MB in one upload. Share it another way, or split it.'),
    ).toBeTruthy();
    expect(await screen.findByText('Uploaded “small.txt”.')).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST').map((c) => new URL(c.url).searchParams.get('name'));
    expect(posts).toEqual(['small.txt']);
  });

  it("shows the server's 413 answer", async () => {
    stubXhrOverFetch();
    serve({
      answer: (req, path) =>
        req.method === 'POST' && path === '/api/projects/p1/files'
          ? {
              status: 413,
              body: { error: { code: 'too_large', field: 'file', message: 'The file is larger than 100 MiB, the most Gatehouse takes in one upload.' } },
            }
          : undefined,
    });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await screen.findByText('Brief.pdf');
    await userEvent.upload(fileInput(), new File(['abc'], 'huge.iso'));
    expect(
      await screen.findByText('“huge.iso” was not uploaded: The file is larger than 100 MiB, the most Gatehouse takes in one upload.'),
    ).toBeTruthy();
    expect(screen.queryByText(/^Uploaded “/)).toBeNull();
  });

  it("offers no upload inside “From the client” (clients' uploads only) and says what the folder is", async () => {
    serve();
    renderWithProviders(<FilesTab me={staff('files.upload', 'files.folders')} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open the folder From the client' }));
    expect(await screen.findByText(/Clients' uploads land here/)).toBeTruthy();
    expect(within(row('notes.txt')).getByText('From the client')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Upload' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'New folder' })).toBeNull();
  });
});

describe('FilesTab sharing', () => {
  it('offers the switch only with files.share_clients, and only where the file allows it', async () => {
    const shareable = { ...logo, actions: ['files.upload', 'files.delete', 'files.share_clients'] };
    const { calls } = serve({ listings: { '': listing({ files: [shareable, { ...upload, folderId: '' }] }) } });
    renderWithProviders(<FilesTab me={staff('files.upload', 'files.share_clients')} project={project} />);
    const toggle = await screen.findByRole('switch', { name: 'Share logo.png with clients' });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.queryByRole('switch', { name: 'Share notes.txt with clients' })).toBeNull();
    expect(within(row('notes.txt')).getByText("A client's upload")).toBeTruthy();
    await userEvent.click(toggle);
    expect(await screen.findByText("“logo.png” is shared with the project's clients.")).toBeTruthy();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(pathOf(patch)).toBe('/api/files/f-logo');
    expect(await patch.json()).toEqual({ shared: true });
  });

  it('shows no switch without the permission, even when the file would allow it', async () => {
    const shareable = { ...brief, actions: ['files.upload', 'files.share_clients'] };
    serve({ listings: { '': listing({ files: [shareable] }) } });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await screen.findByText('Brief.pdf');
    expect(screen.queryByRole('switch')).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Clients see it' })).toBeNull();
    expect(within(row('Brief.pdf')).getByText('Shared with clients')).toBeTruthy();
  });
});

describe('FilesTab changes', () => {
  it('renames a file after the dialog, and puts the server refusal on the name', async () => {
    let refuse = true;
    const { calls } = serve({
      answer: (req) =>
        req.method === 'PATCH' && refuse
          ? ((refuse = false), { status: 422, body: { error: { code: 'invalid', field: 'name', message: 'A name cannot hold slashes.' } } })
          : undefined,
    });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await openMenu('Brief.pdf');
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename Brief.pdf' });
    const name = within(dialog).getByRole('textbox', { name: /Name/ });
    expect((name as HTMLInputElement).value).toBe('Brief.pdf');
    await userEvent.clear(name);
    await userEvent.type(name, 'a/b.pdf');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Rename' }));
    await waitFor(() => expect(errorOf(name)).toBe('A name cannot hold slashes.'));
    await userEvent.clear(name);
    await userEvent.type(name, 'Brief v2.pdf{Enter}');
    expect(await screen.findByText('Renamed to “Brief v2.pdf”.')).toBeTruthy();
    const patches = calls.filter((c) => c.method === 'PATCH');
    expect(patches.map(pathOf)).toEqual(['/api/files/f-brief', '/api/files/f-brief']);
    expect(await patches[1].json()).toEqual({ name: 'Brief v2.pdf' });
  });

  it('moves a file to a folder chosen from the whole tree, never into “From the client”', async () => {
    const { calls } = serve({
      listings: {
        '': TOP,
        'fo-designs': listing({ path: [designs], folders: [folder('fo-logos', 'Logos', { parentId: 'fo-designs' })] }),
        'fo-logos': listing(),
        'fo-client': listing({ path: [fromClient] }),
      },
    });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await openMenu('Brief.pdf');
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Move' }));
    const dialog = await screen.findByRole('dialog', { name: 'Move Brief.pdf' });
    const select = within(dialog).getAllByLabelText('Move to').find((el) => el.tagName === 'INPUT')!;
    await waitFor(() => expect((select as HTMLInputElement).disabled).toBe(false));
    await userEvent.click(select);
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Designs', 'Designs / Logos']);
    expect(within(dialog).getByRole('button', { name: 'Move' })).toHaveProperty('disabled', true);
    await userEvent.click(screen.getByRole('option', { name: 'Designs / Logos' }));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Move' }));
    expect(await screen.findByText('Moved “Brief.pdf” to Designs / Logos.')).toBeTruthy();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(await patch.json()).toEqual({ folderId: 'fo-logos' });
  });

  it('deletes a file only after confirming', async () => {
    const { calls } = serve();
    renderWithProviders(<FilesTab me={staff('files.delete')} project={project} />);
    await openMenu('logo.png');
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete logo.png?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(changes(calls)).toEqual([]);

    await openMenu('logo.png');
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    dialog = await screen.findByRole('dialog', { name: 'Delete logo.png?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('Deleted “logo.png”.')).toBeTruthy();
    expect(changes(calls)).toEqual(['DELETE /api/files/f-logo']);
  });

  it('shows the refusal to delete a folder that is not empty, in the dialog', async () => {
    serve({
      answer: (req) =>
        req.method === 'DELETE'
          ? { status: 409, body: { error: { code: 'folder_not_empty', message: 'The folder is not empty: move or delete what is in it first.' } } }
          : undefined,
    });
    renderWithProviders(<FilesTab me={staff('files.folders')} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for the folder Designs' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete the folder Designs?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    expect(await within(dialog).findByText('The folder is not empty: move or delete what is in it first.')).toBeTruthy();
  });

  it('renames a folder and makes a new one in the folder open', async () => {
    const { calls } = serve();
    renderWithProviders(<FilesTab me={staff('files.folders')} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Actions for the folder Designs' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Rename' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rename the folder Designs' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await userEvent.clear(name);
    await userEvent.type(name, 'Design{Enter}');
    expect(await screen.findByText('Renamed the folder to “Design”.')).toBeTruthy();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(pathOf(patch)).toBe('/api/folders/fo-designs');
    expect(await patch.json()).toEqual({ name: 'Design' });

    await userEvent.click(screen.getByRole('button', { name: 'Open the folder Designs' }));
    await screen.findByText('mockup.pdf');
    await userEvent.click(screen.getByRole('button', { name: 'New folder' }));
    const create = await screen.findByRole('dialog', { name: 'New folder in Designs' });
    await userEvent.type(within(create).getByRole('textbox', { name: 'Name' }), 'Drafts');
    await userEvent.click(within(create).getByRole('button', { name: 'Create folder' }));
    expect(await screen.findByText('Created the folder “Drafts”.')).toBeTruthy();
    const post = calls.find((c) => c.method === 'POST')!;
    expect(pathOf(post)).toBe('/api/projects/p1/folders');
    expect(await post.json()).toEqual({ name: 'Drafts', parentId: 'fo-designs' });
  });
});

describe('FilesTab downloads, preview and access in a browser', () => {
  it('downloads with the session token through a blob, and previews images only', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const { calls } = serve();
    renderWithProviders(<FilesTab me={staff()} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Download Brief.pdf' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const get = calls.find((c) => pathOf(c) === '/api/files/f-brief/content')!;
    expect(get.headers.get('Authorization')).toBe('Bearer tok');
    click.mockRestore();

    expect(screen.queryByRole('button', { name: 'Preview Brief.pdf' })).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Preview logo.png' }));
    const dialog = await screen.findByRole('dialog', { name: 'logo.png' });
    expect((await within(dialog).findByRole('img', { name: 'Preview of logo.png' })).getAttribute('src')).toBe('blob:x');
    const preview = calls.find((c) => pathOf(c) === '/api/files/f-logo/content')!;
    expect(new URL(preview.url).searchParams.get('inline')).toBe('1');
  });

  it('shows who can see a file to those with users.view', async () => {
    serve();
    renderWithProviders(<FilesTab me={staff('users.view')} project={project} />);
    await openMenu('Brief.pdf');
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Who can see this file' }));
    const dialog = await screen.findByRole('dialog', { name: 'Brief.pdf: who can see it' });
    const table = await within(dialog).findByRole('table', { name: 'Access to this file' });
    expect(within(table).getByText('Cleo Client')).toBeTruthy();
    expect(within(table).getByText('Shared with clients')).toBeTruthy();
  });
});

describe('FilesTab in the desktop window', () => {
  function inWindow(app: Record<string, unknown>) {
    (window as unknown as { go: unknown }).go = { main: { App: app } };
  }

  it('uploads through the system dialog with the session, into the folder open', async () => {
    const UploadFile = vi.fn(async () => JSON.stringify(file('f-new', 'scan.pdf')));
    inWindow({ UploadFile, DownloadFile: vi.fn() });
    const { calls } = serve({ window: true });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Open the folder Designs' }));
    await screen.findByText('mockup.pdf');
    await waitFor(() => expect(document.querySelector('input[type="file"]')).toBeNull());
    // No size to check in the window: the Go side opens the file.
    expect(screen.queryByText(/per file/)).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Upload' }));
    expect(await screen.findByText('Uploaded “scan.pdf”.')).toBeTruthy();
    expect(UploadFile).toHaveBeenCalledWith('tok', 'p1', 'fo-designs', '');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it("shows the API's refusal from the window, and nothing when cancelled", async () => {
    const UploadFile = vi
      .fn()
      .mockResolvedValueOnce('')
      .mockResolvedValueOnce(JSON.stringify({ error: { code: 'too_large', field: 'file', message: 'The file is larger than 100 MiB, the most Gatehouse takes in one upload.' } }))
      .mockResolvedValueOnce(JSON.stringify({ error: { code: 'invalid', field: 'file', message: 'The file is empty.' }, name: 'notes.txt' }));
    inWindow({ UploadFile, DownloadFile: vi.fn() });
    serve({ window: true });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await screen.findByText('Brief.pdf');
    await waitFor(() => expect(document.querySelector('input[type="file"]')).toBeNull());
    const button = screen.getByRole('button', { name: 'Upload' });
    await userEvent.click(button);
    await waitFor(() => expect(UploadFile).toHaveBeenCalledTimes(1));
    expect(screen.queryByRole('alert')).toBeNull();
    await userEvent.click(button);
    expect(await screen.findByText('The file is larger than 100 MiB, the most Gatehouse takes in one upload.')).toBeTruthy();
    // The Go side names the file it picked: said as a browser says it.
    await userEvent.click(button);
    expect(await screen.findByText('“notes.txt” was not uploaded: The file is empty.')).toBeTruthy();
  });

  it('downloads through the save dialog, and shows its refusal', async () => {
    const DownloadFile = vi
      .fn()
      .mockResolvedValueOnce('/home/sam/Brief.pdf')
      .mockRejectedValueOnce('No such file.');
    inWindow({ UploadFile: vi.fn(), DownloadFile });
    const { calls } = serve({ window: true });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    const button = await screen.findByRole('button', { name: 'Download Brief.pdf' });
    await waitFor(() => expect(document.querySelector('input[type="file"]')).toBeNull());
    await userEvent.click(button);
    expect(await screen.findByText('Saved to /home/sam/Brief.pdf')).toBeTruthy();
    expect(DownloadFile).toHaveBeenCalledWith('tok', 'f-brief', 'Brief.pdf');
    await userEvent.click(button);
    expect(await screen.findByText('“Brief.pdf” could not be downloaded: No such file.')).toBeTruthy();
    expect(calls.filter((c) => pathOf(c).endsWith('/content'))).toEqual([]);
  });

  it('keeps to the browser path when the server is not in the window', async () => {
    const UploadFile = vi.fn();
    inWindow({ UploadFile, DownloadFile: vi.fn() });
    const { calls } = serve({ window: false });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    await screen.findByText('Brief.pdf');
    await waitFor(() => expect(calls.some((c) => pathOf(c) === '/api/status')).toBe(true));
    await new Promise((r) => setTimeout(r, 50));
    expect(fileInput()).toBeTruthy();
  });
});

describe('FilesTab in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('lists folders and files with Portuguese headings, types, badges and actions', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderWithProviders(<FilesTab me={staff('files.upload', 'files.folders', 'files.delete')} project={project} />);
    const table = await screen.findByRole('table', { name: 'Arquivos' });
    expect(within(table).getByRole('columnheader', { name: 'Enviado por' })).toBeTruthy();
    expect(within(table).getByText('Envios dos clientes')).toBeTruthy();
    expect(within(table).getByText('Compartilhado com clientes')).toBeTruthy();
    expect(within(row('Brief.pdf')).getByText('Documento PDF')).toBeTruthy();
    expect(within(row('logo.png')).getByText('Imagem PNG')).toBeTruthy();
    expect(within(screen.getByRole('navigation', { name: 'Caminho da pasta' })).getByText('Todos os arquivos')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Nova pasta' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Abrir a pasta Designs' })).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Mais ações de Brief.pdf' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Excluir' }));
    const dialog = await screen.findByRole('dialog', { name: 'Excluir Brief.pdf?' });
    expect(within(dialog).getByText(/não pode ser desfeita/)).toBeTruthy();
  });

  it('says in Portuguese that a file is too big, and that another was sent', async () => {
    await i18n.changeLanguage('pt-BR');
    stubXhrOverFetch();
    serve({ listings: { '': listing({ maxUpload: 1024 * 1024 }) } });
    renderWithProviders(<FilesTab me={staff('files.upload')} project={project} />);
    expect(await screen.findByText('Até 1 MB por arquivo.')).toBeTruthy();
    const big = new File(['x'], 'video.mov');
    Object.defineProperty(big, 'size', { value: 3 * 1024 * 1024 });
    await userEvent.upload(fileInput(), [big, new File(['ok'], 'small.txt')]);
    expect(await screen.findByText(/“video.mov” tem 3 MB: o Gatehouse aceita no máximo 1 MB por envio/)).toBeTruthy();
    expect(await screen.findByText('“small.txt” enviado.')).toBeTruthy();
  });
});

describe('ProjectDetailPage Files tab', () => {
  const page = (me: Me) => {
    serve({ answer: (_req, path) => (path === '/api/projects/p1' ? { body: project } : undefined) });
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
  };

  it('is there with files.view', async () => {
    page(staff());
    await userEvent.click(await screen.findByRole('tab', { name: 'Files' }));
    expect(await screen.findByRole('table', { name: 'Files' })).toBeTruthy();
  });

  it('is not there without it', async () => {
    page(makeMe({ permissions: perm('projects.view', 'tasks.view'), nav: ['overview', 'projects'] }));
    await screen.findByRole('tab', { name: /Tasks/ });
    expect(screen.queryByRole('tab', { name: 'Files' })).toBeNull();
  });
});
