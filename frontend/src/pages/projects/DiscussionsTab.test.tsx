import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken, type Me, type Project } from '../../api/client';
import i18n from '../../i18n';
import type { Message, Thread, ThreadPerson } from '../../api/discussions';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { DiscussionsTab } from './DiscussionsTab';
import { ProjectDetailPage } from './ProjectDetailPage';

type Answer = { status?: number; body?: unknown };
type Perm = Me['permissions'][number];

const perm = (...keys: string[]): Perm[] => keys.map((key) => ({ key, scope: '' }));
const BASE = perm('projects.view', 'tasks.view', 'chat.discussions');

const staff = (...more: string[]) => makeMe({ permissions: [...BASE, ...perm(...more)], nav: ['overview', 'projects'] });
const client = () =>
  makeMe({
    user: { id: 'u-cleo', name: 'Cleo Client' },
    role: { id: 'client', name: 'Client', kind: 'client' },
    permissions: BASE,
    nav: ['overview', 'projects'],
  });

const project: Project = {
  id: 'p1',
  name: 'Website',
  description: '',
  status: 'active',
  members: ['u-me', 'u-dee'],
  teams: [],
  clients: ['u-cleo'],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions: [],
};
const archived: Project = { ...project, status: 'archived' };

const thread = (id: string, title: string, extra: Partial<Thread> = {}): Thread => ({
  id,
  projectId: 'p1',
  title,
  clientVisible: false,
  messages: 1,
  createdAt: '2026-02-01T10:00:00Z',
  lastMessageAt: '2026-02-01T10:00:00Z',
  ...extra,
});

const message = (seq: number, extra: Partial<Message> = {}): Message => ({
  id: `m${seq}`,
  threadId: 't-launch',
  seq,
  rev: seq,
  authorId: 'u-dee',
  authorName: 'Dee Designer',
  body: `Message ${seq}`,
  mentions: [],
  deleted: false,
  createdAt: `2026-02-03T09:${String(10 + seq).padStart(2, '0')}:00Z`,
  editedAt: null,
  mine: false,
  ...extra,
});

const person = (id: string, name: string, kind: ThreadPerson['kind'] = 'internal'): ThreadPerson => ({ id, name, kind, active: true });

const launch = thread('t-launch', 'Launch plan', { clientVisible: true, messages: 3, lastMessageAt: '2026-02-05T08:00:00Z' });
const budget = thread('t-budget', 'Budget', { messages: 2 });

const MESSAGES = [
  message(1, { mentions: ['u-me', 'u-gone'] }),
  message(2, { authorId: 'u-me', authorName: 'Sam Staff', body: 'Mine, edited', mine: true, editedAt: '2026-02-03T10:00:00Z' }),
  message(3, { authorId: 'u-me', authorName: 'Sam Staff', body: '', mine: true, deleted: true, editedAt: '2026-02-03T11:00:00Z' }),
];
const PEOPLE = [person('u-me', 'Sam Staff'), person('u-dee', 'Dee Designer'), person('u-cleo', 'Cleo Client', 'client')];

const err = (status: number, code: string, message: string, field?: string): Answer => ({
  status,
  body: { error: { code, message, ...(field ? { field } : {}) } },
});

/** The server: threads of p1, messages of t-launch by `after`, and `answer` for what a test decides. */
function serve({
  threads = [launch, budget],
  messages = MESSAGES,
  people = PEOPLE,
  answer,
}: {
  threads?: Thread[];
  messages?: Message[] | (() => Message[]);
  people?: ThreadPerson[];
  answer?: (req: Request, path: string) => Answer | Promise<Answer> | undefined;
} = {}) {
  setToken('tok');
  return mockFetch(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    const own = await answer?.(req, path);
    if (own) return own;
    if (path === '/api/projects/p1' && req.method === 'GET') return { body: project };
    if (path === '/api/projects/p1/threads' && req.method === 'GET') return { body: { items: threads, next: null } };
    if (path === '/api/projects/p1/threads' && req.method === 'POST') {
      const b = (await req.json()) as { title: string; clientVisible?: boolean };
      return { status: 201, body: thread('t-new', b.title, { clientVisible: !!b.clientVisible }) };
    }
    const th = threads.find((t) => path.startsWith(`/api/threads/${t.id}`));
    if (th && path === `/api/threads/${th.id}`) return { body: th };
    if (th && path.endsWith('/messages') && req.method === 'GET') {
      const changed = Number(url.searchParams.get('changed') ?? 0);
      const all = typeof messages === 'function' ? messages() : messages;
      const items = all.filter((m) => m.rev > changed).sort((a, b) => a.rev - b.rev);
      return { body: { items: items.slice(0, 100), next: null } };
    }
    if (th && path.endsWith('/messages') && req.method === 'POST') {
      const b = (await req.json()) as { body: string; mentions: string[] };
      return { status: 201, body: message(99, { ...b, authorId: 'u-me', authorName: 'Sam Staff', mine: true }) };
    }
    if (th && path.endsWith('/people')) return { body: { items: people, next: null } };
    if (th && path.endsWith('/access'))
      return { body: { items: [{ userId: 'u-cleo', name: 'Cleo Client', roleName: 'Client', paths: [{ kind: 'shared', removable: false }] }] } };
    if (path.startsWith('/api/messages/') && req.method === 'PATCH') {
      const b = (await req.json()) as { body: string };
      const m = MESSAGES.find((x) => x.id === path.split('/')[3])!;
      return { body: { ...m, body: b.body, editedAt: '2026-02-06T10:00:00Z' } };
    }
    if (path.startsWith('/api/messages/') && req.method === 'DELETE') return { status: 204 };
    if (path === '/api/users') return { body: { items: [], next: null, total: 0 } };
    return err(404, 'not_found', `Nothing at ${path}.`);
  });
}

const pathOf = (c: Request) => new URL(c.url).pathname;
const changes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${pathOf(c)}`);
const messageEl = (seq: number) => screen.getByTestId(`message-m${seq}`);

function renderTab(me: Me, p: Project = project, route = '/projects/p1') {
  return renderWithProviders(<DiscussionsTab me={me} project={p} />, { route, path: '/projects/:id' });
}

afterEach(() => {
  vi.useRealTimers();
  act(() => notifications.clean());
});

describe('DiscussionsTab list', () => {
  it('lists discussions in the server order with their badge, message count and last activity', async () => {
    serve();
    renderTab(staff());
    const table = await screen.findByRole('table', { name: 'Discussions' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('td')!.textContent)).toEqual(['Launch planShared with client', 'BudgetInternal']);
    expect(within(rows[0]).getByText('3')).toBeTruthy();
    expect(rows[0].querySelector('time')!.getAttribute('dateTime')).toBe('2026-02-05T08:00:00Z');
    expect(screen.getByRole('button', { name: 'New discussion' })).toHaveProperty('disabled', false);
  });

  it('opens a discussion from the keyboard (Tab to its title, Enter)', async () => {
    serve();
    renderTab(staff());
    await screen.findByRole('table', { name: 'Discussions' });
    await userEvent.tab(); // New discussion
    await userEvent.tab(); // the first title
    expect(document.activeElement?.textContent).toBe('Launch plan');
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Launch plan' })).toBeTruthy();
    expect(await screen.findByText('Message 1')).toBeTruthy();
    // Back to the list: the discussion just read has the focus again.
    await userEvent.click(screen.getByRole('button', { name: 'All discussions' }));
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Launch plan'));
  });

  it('shows a client no badge: every discussion they see is shared', async () => {
    serve({ threads: [launch] });
    renderTab(client());
    const table = await screen.findByRole('table', { name: 'Discussions' });
    expect(within(table).queryByText('Shared with client')).toBeNull();
    expect(within(table).queryByText('Internal')).toBeNull();
  });

  it('says what to do next when there is no discussion yet', async () => {
    serve({ threads: [] });
    renderTab(staff());
    expect(await screen.findByText('No discussions yet')).toBeTruthy();
    expect(screen.getByText(/Start one to talk with the team, or with the client/)).toBeTruthy();
  });

  it('tells a client the same in their words', async () => {
    serve({ threads: [] });
    renderTab(client());
    expect(await screen.findByText('No discussions yet')).toBeTruthy();
    expect(screen.getByText('Start one to talk with the team: use New discussion.')).toBeTruthy();
  });

  it('offers no writing in an archived project, and says why', async () => {
    serve();
    renderTab(staff(), archived);
    const button = await screen.findByRole('button', { name: 'New discussion' });
    expect(button).toHaveProperty('disabled', true);
    const note = document.getElementById(button.getAttribute('aria-describedby')!)!;
    expect(note.textContent).toMatch(/This project is archived.*Reopen the project to write/);
    await userEvent.click(await screen.findByRole('button', { name: 'Launch plan' }));
    await screen.findByText('Message 1');
    expect(screen.queryByRole('textbox', { name: /Message/ })).toBeNull();
    expect(screen.getByText(/This project is archived/)).toBeTruthy();
    // Its messages are read only too: one's own offer no Edit or Delete.
    await screen.findByText('Mine, edited');
    expect(screen.queryByRole('button', { name: /^Edit/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Delete/ })).toBeNull();
  });

  it('asks for the thread list again every 10 seconds', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const { calls } = serve();
    renderTab(staff());
    await screen.findByRole('table', { name: 'Discussions' });
    const lists = () => calls.filter((c) => pathOf(c) === '/api/projects/p1/threads').length;
    expect(lists()).toBe(1);
    await act(() => vi.advanceTimersByTimeAsync(10_000));
    await waitFor(() => expect(lists()).toBe(2));
  });
});

describe('DiscussionsTab new discussion', () => {
  it("puts the server's 422 on its field, then starts an internal discussion and opens it", async () => {
    let refuse = true;
    const { calls } = serve({
      threads: [launch, budget, thread('t-new', 'Kick-off')],
      answer: (req, path) =>
        req.method === 'POST' && path === '/api/projects/p1/threads' && refuse
          ? ((refuse = false), err(422, 'invalid', 'The title is one line, without direction overrides or invisible characters.', 'title'))
          : undefined,
    });
    renderTab(staff());
    await userEvent.click(await screen.findByRole('button', { name: 'New discussion' }));
    const dialog = await screen.findByRole('dialog', { name: 'New discussion' });
    const title = within(dialog).getByRole('textbox', { name: 'Title' });
    const visible = within(dialog).getByRole('checkbox', { name: "Visible to the project's clients" });
    expect((visible as HTMLInputElement).checked).toBe(false);
    await userEvent.type(title, 'Kick\u202Eoff');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /First message/ }), 'Hello team');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start discussion' }));
    await waitFor(() => expect(errorOf(title)).toBe('The title is one line, without direction overrides or invisible characters.'));

    await userEvent.clear(title);
    await userEvent.type(title, 'Kick-off');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start discussion' }));
    expect(await screen.findByText('Started the discussion “Kick-off”.')).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(await posts[1].json()).toEqual({ title: 'Kick-off', body: 'Hello team', clientVisible: false });
    // The new discussion opens.
    expect(await screen.findByRole('heading', { name: 'Kick-off' })).toBeTruthy();
  });

  it('checks the title and the message before asking the server', async () => {
    const { calls } = serve();
    renderTab(staff());
    await userEvent.click(await screen.findByRole('button', { name: 'New discussion' }));
    const dialog = await screen.findByRole('dialog', { name: 'New discussion' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start discussion' }));
    expect(errorOf(within(dialog).getByRole('textbox', { name: 'Title' }))).toBe('Enter a title.');
    expect(errorOf(within(dialog).getByRole('textbox', { name: /First message/ }))).toBe('Write the first message.');
    expect(changes(calls)).toEqual([]);
  });

  it('shares it with clients when ticked', async () => {
    const { calls } = serve();
    renderTab(staff());
    await userEvent.click(await screen.findByRole('button', { name: 'New discussion' }));
    const dialog = await screen.findByRole('dialog', { name: 'New discussion' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'For the client');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /First message/ }), 'Hello');
    await userEvent.click(within(dialog).getByRole('checkbox', { name: "Visible to the project's clients" }));
    // Ctrl+Enter in the message starts it.
    await userEvent.type(within(dialog).getByRole('textbox', { name: /First message/ }), '{Control>}{Enter}{/Control}');
    await screen.findByText('Started the discussion “For the client”.');
    expect(await calls.find((c) => c.method === 'POST')!.json()).toEqual({ title: 'For the client', body: 'Hello', clientVisible: true });
  });

  it('gives a client no "Visible to clients" checkbox: theirs are always shared', async () => {
    const { calls } = serve();
    renderTab(client());
    await userEvent.click(await screen.findByRole('button', { name: 'New discussion' }));
    const dialog = await screen.findByRole('dialog', { name: 'New discussion' });
    expect(within(dialog).queryByRole('checkbox')).toBeNull();
    expect(within(dialog).getByText("The project's team sees this discussion and can answer it.")).toBeTruthy();
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'A question');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /First message/ }), 'When is the launch?');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start discussion' }));
    await screen.findByText('Started the discussion “A question”.');
    expect(await calls.find((c) => c.method === 'POST')!.json()).toEqual({ title: 'A question', body: 'When is the launch?' });
  });

  it("shows the server's 409 for an archived project above the form", async () => {
    serve({
      answer: (req) =>
        req.method === 'POST' ? err(409, 'archived', 'This project is archived; reopen it to write in its discussions.') : undefined,
    });
    renderTab(staff());
    await userEvent.click(await screen.findByRole('button', { name: 'New discussion' }));
    const dialog = await screen.findByRole('dialog', { name: 'New discussion' });
    await userEvent.type(within(dialog).getByRole('textbox', { name: 'Title' }), 'Late');
    await userEvent.type(within(dialog).getByRole('textbox', { name: /First message/ }), 'Hello');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Start discussion' }));
    expect(await within(dialog).findByText('This project is archived; reopen it to write in its discussions.')).toBeTruthy();
  });
});

describe('DiscussionsTab a discussion', () => {
  const openLaunch = async (me: Me = staff()) => {
    renderTab(me, project, '/projects/p1?thread=t-launch');
    await screen.findByText('Message 1');
  };

  it('shows messages oldest first with author, time, edited marker and deleted ones dimmed', async () => {
    serve({ messages: [...MESSAGES].reverse() });
    await openLaunch();
    const log = screen.getByRole('log', { name: 'Messages of Launch plan' });
    const items = within(log).getAllByRole('listitem');
    expect(items.map((i) => i.getAttribute('data-testid'))).toEqual(['message-m1', 'message-m2', 'message-m3']);
    expect(within(items[0]).getByText('Dee Designer')).toBeTruthy();
    expect(items[0].querySelector('time')!.getAttribute('dateTime')).toBe('2026-02-03T09:11:00Z');
    expect(within(items[0]).queryByText('(edited)')).toBeNull();
    expect(within(items[1]).getByText('(edited)')).toBeTruthy();
    expect(within(items[2]).getByText('Message deleted')).toBeTruthy();
    expect(within(items[2]).queryByText('(edited)')).toBeNull();
    expect(screen.getByRole('heading', { name: 'Launch plan' })).toBeTruthy();
    expect(screen.getByText('Shared with client')).toBeTruthy();
  });

  it("offers Edit and Delete on one's own messages only, and none on a deleted one", async () => {
    serve();
    await openLaunch();
    expect(within(messageEl(1)).queryByRole('button', { name: /Edit/ })).toBeNull();
    expect(within(messageEl(1)).queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(within(messageEl(2)).getByRole('button', { name: /^Edit your message/ })).toBeTruthy();
    expect(within(messageEl(2)).getByRole('button', { name: /^Delete your message/ })).toBeTruthy();
    expect(within(messageEl(3)).queryByRole('button')).toBeNull();
  });

  it('names the mentioned people from the discussion’s people, and nobody it does not name', async () => {
    serve();
    await openLaunch();
    await waitFor(() => expect(within(messageEl(1)).getByText('@Sam Staff')).toBeTruthy());
    const mentioned = within(messageEl(1)).getByLabelText('Mentioned');
    expect(within(mentioned).getAllByText(/^@/).map((b) => b.textContent)).toEqual(['@Sam Staff']);
  });

  it('edits inline and saves with the server’s answer', async () => {
    const { calls } = serve();
    await openLaunch();
    await userEvent.click(within(messageEl(2)).getByRole('button', { name: /^Edit/ }));
    const box = within(messageEl(2)).getByRole('textbox', { name: /Edit your message/ });
    expect((box as HTMLTextAreaElement).value).toBe('Mine, edited');
    await userEvent.clear(box);
    await userEvent.type(box, 'Mine, edited twice');
    await userEvent.click(within(messageEl(2)).getByRole('button', { name: 'Save' }));
    expect(await within(messageEl(2)).findByText('Mine, edited twice')).toBeTruthy();
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(pathOf(patch)).toBe('/api/messages/m2');
    expect(await patch.json()).toEqual({ body: 'Mine, edited twice' });
  });

  it('deletes only after confirming, and keeps its place as “Message deleted”', async () => {
    const { calls } = serve();
    await openLaunch();
    await userEvent.click(within(messageEl(2)).getByRole('button', { name: /^Delete/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Delete your message?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(changes(calls)).toEqual([]);
    await userEvent.click(within(messageEl(2)).getByRole('button', { name: /^Delete/ }));
    dialog = await screen.findByRole('dialog', { name: 'Delete your message?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(messageEl(2)).getByText('Message deleted')).toBeTruthy());
    expect(within(messageEl(2)).queryByText('Mine, edited')).toBeNull();
    expect(changes(calls)).toEqual(['DELETE /api/messages/m2']);
  });

  it('offers to mention only the people of /people (not oneself), and sends them', async () => {
    const { calls } = serve({ people: [person('u-me', 'Sam Staff'), person('u-dee', 'Dee Designer'), person('u-cleo', 'Cleo Client', 'client')] });
    await openLaunch();
    const picker = screen.getAllByLabelText('Mention').find((el) => el.tagName === 'INPUT')!;
    await waitFor(() => expect((picker as HTMLInputElement).disabled).toBe(false));
    await userEvent.click(picker);
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Cleo Client', 'Dee Designer']);
    // From the discussion's own people, never another list of people.
    const lists = calls.map(pathOf).filter((p) => p.includes('people') || p === '/api/users');
    expect([...new Set(lists)]).toEqual(['/api/threads/t-launch/people']);
    await userEvent.click(screen.getByRole('option', { name: 'Dee Designer' }));
    const box = screen.getByRole('textbox', { name: /^Message/ });
    await userEvent.type(box, 'Line one{Enter}line two');
    // Enter alone made a new line and sent nothing.
    expect(changes(calls)).toEqual([]);
    await userEvent.type(box, '{Control>}{Enter}{/Control}');
    await waitFor(() => expect(changes(calls)).toEqual(['POST /api/threads/t-launch/messages']));
    expect(await calls.find((c) => c.method === 'POST')!.json()).toEqual({ body: 'Line one\nline two', mentions: ['u-dee'] });
    // The sent message shows at once, and the composer is empty again.
    expect(await screen.findByText(/Line one/)).toBeTruthy();
    await waitFor(() => expect((box as HTMLTextAreaElement).value).toBe(''));
  });

  it("puts the server's refusal of a mention on the picker", async () => {
    serve({
      answer: (req) =>
        req.method === 'POST' ? err(422, 'invalid', 'Mention only people who can see this discussion.', 'mentions') : undefined,
    });
    await openLaunch();
    await userEvent.type(screen.getByRole('textbox', { name: /^Message/ }), 'Hi');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const picker = screen.getAllByLabelText('Mention').find((el) => el.tagName === 'INPUT')!;
    await waitFor(() => expect(errorOf(picker)).toBe('Mention only people who can see this discussion.'));
  });

  it('polls for messages changed after the last revision every 3 seconds: new ones, edits and deletions, without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let all = [message(1), message(2)];
    const { calls } = serve({ messages: () => all });
    renderTab(staff(), project, '/projects/p1?thread=t-launch');
    await screen.findByText('Message 2');
    const asked = () => calls.filter((c) => pathOf(c) === '/api/threads/t-launch/messages').map((c) => new URL(c.url).searchParams.get('changed'));
    expect(asked()).toEqual(['0']);
    all = [...all, message(3, { authorName: 'Cleo Client', body: 'A reply from the client' })];
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(await screen.findByText('A reply from the client')).toBeTruthy();
    expect(asked()).toEqual(['0', '2']);
    // Someone edits message 1 and deletes message 2: both keep their place, changed.
    all = [message(1, { rev: 4, body: 'Message 1, edited', editedAt: '2026-02-01T11:00:00Z' }), message(2, { rev: 5, body: '', deleted: true }), all[2]];
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(await screen.findByText('Message 1, edited')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Message 2')).toBeNull());
    expect(asked()).toEqual(['0', '2', '3']);
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    await waitFor(() => expect(asked()).toEqual(['0', '2', '3', '5']));
  });

  it('asks for the next page at once when a page is full', async () => {
    const many = Array.from({ length: 150 }, (_, i) => message(i + 1));
    const { calls } = serve({ messages: many });
    renderTab(staff(), project, '/projects/p1?thread=t-launch');
    expect(await screen.findByText('Message 150')).toBeTruthy();
    const asked = calls.filter((c) => pathOf(c) === '/api/threads/t-launch/messages').map((c) => new URL(c.url).searchParams.get('changed'));
    expect(asked).toEqual(['0', '100']);
  });

  it('says a discussion one cannot see does not exist', async () => {
    serve({ threads: [launch] });
    renderTab(client(), project, '/projects/p1?thread=t-budget');
    expect(await screen.findByText('This discussion does not exist, or you cannot see it.')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Back to all discussions' }));
    expect(await screen.findByRole('table', { name: 'Discussions' })).toBeTruthy();
  });

  it('shows who can see it to the team with users.view only', async () => {
    serve();
    await openLaunch(staff('users.view'));
    const toggle = screen.getByRole('button', { name: 'Who can see this discussion' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    await userEvent.click(toggle);
    const table = await screen.findByRole('table', { name: 'Access to this discussion' });
    expect(within(table).getByText('Cleo Client')).toBeTruthy();
    expect(within(table).getByText('Shared with clients')).toBeTruthy();
  });

  it('offers no access section without users.view, nor to a client', async () => {
    const { calls } = serve();
    await openLaunch(staff());
    expect(screen.queryByRole('button', { name: 'Who can see this discussion' })).toBeNull();
    expect(calls.some((c) => pathOf(c).endsWith('/access'))).toBe(false);
  });
});

describe('DiscussionsTab in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('lists discussions and checks a new one in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderTab(staff());
    const table = await screen.findByRole('table', { name: 'Discussões' });
    expect(within(table).getByRole('columnheader', { name: 'Última atividade' })).toBeTruthy();
    expect(within(table).getByText('Compartilhada com o cliente')).toBeTruthy();
    expect(within(table).getByText('Interna')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Nova discussão' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nova discussão' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Iniciar discussão' }));
    expect(errorOf(within(dialog).getByRole('textbox', { name: 'Título' }))).toBe('Digite um título.');
    expect(errorOf(within(dialog).getByRole('textbox', { name: /Primeira mensagem/ }))).toBe('Escreva a primeira mensagem.');
    expect(within(dialog).getByRole('checkbox', { name: /Visível aos clientes do projeto/ })).toBeTruthy();
  });

  it('shows a discussion, its mentions and the composer in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderTab(staff(), project, '/projects/p1?thread=t-launch');
    await screen.findByText('Message 1');
    expect(screen.getByRole('log', { name: 'Mensagens de Launch plan' })).toBeTruthy();
    expect(screen.getByText('A equipe do projeto e seus clientes veem esta discussão.')).toBeTruthy();
    expect(screen.getByRole('navigation', { name: 'Caminho da discussão' })).toBeTruthy();
    await waitFor(() => expect(within(messageEl(1)).getByLabelText('Mencionados')).toBeTruthy());
    expect(screen.getByRole('form', { name: 'Escrever uma mensagem' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeTruthy();
  });

  it('says in Portuguese why an archived project takes no new discussion', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderTab(staff(), archived);
    expect(await screen.findByText(/Este projeto está arquivado/)).toBeTruthy();
  });
});

describe('ProjectDetailPage Discussions tab', () => {
  const page = (me: Me, route = '/projects/p1') => {
    serve();
    renderWithProviders(<ProjectDetailPage me={me} />, { route, path: '/projects/:id' });
  };

  it('is there with chat.discussions, for the team and for clients', async () => {
    page(client());
    await userEvent.click(await screen.findByRole('tab', { name: 'Discussions' }));
    expect(await screen.findByRole('table', { name: 'Discussions' })).toBeTruthy();
  });

  it('is not there without it', async () => {
    page(makeMe({ permissions: perm('projects.view', 'tasks.view'), nav: ['overview', 'projects'] }));
    await screen.findByRole('tab', { name: /Tasks/ });
    expect(screen.queryByRole('tab', { name: 'Discussions' })).toBeNull();
  });

  it('opens on the discussion a link names', async () => {
    page(staff(), '/projects/p1?thread=t-launch');
    expect(await screen.findByRole('heading', { name: 'Launch plan' })).toBeTruthy();
    expect(screen.getByRole('tab', { name: 'Discussions' }).getAttribute('aria-selected')).toBe('true');
  });
});
