import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me, type Task } from '../../api/client';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { makeMe } from '../../test/fixtures';
import { TaskList } from './TaskList';

const me: Me = makeMe({
  permissions: [
    { key: 'projects.view', scope: 'assigned' },
    { key: 'tasks.view', scope: 'all' },
  ],
  nav: ['overview', 'tasks'],
});

const task = (id: string, title: string, assigneeId: string, assigneeName: string): Task => ({
  id,
  projectId: 'p1',
  title,
  description: '',
  clientVisible: false,
  assigneeId,
  assigneeName,
  boardId: '',
  stageId: '',
  stage: '',
  typeId: '',
  dueDate: '',
  reviewState: '',
  followers: [],
  createdAt: '2026-01-01T00:00:00Z',
  actions: [],
});

describe('TaskList', () => {
  it('names each assignee as the task does, whoever the people directory lists', async () => {
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/tasks')
        return {
          body: {
            items: [task('t1', 'Write copy', 'u-xena', 'Xena Extern'), task('t2', 'Logo', '', '')],
            next: null,
            total: 2,
          },
        };
      // The directory does not know Xena (she is on another team's project).
      if (path === '/api/people') return { body: { items: [{ id: 'u-me', name: 'Sam Staff', kind: 'internal', active: true }], next: null } };
      return { body: { items: [], next: null, total: 0 } };
    });
    renderWithProviders(<TaskList me={me} />);
    const rows = await screen.findAllByTestId('task-row');
    expect(within(rows[0]).getByText('Xena Extern')).toBeTruthy();
    expect(within(rows[1]).getByText('Unassigned')).toBeTruthy();
  });

  it('asks for people only when the assignee filter is opened, and offers them there', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/tasks') return { body: { items: [task('t1', 'Write copy', '', '')], next: null, total: 1 } };
      if (path === '/api/people')
        return {
          body: {
            items: [
              { id: 'u-me', name: 'Sam Staff', kind: 'internal', active: true },
              { id: 'u-ned', name: 'Ned New', kind: 'internal', active: true },
            ],
            next: null,
          },
        };
      return { body: { items: [], next: null, total: 0 } };
    });
    renderWithProviders(<TaskList me={me} />);
    await screen.findAllByTestId('task-row');
    const asked = () => calls.filter((c) => new URL(c.url).pathname === '/api/people').length;
    expect(asked()).toBe(0);
    await userEvent.click(screen.getAllByLabelText('Assignee').find((el) => el.tagName === 'INPUT')!);
    expect(await screen.findByRole('option', { name: 'Ned New' })).toBeTruthy();
    expect(asked()).toBe(1);
  });

  it('offers deactivated people in the assignee filter, marked, and filters by them', async () => {
    setToken('tok');
    const { calls } = mockFetch((req) => {
      const url = new URL(req.url);
      if (url.pathname === '/api/tasks') {
        const byDee = url.searchParams.get('assigneeId') === 'u-dee';
        return { body: { items: [byDee ? task('t2', 'Old report', 'u-dee', 'Dee Gone') : task('t1', 'Write copy', '', '')], next: null, total: 1 } };
      }
      if (url.pathname === '/api/people')
        return {
          body: {
            items: [
              { id: 'u-dee', name: 'Dee Gone', kind: 'internal', active: false },
              { id: 'u-ned', name: 'Ned New', kind: 'internal', active: true },
            ],
            next: null,
          },
        };
      return { body: { items: [], next: null, total: 0 } };
    });
    const user = userEvent.setup();
    renderWithProviders(<TaskList me={me} />);
    await screen.findAllByTestId('task-row');
    await user.click(screen.getAllByLabelText('Assignee').find((el) => el.tagName === 'INPUT')!);
    await screen.findByRole('option', { name: 'Ned New' });
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toEqual(['Me', 'Ned New', 'Dee Gone (deactivated)']);
    const people = calls.filter((c) => new URL(c.url).pathname === '/api/people');
    expect(people.map((c) => new URL(c.url).searchParams.get('includeDeactivated'))).toEqual(['true']);

    await user.click(screen.getByRole('option', { name: 'Dee Gone (deactivated)' }));
    expect(await screen.findByText('Old report')).toBeTruthy();
  });
});

describe('TaskList in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('heads its table, counts and filters in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/tasks') return { body: { items: [task('t1', 'Write copy', '', ''), task('t2', 'Logo', '', '')], next: null, total: 2 } };
      return { body: { items: [], next: null, total: 0 } };
    });
    renderWithProviders(<TaskList me={me} />);
    const rows = await screen.findAllByTestId('task-row');
    expect(within(rows[0]).getByText('Sem responsável')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Título' })).toBeTruthy();
    expect(screen.getByText('2 tarefas')).toBeTruthy();
    expect(screen.getAllByLabelText('Responsável').length).toBeGreaterThan(0);
  });
});
