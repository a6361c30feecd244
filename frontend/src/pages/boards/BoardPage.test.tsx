import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Board, Me, Task } from '../../api/client';
import { setToken } from '../../api/client';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { workKeys } from '../../api/work';
import { BoardPage } from './BoardPage';

const me: Me = makeMe({
  permissions: [
    { key: 'projects.view', scope: 'assigned' },
    { key: 'tasks.view', scope: 'all' },
    { key: 'tasks.status', scope: '' },
  ],
  nav: ['overview', 'projects', 'tasks', 'boards'],
});

const board: Board = {
  id: 'b1',
  name: 'Sprint',
  visibility: 'invited',
  stages: [
    { id: 's-todo', name: 'To do', kind: 'open' },
    { id: 's-review', name: 'Client review', kind: 'review' },
    { id: 's-done', name: 'Done', kind: 'done' },
  ],
  access: [{ type: 'user', id: 'u-me', level: 'member' }],
  myLevel: 'member',
  actions: ['work'],
};

function task(id: string, title: string, stage: string, actions = ['status']): Task {
  return {
    id,
    projectId: 'p1',
    title,
    description: '',
    clientVisible: false,
    assigneeId: '',
    assigneeName: '',
    boardId: 'b1',
    stageId: stage,
    stage,
    typeId: '',
    dueDate: '',
    reviewState: '',
    followers: [],
    createdAt: '2026-01-01T00:00:00Z',
    actions,
  };
}

type Deferred = { resolve: (a: { status: number; body: unknown }) => void };

/** Serves the board page; PATCH /api/tasks/{id} waits until the test answers it. */
function serve(tasks: Task[]) {
  const patches: Deferred[] = [];
  const mock = mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'PATCH' && path.startsWith('/api/tasks/')) {
      return new Promise((resolve) => patches.push({ resolve }));
    }
    if (path === '/api/boards/b1') return { body: board };
    if (path === '/api/boards/b1/tasks') return { body: { items: tasks, next: null, total: tasks.length } };
    if (path === '/api/boards') return { body: { items: [board], next: null } };
    if (path === '/api/projects') return { body: { items: [], next: null, total: 0 } };
    if (path === '/api/task-types') return { body: { items: [], next: null } };
    return { status: 404, body: { error: { code: 'not_found', message: 'No such thing.' } } };
  });
  return { ...mock, patches };
}

const column = (name: string) => screen.getByRole('listitem', { name });

async function renderBoard(tasks: Task[]) {
  setToken('tok');
  const server = serve(tasks);
  const { client } = renderWithProviders(<BoardPage me={me} />, { route: '/boards/b1', path: '/boards/:id' });
  await screen.findByRole('listitem', { name: 'To do' });
  await within(column('To do')).findByText(tasks[0].title);
  return { ...server, client };
}

function drag(card: HTMLElement, to: HTMLElement) {
  fireEvent.dragStart(card);
  fireEvent.dragEnter(to);
  fireEvent.dragOver(to);
  fireEvent.drop(to);
  fireEvent.dragEnd(card);
}

describe('Kanban moves', () => {
  it('moves a dropped card at once and keeps it there when the server agrees', async () => {
    const server = await renderBoard([task('t1', 'Write copy', 's-todo'), task('t2', 'Logo', 's-todo')]);
    drag(screen.getByTestId('card-t1'), column('Client review'));

    // Optimistic: the card is in the new column before the server has answered.
    await waitFor(() => expect(within(column('Client review')).getByText('Write copy')).toBeTruthy());
    expect(within(column('To do')).queryByText('Write copy')).toBeNull();

    await waitFor(() => expect(server.patches).toHaveLength(1));
    const patch = server.calls.find((c) => c.method === 'PATCH')!;
    expect(new URL(patch.url).pathname).toBe('/api/tasks/t1');
    expect(await patch.json()).toEqual({ stageId: 's-review' });
    server.patches[0].resolve({ status: 200, body: task('t1', 'Write copy', 's-review') });

    await waitFor(() => expect(within(column('Client review')).getByText('Write copy')).toBeTruthy());
    expect(screen.queryByText(/could not move/)).toBeNull();
  });

  it('puts the card back and says why when the server refuses the move', async () => {
    const server = await renderBoard([task('t1', 'Write copy', 's-todo'), task('t2', 'Logo', 's-done')]);
    drag(screen.getByTestId('card-t1'), column('Done'));
    await waitFor(() => expect(within(column('Done')).getByText('Write copy')).toBeTruthy());

    await waitFor(() => expect(server.patches).toHaveLength(1));
    server.patches[0].resolve({
      status: 403,
      body: { error: { code: 'not_invited', message: 'Moving tasks on this board needs an invitation to it.' } },
    });

    await waitFor(() => expect(within(column('To do')).getByText('Write copy')).toBeTruthy());
    expect(within(column('Done')).queryByText('Write copy')).toBeNull();
    expect(await screen.findByText('"Write copy" could not move to Done')).toBeTruthy();
    expect(screen.getByText('Moving tasks on this board needs an invitation to it.')).toBeTruthy();
  });

  it('moves with the keyboard-accessible "Move to…" menu too', async () => {
    const server = await renderBoard([task('t1', 'Write copy', 's-todo')]);
    await userEvent.click(screen.getByRole('button', { name: 'Move Write copy to…' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Done' }));
    await waitFor(() => expect(within(column('Done')).getByText('Write copy')).toBeTruthy());
    await waitFor(() => expect(server.patches).toHaveLength(1));
    expect(await server.calls.find((c) => c.method === 'PATCH')!.json()).toEqual({ stageId: 's-done' });
    server.patches[0].resolve({ status: 422, body: { error: { code: 'invalid', field: 'stageId', message: 'That stage is not on the task\'s board.' } } });
    await waitFor(() => expect(within(column('To do')).getByText('Write copy')).toBeTruthy());
  });

  it('offers no move for a task whose actions lack status', async () => {
    const server = await renderBoard([task('t1', 'Read only', 's-todo', [])]);
    expect(screen.queryByRole('button', { name: 'Move Read only to…' })).toBeNull();
    expect(screen.getByTestId('card-t1').getAttribute('draggable')).toBe('false');
    drag(screen.getByTestId('card-t1'), column('Done'));
    expect(within(column('To do')).getByText('Read only')).toBeTruthy();
    expect(server.calls.some((c) => c.method === 'PATCH')).toBe(false);
  });

  it('costs one PATCH and at most one GET, with the board and the task updated from the answer', async () => {
    const server = await renderBoard([task('t1', 'Write copy', 's-todo'), task('t2', 'Logo', 's-todo')]);
    // Whatever the page asked for when it opened is done before the move.
    await new Promise((r) => setTimeout(r, 50));
    const before = server.calls.length;

    await userEvent.click(screen.getByRole('button', { name: 'Move Write copy to…' }));
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Done' }));
    await waitFor(() => expect(server.patches).toHaveLength(1));
    const moved = { ...task('t1', 'Write copy', 's-done'), reviewState: 'approved' as const };
    server.patches[0].resolve({ status: 200, body: moved });
    // The answer itself shows: the card carries what the server said.
    await waitFor(() => expect(within(column('Done')).getByText('Approved')).toBeTruthy());
    await new Promise((r) => setTimeout(r, 100));

    const after = server.calls.slice(before);
    expect(after.filter((c) => c.method === 'PATCH')).toHaveLength(1);
    expect(after.filter((c) => c.method === 'GET').length).toBeLessThanOrEqual(1);
    expect(after).toHaveLength(after.filter((c) => c.method === 'PATCH' || c.method === 'GET').length);
    // The task, if opened next, is the one the server answered.
    expect(server.client.getQueryData(workKeys.task('t1'))).toEqual(moved);
  });
});

describe('Kanban names', () => {
  it('shows the name each task carries, asking no people endpoint', async () => {
    const named = { ...task('t1', 'Write copy', 's-todo'), assigneeId: 'u-xena', assigneeName: 'Xena Extern' };
    const server = await renderBoard([named]);
    expect(within(screen.getByTestId('card-t1')).getByText('Xena Extern')).toBeTruthy();
    await new Promise((r) => setTimeout(r, 50));
    const paths = server.calls.map((c) => new URL(c.url).pathname);
    expect(paths.filter((p) => p === '/api/people' || p === '/api/users' || /^\/api\/projects\/[^/]+\/people$/.test(p))).toEqual([]);
  });
});

describe('BoardPage in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('names the board, its cards and a refused move in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    const server = await renderBoard([task('t1', 'Write copy', 's-todo'), { ...task('t2', 'Logo', 's-done'), dueDate: '2026-03-01' }]);
    expect(screen.getByText('Só convidados')).toBeTruthy();
    expect(screen.getByText('Você: membro')).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Quadro' })).toBeTruthy();
    expect(screen.getByRole('list', { name: 'Etapas de Sprint' })).toBeTruthy();
    expect(within(screen.getByTestId('card-t1')).getByText('Interna')).toBeTruthy();
    expect(within(screen.getByTestId('card-t2')).getByText(/^Vence em /)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Mover Write copy para…' }));
    expect(await screen.findByText('Mover para…')).toBeTruthy();
    await userEvent.click(await screen.findByRole('menuitem', { name: 'Done' }));
    await waitFor(() => expect(server.patches).toHaveLength(1));
    server.patches[0].resolve({ status: 403, body: { error: { code: 'not_invited', message: 'No.' } } });
    expect(await screen.findByText('Não foi possível mover "Write copy" para Done')).toBeTruthy();
  });
});
