import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type Task, type User } from '../../api/client';
import { setViewAs } from '../../api/viewAs';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { TaskDetail } from './TaskDrawer';
import { useTaskLookups } from './taskLookups';

const me: Me = makeMe({
  user: { name: 'Mia Manager', email: 'mia@example.test' },
  role: { id: 'pm', name: 'Project Manager', kind: 'internal' },
  permissions: [
    { key: 'projects.view', scope: 'all' },
    { key: 'tasks.view', scope: 'all' },
    { key: 'tasks.edit', scope: '' },
    { key: 'tasks.assign', scope: '' },
    { key: 'users.view', scope: 'staff' },
  ],
  nav: ['overview', 'projects', 'tasks', 'boards', 'users'],
});

function user(id: string, name: string): User {
  return { ...me.user, id, name, email: `${id}@example.test`, roleName: 'Staff', roleId: 'staff' };
}

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
  actions: ['edit', 'assign', 'comment'],
};

function Harness({ viewer = me }: { viewer?: Me }) {
  const lookups = useTaskLookups(viewer);
  return <TaskDetail taskId="t1" me={viewer} lookups={lookups} projectName={() => 'Alpha'} onDeleted={() => {}} />;
}

const person = (id: string, name: string, kind: 'internal' | 'client' = 'internal') => ({ id, name, kind });

const assigneeInput = async () => {
  await screen.findAllByLabelText('Assignee');
  return screen.getAllByLabelText('Assignee').find((el) => el.tagName === 'INPUT')!;
};

/** Save, once the preview of the change is in view (Save waits for it). */
async function saveWhenPreviewed() {
  await screen.findByText(/^Nobody gains or loses access/);
  await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
  await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
}

/** A what-if preview: nobody's access changes. */
const nothing = (version = 'v1') => ({ version, gained: 0, lost: 0, people: 0, truncated: false, changes: [] });

function serve(
  patch: (body: Record<string, unknown>) => { status: number; body: unknown },
  shown: Task = task,
  whatIf: (body: Record<string, unknown>) => unknown = () => nothing(),
) {
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'PATCH' && path === '/api/tasks/t1') return patch(await req.json());
    if (path === '/api/what-if') return { body: whatIf(await req.json()) };
    if (path === '/api/tasks/t1') return { body: shown };
    // The user list holds someone who is not on the project: the picker must not offer them.
    if (path === '/api/users')
      return { body: { items: [user('u-me', 'Mia Manager'), user('u-ned', 'Ned New'), user('u-out', 'Olga Outside')], next: null, total: 3 } };
    if (path === '/api/projects/p1/people')
      return { body: { items: [person('u-me', 'Mia Manager'), person('u-ned', 'Ned New'), person('u-cli', 'Cleo Client', 'client')], next: null } };
    if (path === '/api/people') return { status: 403, body: { error: { code: 'forbidden', message: 'Client (portal) accounts do not see the team directory.' } } };
    if (path === '/api/tasks/t1/followers') return { body: { items: [], next: null } };
    if (path === '/api/tasks/t1/comments') return { body: { items: [], next: null } };
    return { body: { items: [], next: null } };
  });
}

describe('TaskDetail', () => {
  it('is internal by default and says so with the "Visible to the client" switch', async () => {
    setToken('tok');
    serve(() => ({ status: 200, body: task }));
    renderWithProviders(<Harness />);
    const toggle = await screen.findByRole('switch', { name: /Visible to the client/ });
    expect((toggle as HTMLInputElement).checked).toBe(false);
    expect(screen.getByText('Internal')).toBeTruthy();
  });

  it('shows a 422 on the assignee field and above the form', async () => {
    setToken('tok');
    const { calls } = serve(() => ({
      status: 422,
      body: { error: { code: 'invalid', field: 'assigneeId', message: 'This person cannot see the project, so they cannot be assigned its tasks.' } },
    }));
    renderWithProviders(<Harness />);
    await userEvent.click(await assigneeInput());
    await userEvent.click(await screen.findByRole('option', { name: 'Ned New' }));
    await saveWhenPreviewed();

    const alert = await screen.findByRole('alert');
    expect(within(alert).getByText('Not saved')).toBeTruthy();
    expect(within(alert).getByText(/cannot be assigned its tasks/)).toBeTruthy();
    await waitFor(async () => expect(errorOf(await assigneeInput())).toMatch(/cannot be assigned/));
    const patch = calls.find((c) => c.method === 'PATCH')!;
    // Saved with the version of the preview of the new assignee.
    expect(await patch.json()).toEqual({ assigneeId: 'u-ned', expectVersion: 'v1' });
  });

  it('previews who gains the task before saving, and refreshes the preview when access moved meanwhile', async () => {
    setToken('tok');
    let version = 0;
    const gains = () => ({
      version: `v${++version}`,
      gained: 1,
      lost: 0,
      people: 1,
      truncated: false,
      changes: [{ userId: 'u-ned', userName: 'Ned New', type: 'task', id: 't1', name: 'Write copy', action: 'view', gained: true }],
    });
    let saves = 0;
    const { calls } = serve(
      () =>
        ++saves === 1
          ? { status: 409, body: { error: { code: 'stale_preview', message: 'Access changed since this preview was made.' } } }
          : { status: 200, body: { ...task, assigneeId: 'u-ned', assigneeName: 'Ned New' } },
      task,
      gains,
    );
    renderWithProviders(<Harness />);
    await userEvent.click(await assigneeInput());
    await userEvent.click(await screen.findByRole('option', { name: 'Ned New' }));
    const panel = await screen.findByRole('region', { name: 'What changes' });
    expect(await within(panel).findByText('1 person gains 1 access and loses 0 accesses')).toBeTruthy();
    expect(within(panel).getByText('gains “view” on task “Write copy”')).toBeTruthy();
    const asked = calls.find((c) => new URL(c.url).pathname === '/api/what-if')!;
    expect(await asked.json()).toEqual({ task: { id: 't1', assigneeId: 'u-ned' } });

    await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    // Refused as stale: nothing applied, the preview asked again, and said so.
    expect(await screen.findByText('Access changed meanwhile: check the new preview and save again.')).toBeTruthy();
    await waitFor(() => expect(calls.filter((c) => new URL(c.url).pathname === '/api/what-if')).toHaveLength(2));
    await waitFor(() => expect((screen.getByRole('button', { name: 'Save changes' }) as HTMLButtonElement).disabled).toBe(false));
    await userEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PATCH')).toHaveLength(2));
    const bodies = await Promise.all(calls.filter((c) => c.method === 'PATCH').map((c) => c.json()));
    expect(bodies).toEqual([
      { assigneeId: 'u-ned', expectVersion: 'v1' },
      { assigneeId: 'u-ned', expectVersion: 'v2' },
    ]);
  });

  it('shows a 403 clearly', async () => {
    setToken('tok');
    serve(() => ({ status: 403, body: { error: { code: 'task_type', message: 'You are not authorised to assign tasks of this type.' } } }));
    renderWithProviders(<Harness />);
    await userEvent.click(await assigneeInput());
    await userEvent.click(await screen.findByRole('option', { name: /Mia Manager/ }));
    await saveWhenPreviewed();
    expect(await screen.findByText('You are not authorised to assign tasks of this type.')).toBeTruthy();
  });

  it("offers the project's internal people as assignees, not clients or people off the project", async () => {
    setToken('tok');
    serve(() => ({ status: 200, body: task }));
    renderWithProviders(<Harness />);
    await userEvent.click(await assigneeInput());
    await screen.findByRole('option', { name: 'Ned New' });
    const names = screen.getAllByRole('option').map((o) => o.textContent);
    expect(names).toEqual(['Mia Manager (me)', 'Ned New']);
  });

  it('names the assignee for a portal user from the project people, without the user list', async () => {
    setToken('tok');
    const client: Me = {
      user: { ...me.user, id: 'u-cli', name: 'Cleo Client', roleKind: 'client', roleId: 'client', roleName: 'Client' },
      role: { id: 'client', name: 'Client', kind: 'client' },
      permissions: [
        { key: 'projects.view', scope: 'assigned' },
        { key: 'tasks.view', scope: 'all' },
      ],
      nav: [
        { key: 'overview', label: 'Overview' },
        { key: 'projects', label: 'Projects' },
        { key: 'tasks', label: 'Tasks' },
      ],
      emailConfigured: false,
      currency: 'EUR',
    };
    const { calls } = serve(() => ({ status: 200, body: task }), { ...task, clientVisible: true, assigneeId: 'u-ned', assigneeName: 'Ned New', actions: ['comment'] });
    renderWithProviders(<Harness viewer={client} />);
    expect(await screen.findByText('Ned New')).toBeTruthy();
    expect(screen.queryByText('Someone else')).toBeNull();
    const paths = calls.map((c) => new URL(c.url).pathname);
    expect(paths).not.toContain('/api/users');
    expect(paths).not.toContain('/api/people');
  });

  it('names the assignee from the task alone: a portal user asks for no people', async () => {
    setToken('tok');
    const client: Me = {
      ...me,
      user: { ...me.user, id: 'u-cli', name: 'Cleo Client', roleKind: 'client', roleId: 'client', roleName: 'Client' },
      role: { id: 'client', name: 'Client', kind: 'client' },
      permissions: [{ key: 'projects.view', scope: 'assigned' }],
    };
    const { calls } = serve(() => ({ status: 200, body: task }), {
      ...task,
      clientVisible: true,
      assigneeId: 'u-xena',
      assigneeName: 'Xena Extern',
      actions: ['comment'],
    });
    renderWithProviders(<Harness viewer={client} />);
    expect(await screen.findByText('Xena Extern')).toBeTruthy();
    const paths = calls.map((c) => new URL(c.url).pathname);
    expect(paths.filter((p) => p.includes('people') || p === '/api/users')).toEqual([]);
  });

  it('offers no change while viewing as someone', async () => {
    setToken('tok');
    setViewAs({ userId: 'u-ned', name: 'Ned New' });
    serve(() => ({ status: 200, body: task }));
    renderWithProviders(<Harness />);
    await screen.findByText('Homepage');
    expect(screen.queryByRole('button', { name: 'Save changes' })).toBeNull();
    expect(screen.queryByLabelText('Title')).toBeNull();
    expect(screen.queryByLabelText('Add a comment')).toBeNull();
    setViewAs(null);
  });
});

describe('TaskDetail in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('says every part of the task in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve(() => ({ status: 200, body: task }));
    renderWithProviders(<Harness />);
    expect(await screen.findByRole('switch', { name: /Visível ao cliente/ })).toBeTruthy();
    expect(screen.getByText('Projeto: Alpha')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Detalhes' })).toBeTruthy();
    expect(screen.getAllByLabelText('Responsável').length).toBeGreaterThan(0);
    expect(screen.getByRole('heading', { name: 'Seguidores' })).toBeTruthy();
    expect(await screen.findByText('Nenhum comentário ainda.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Salvar alterações' })).toBeTruthy();
    expect(screen.queryByText('Save changes')).toBeNull();
  });
});
