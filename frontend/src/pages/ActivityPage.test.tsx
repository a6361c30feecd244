import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { setToken, type AuditEntry } from '../api/client';
import i18n from '../i18n';
import { mockFetch, renderWithProviders } from '../test/render';
import { ActivityPage } from './ActivityPage';

const catalog = {
  kinds: ['sign_in', 'user', 'task', 'file'],
  actions: [
    { action: 'session.create', kind: 'sign_in' },
    { action: 'session.fail', kind: 'sign_in' },
    { action: 'user.create', kind: 'user' },
    { action: 'task.create', kind: 'task' },
    { action: 'task.move', kind: 'task' },
    { action: 'task.update', kind: 'task' },
    { action: 'file.upload', kind: 'file' },
  ],
};

const people = { items: [{ id: 'u-ada', name: 'Ada King', kind: 'internal', active: true }, { id: 'u-ola', name: 'Olivia Owner', kind: 'internal', active: true }], next: null };

const entry = (id: string, action: string, more: Partial<AuditEntry> = {}): AuditEntry => ({
  id,
  at: '2026-11-30T10:00:00Z',
  action,
  kind: catalog.actions.find((a) => a.action === action)?.kind ?? '',
  actorId: 'u-ada',
  actorName: 'Ada King',
  targetType: 'task',
  targetId: 't1',
  targetName: 'Poster',
  details: {},
  ...more,
});

const ENTRIES: AuditEntry[] = [
  entry('5', 'task.move', {
    details: { stage: { from: 'To do', to: 'In progress' }, board: { from: { type: 'board', id: 'b1', name: 'Flow' }, to: { type: 'board', id: 'b2', name: 'Launch' } } },
  }),
  entry('4', 'task.update', {
    details: { assignee: { from: '', to: { type: 'user', id: 'u-bob', name: 'Bob Builder' } }, descriptionEdited: true, title: { from: 'Flyer', to: 'Poster' } },
  }),
  entry('3', 'session.create', {
    targetType: 'user',
    targetId: 'u-ada',
    targetName: 'Ada King',
    address: '10.0.0.4',
    details: { method: 'password' },
    group: { count: 4, firstAt: '2026-11-30T08:00:00Z', addresses: ['10.0.0.1', '10.0.0.4'] },
  }),
  entry('2', 'user.create', { targetType: 'user', targetId: 'u-bob', targetName: 'Bob Builder', details: { members: [{ type: 'user', id: 'x', name: '' }] } }),
];

/** Serves the log (items answered by `log` for each request's filters), the catalog and the people. */
function serve(log: (q: URLSearchParams) => AuditEntry[] = () => ENTRIES) {
  return mockFetch((req) => {
    const url = new URL(req.url);
    if (url.pathname === '/api/audit/actions') return { body: catalog };
    if (url.pathname === '/api/audit/people') return { body: people };
    if (url.pathname === '/api/audit.csv') return { text: 'at,actor,action,code\r\n', headers: { 'Content-Type': 'text/csv' } };
    if (url.pathname === '/api/audit') return { body: { items: log(url.searchParams), next: null } };
    return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
  });
}

const audits = (calls: Request[]) => calls.filter((c) => new URL(c.url).pathname === '/api/audit').map((c) => new URL(c.url).searchParams);
const last = (calls: Request[]) => audits(calls).at(-1)!;
/** A Select's text input (its listbox carries the same label). */
const select = (label: string) => screen.getAllByLabelText(label).find((el) => el.tagName === 'INPUT')!;
const rows = () => screen.getAllByTestId('activity-row');

describe('ActivityPage', () => {
  beforeEach(() => setToken('tok'));
  afterEach(() => {
    cleanup();
    setToken(null);
    vi.useRealTimers();
  });

  it('says what happened in words: names, from → to, a day of sign-ins as one line', async () => {
    serve();
    renderWithProviders(<ActivityPage />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const [move, update, signIns, created] = rows();
    expect(within(move).getByText('Moved a task')).toBeTruthy();
    expect(within(move).getByText('task.move')).toBeTruthy(); // the code, beneath
    expect(within(move).getByText(/To do → In progress/)).toBeTruthy();
    expect(within(move).getByText(/Flow → Launch/)).toBeTruthy();
    expect(within(update).getByText('Edited a task')).toBeTruthy();
    expect(within(update).getByText(/Flyer → Poster/)).toBeTruthy();
    expect(within(update).getByText('Assignee:').parentElement!.textContent).toBe('Assignee: — → Bob Builder');
    expect(within(update).getByText('Description edited:').parentElement!.textContent).toBe('Description edited: yes');
    expect(within(signIns).getByText('Signed in 4 times')).toBeTruthy();
    expect(within(signIns).getByText('10.0.0.1, 10.0.0.4')).toBeTruthy();
    expect(within(signIns).getByText(/^first at .*, last at /)).toBeTruthy();
    expect(within(created).getByText('(not shown)')).toBeTruthy();
    expect(within(created).getByText('person')).toBeTruthy(); // the target's type, in words
    expect(screen.queryByText(/\{"/)).toBeNull(); // no JSON anywhere
  });

  it('filters by kind, action, person, target and days, kept in the address', async () => {
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<ActivityPage />);
    await waitFor(() => expect(rows()).toHaveLength(4));

    await user.click(select('Kind'));
    await user.click(await screen.findByRole('option', { name: 'Tasks' }));
    await waitFor(() => expect(last(calls).get('kind')).toBe('task'));
    // The action picker now offers the task actions, in words.
    await user.click(select('Action'));
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Created a task', 'Moved a task', 'Edited a task']);
    await user.click(screen.getByRole('option', { name: 'Moved a task' }));
    await waitFor(() => expect(last(calls).get('action')).toBe('task.move'));

    await user.click(select('Who'));
    await user.click(await screen.findByRole('option', { name: 'Olivia Owner' }));
    await waitFor(() => expect(last(calls).get('actorId')).toBe('u-ola'));

    await user.type(screen.getByLabelText('From'), '2026-11-01');
    await user.type(screen.getByLabelText('To'), '2026-11-30');
    await waitFor(() => expect(last(calls).get('from')).toBe('2026-11-01'));
    expect(last(calls).get('to')).toBe('2026-11-30');

    await user.type(screen.getByLabelText('Target'), 'poster');
    await waitFor(() => expect(last(calls).get('target')).toBe('poster'));
    await user.type(screen.getByLabelText('Search'), 'ada');
    await waitFor(() => expect(last(calls).get('q')).toBe('ada'));

    // A target's name picks that one thing.
    await user.click(within(rows()[0]).getByRole('button', { name: 'Poster' }));
    await waitFor(() => expect(last(calls).get('targetId')).toBe('t1'));
    expect(screen.getByText('Only Poster')).toBeTruthy();

    // Clearing takes every filter off at once.
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect([...last(calls).keys()].sort()).toEqual(['limit']));
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('');
    expect((select('Kind') as HTMLInputElement).value).toBe('');
  });

  it('reads its filters from the address, and says what to do when nothing matches', async () => {
    const { calls } = serve((q) => (q.get('kind') ? [] : ENTRIES));
    const user = userEvent.setup();
    renderWithProviders(<ActivityPage />, { route: '/activity?kind=file&actorId=u-ada', path: '/activity' });
    expect(await screen.findByText('No activity matches these filters')).toBeTruthy();
    expect(audits(calls)[0].get('kind')).toBe('file');
    expect(audits(calls)[0].get('actorId')).toBe('u-ada');
    await waitFor(() => expect((select('Kind') as HTMLInputElement).value).toBe('Files'));
    expect((select('Who') as HTMLInputElement).value).toBe('Ada King');
    const clear = screen.getAllByRole('button', { name: 'Clear filters' });
    await user.click(clear[clear.length - 1]);
    await waitFor(() => expect(rows()).toHaveLength(4));
  });

  it('exports what the filters select as the server’s CSV', async () => {
    const { calls } = serve();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ActivityPage />, { route: '/activity?kind=task&from=2026-11-01', path: '/activity' });
    await waitFor(() => expect(rows()).toHaveLength(4));
    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    const csv = calls.find((c) => new URL(c.url).pathname === '/api/audit.csv')!;
    expect(Object.fromEntries(new URL(csv.url).searchParams)).toEqual({ kind: 'task', from: '2026-11-01' });
    click.mockRestore();
  });
});

describe('ActivityPage in Brazilian Portuguese', () => {
  beforeEach(async () => {
    setToken('tok');
    await i18n.changeLanguage('pt-BR');
  });
  afterEach(async () => {
    cleanup();
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('says the actions, kinds and changes in Portuguese', async () => {
    serve();
    const user = userEvent.setup();
    renderWithProviders(<ActivityPage />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const [move, update, signIns] = rows();
    expect(within(move).getByText('Moveu uma tarefa')).toBeTruthy();
    expect(within(move).getByText('Etapa:')).toBeTruthy();
    expect(within(update).getByText('Descrição editada:').parentElement!.textContent).toBe('Descrição editada: sim');
    expect(within(signIns).getByText('Entrou 4 vezes')).toBeTruthy();
    await user.click(select('Tipo'));
    expect(await screen.findByRole('option', { name: 'Tarefas' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'Entrada e segurança' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Exportar CSV' })).toBeTruthy();
    await act(async () => {});
  });
});
