import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import type { ImportJob, ImportReport, ImportRow } from '../../api/users';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { ImportUsersModal, LINKS_FILE, TEMPLATE_FILE } from './ImportUsersModal';

const CSV = 'name,email,role,projects,teams\nAda Lovelace,ada@example.test,Staff,Website,\nBob Builder,bob@example.test,Staff,,Design\n';

const row = (line: number, name: string, errors: ImportRow['errors'] = []): ImportRow => ({
  line,
  name,
  email: `${name.split(' ')[0].toLowerCase()}@example.test`,
  role: 'Staff',
  projects: line === 2 ? ['Website'] : [],
  teams: line === 3 ? ['Design'] : [],
  errors,
});

const clean: ImportReport = { rows: [row(2, 'Ada Lovelace'), row(3, 'Bob Builder')], valid: 2, invalid: 0 };
const faulty: ImportReport = {
  rows: [row(2, 'Ada Lovelace'), row(3, 'Bob Builder', [{ field: 'role', message: 'No role is called Builder.' }])],
  valid: 1,
  invalid: 1,
};

const links = [
  { name: 'Ada Lovelace', email: 'ada@example.test', link: 'https://gh.example/set-password?token=a1' },
  { name: 'Bob Builder', email: 'bob@example.test', link: 'https://gh.example/set-password?token=b2' },
];

/**
 * The server: the dry run answers `report`; the import starts a job that the polls then
 * follow through `jobs` (the last one repeats).
 */
function serve({ report = clean, jobs = [] as ImportJob[] } = {}) {
  let polls = 0;
  const mock = mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/users/import/template') return { text: 'name,email,role,projects,teams\n', headers: { 'Content-Type': 'text/csv' } };
    if (path === '/api/users/import') {
      const body = (await req.json()) as { dryRun?: boolean };
      if (body.dryRun) return { body: report };
      return { status: 202, body: { id: 'job-1', state: 'running', done: 0, total: 2 } };
    }
    if (path === '/api/user-imports/job-1') return { body: jobs[Math.min(polls++, jobs.length - 1)] };
    return { status: 404, body: { error: { code: 'not_found', message: 'Not found' } } };
  });
  return { ...mock, polls: () => polls };
}

/** Saved files: what was made into a blob URL, and under which name it was downloaded. */
function watchDownloads() {
  const saved: { blob: Blob; name: string }[] = [];
  let last: Blob | null = null;
  Object.defineProperty(URL, 'createObjectURL', {
    configurable: true,
    writable: true,
    value: (b: Blob) => {
      last = b;
      return 'blob:test';
    },
  });
  Object.defineProperty(URL, 'revokeObjectURL', { configurable: true, writable: true, value: () => {} });
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ blob: last!, name: this.download });
  });
  return saved;
}

const textarea = () => screen.getByLabelText('Or paste the CSV here');

/** Pastes the CSV and checks it (fireEvent: typing a long text key by key is slow). */
async function pasteAndCheck(user: ReturnType<typeof userEvent.setup>) {
  fireEvent.change(textarea(), { target: { value: CSV } });
  await user.click(screen.getByRole('button', { name: 'Check' }));
}

// jsdom's Blob (and so File) has no text(), which browsers have had for years.
if (!Blob.prototype.text) {
  Blob.prototype.text = function (this: Blob) {
    return new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(reader.result as string);
      reader.onerror = () => reject(reader.error);
      reader.readAsText(this);
    });
  };
}

describe('ImportUsersModal', () => {
  beforeEach(() => setToken('tok'));
  afterEach(() => vi.restoreAllMocks());

  it('asks for a file or text before checking anything', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Check' }));
    expect(errorOf(textarea())).toBe('Choose a CSV file or paste its text');
    expect(calls).toHaveLength(0);
  });

  it('checks the CSV and shows every row, its problems in red beside it; nothing imports until all are right', async () => {
    const { calls } = serve({ report: faulty });
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    await pasteAndCheck(user);

    const table = await screen.findByRole('table', { name: 'Rows of the CSV' });
    expect(await calls[0].json()).toEqual({ csv: CSV, dryRun: true });
    const counts = screen.getByLabelText('Check result').textContent;
    expect(counts).toContain('2 rows');
    expect(counts).toContain('1 ready');
    expect(counts).toContain('1 with errors');
    const [, ada, bob] = within(table).getAllByRole('row');
    expect(within(ada).getByText('Ready')).toBeTruthy();
    expect(bob.getAttribute('data-invalid')).toBe('true');
    expect(within(bob).getByText('role: No role is called Builder.')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Import 1 person' }) as HTMLButtonElement).disabled).toBe(true);

    // Changing the text makes the check stale.
    fireEvent.change(textarea(), { target: { value: `${CSV}Cy,cy@example.test,Staff,,\n` } });
    expect(screen.queryByRole('table', { name: 'Rows of the CSV' })).toBeNull();
    expect((screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('puts a refusal of the whole CSV on its field', async () => {
    mockFetch(() => ({ status: 422, body: { error: { code: 'invalid', message: 'The header row must name the columns.', field: 'csv' } } }));
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    await pasteAndCheck(user);
    await waitFor(() => expect(errorOf(textarea())).toBe('The header row must name the columns.'));
  });

  it('reads a chosen file into the text', async () => {
    serve();
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    const input = (await screen.findByLabelText('CSV file to upload')) as HTMLInputElement;
    await user.upload(input, new File([CSV], 'people.csv', { type: 'text/csv' }));
    await waitFor(() => expect((textarea() as HTMLTextAreaElement).value).toBe(CSV));
  });

  it('downloads the template with the session, as gatehouse-users.csv', async () => {
    const { calls } = serve();
    const saved = watchDownloads();
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    await user.click(await screen.findByRole('button', { name: 'Download template' }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0].name).toBe(TEMPLATE_FILE);
    expect(await saved[0].blob.text()).toBe('name,email,role,projects,teams\n');
    expect(calls[0].headers.get('Authorization')).toBe('Bearer tok');
  });

  it('without email: imports, follows the job to the end, and hands over the one-time links', async () => {
    const { calls, polls } = serve({
      jobs: [
        { id: 'job-1', state: 'running', done: 1, total: 2 },
        { id: 'job-1', state: 'done', done: 2, total: 2, welcomeQueued: 0, links },
      ],
    });
    const saved = watchDownloads();
    const user = userEvent.setup();
    const { client } = renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    const invalidate = vi.spyOn(client, 'invalidateQueries');
    await pasteAndCheck(user);
    expect(screen.queryByLabelText('Send each person a welcome email')).toBeNull();
    expect(screen.getByRole('note').textContent).toMatch(/Email is not set up/);
    await user.click(await screen.findByRole('button', { name: 'Import 2 people' }));

    expect(await screen.findByRole('progressbar', { name: 'Import progress' })).toBeTruthy();
    expect(await screen.findByText('2 people added', undefined, { timeout: 3000 })).toBeTruthy();
    expect(await calls.find((c) => c.method === 'POST' && c.url.endsWith('/api/users/import') && calls.indexOf(c) > 0)!.json()).toEqual({
      csv: CSV,
      dryRun: false,
      sendWelcome: false,
    });
    // The user list is refreshed; the finished job is never asked for again.
    expect(invalidate).toHaveBeenCalledWith({ queryKey: ['users'] });
    const asked = polls();
    await new Promise((r) => setTimeout(r, 700));
    expect(polls()).toBe(asked);

    const table = screen.getByRole('table', { name: 'Set-password links' });
    expect(within(table).getByText('https://gh.example/set-password?token=b2')).toBeTruthy();
    expect(screen.getByText(/shown once, here only, and each works once, within 72 hours/)).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Copy all' }));
    expect(await navigator.clipboard.readText()).toBe(
      'Ada Lovelace <ada@example.test>: https://gh.example/set-password?token=a1\nBob Builder <bob@example.test>: https://gh.example/set-password?token=b2',
    );
    await user.click(screen.getByRole('button', { name: 'Download as CSV' }));
    expect(saved.map((s) => s.name)).toEqual([LINKS_FILE]);
    expect(await saved[0].blob.text()).toBe(
      'name,email,link\r\nAda Lovelace,ada@example.test,https://gh.example/set-password?token=a1\r\nBob Builder,bob@example.test,https://gh.example/set-password?token=b2\r\n',
    );
  });

  it('with email set up, queues welcome emails unless told not to', async () => {
    const { calls } = serve({ jobs: [{ id: 'job-1', state: 'done', done: 2, total: 2, welcomeQueued: 2 }] });
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured onClose={() => {}} />);
    await pasteAndCheck(user);
    const welcome = (await screen.findByLabelText('Send each person a welcome email')) as HTMLInputElement;
    expect(welcome.checked).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Import 2 people' }));
    expect(await screen.findByText('2 welcome emails on the way.', undefined, { timeout: 3000 })).toBeTruthy();
    expect(screen.queryByRole('table', { name: 'Set-password links' })).toBeNull();
    const start = calls.filter((c) => c.method === 'POST')[1];
    expect(await start.json()).toEqual({ csv: CSV, dryRun: false, sendWelcome: true });
  });

  it('says why an import failed, with the rows at fault, and goes back to the CSV', async () => {
    serve({
      jobs: [
        {
          id: 'job-1',
          state: 'failed',
          done: 1,
          total: 2,
          error: { error: { code: 'conflict', message: 'Someone already uses bob@example.test.' } },
          report: { rows: [row(3, 'Bob Builder', [{ field: 'email', message: 'Someone already uses this email.' }])], valid: 1, invalid: 1 },
        },
      ],
    });
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    await pasteAndCheck(user);
    await user.click(await screen.findByRole('button', { name: 'Import 2 people' }));
    const alert = await screen.findByText('Someone already uses bob@example.test.', undefined, { timeout: 3000 });
    expect(alert.closest('[role="alert"]')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Rows of the CSV' });
    expect(within(table).getByText('email: Someone already uses this email.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Back to the CSV' }));
    expect((textarea() as HTMLTextAreaElement).value).toBe(CSV);
  });
});

describe('ImportUsersModal in Brazilian Portuguese', () => {
  beforeEach(() => setToken('tok'));
  afterEach(async () => {
    vi.restoreAllMocks();
    await i18n.changeLanguage('en');
  });

  it('checks the CSV and counts its rows in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve({ report: { ...faulty, valid: 0, invalid: 2 } });
    const user = userEvent.setup();
    renderWithProviders(<ImportUsersModal opened emailConfigured={false} onClose={() => {}} />);
    expect(await screen.findByRole('dialog', { name: 'Importar pessoas de um CSV' })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Ou cole o CSV aqui'), { target: { value: CSV } });
    await user.click(screen.getByRole('button', { name: 'Verificar' }));
    await screen.findByRole('table', { name: 'Linhas do CSV' });
    const counts = screen.getByLabelText('Resultado da verificação').textContent;
    expect(counts).toContain('2 linhas');
    expect(counts).toContain('0 prontas');
    expect(counts).toContain('2 com erros');
    expect(screen.getByText(/Corrija no seu arquivo as linhas marcadas em vermelho/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Importar' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
