import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken } from '../../api/client';
import type { ChatChannel, ChatMessage, ChatOverview, ChatPerson } from '../../api/chat';
import { setViewAs } from '../../api/viewAs';
import i18n from '../../i18n';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { ChatPage } from './ChatPage';

type Answer = { status?: number; body?: unknown };

const me = makeMe({
  permissions: [
    { key: 'chat.team', scope: '' },
    { key: 'chat.direct', scope: '' },
  ],
  nav: ['overview'],
});

const channel = (id: string, kind: ChatChannel['kind'], name: string, extra: Partial<ChatChannel> = {}): ChatChannel => ({
  id,
  kind,
  name,
  canPost: true,
  lastSeq: 0,
  readSeq: 0,
  unread: 0,
  lastMessageAt: null,
  ...extra,
});

const EVERYONE = channel('everyone', 'everyone', 'Everyone', { lastSeq: 3, readSeq: 1, unread: 2, lastMessageAt: '2026-02-03T09:13:00Z' });
const DESIGN = channel('team:t-design', 'team', 'Design', { teamId: 't-design' });
const DEE = channel('dm:u-dee:u-me', 'direct', 'Dee Designer', { userId: 'u-dee', lastSeq: 3, unread: 3, lastMessageAt: '2026-02-05T08:00:00Z' });
const ANN = channel('dm:u-ann:u-me', 'direct', 'Ann Archer', { userId: 'u-ann', lastSeq: 1, readSeq: 1, lastMessageAt: '2026-02-01T08:00:00Z' });
const ZED = channel('dm:u-me:u-zed', 'direct', 'Zed Former', { userId: 'u-zed', canPost: false, lastSeq: 1, readSeq: 1, lastMessageAt: '2026-01-01T08:00:00Z' });
const person = (id: string, name: string): ChatPerson => ({ id, name, kind: 'internal', active: true });
const PEOPLE = [person('u-ann', 'Ann Archer'), person('u-dee', 'Dee Designer'), person('u-pat', 'Pat Newcomer')];

const overviewOf = (channels: ChatChannel[], people = PEOPLE): ChatOverview => ({
  // The server's order: team channels, then conversations (the page sorts those itself).
  channels,
  people,
  unread: channels.reduce((n, c) => n + c.unread, 0),
});
const FULL = overviewOf([EVERYONE, DESIGN, ZED, ANN, DEE]);

const message = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id: `m${seq}`,
  channelId: 'everyone',
  seq,
  rev: seq,
  authorId: 'u-dee',
  authorName: 'Dee Designer',
  body: `Message ${seq}`,
  deleted: false,
  createdAt: `2026-02-03T09:${String(10 + seq).padStart(2, '0')}:00Z`,
  editedAt: null,
  mine: false,
  ...extra,
});

const MESSAGES = [
  message(1),
  message(2, { authorId: 'u-me', authorName: 'Sam Staff', body: 'Mine, edited', mine: true, editedAt: '2026-02-03T10:00:00Z' }),
  message(3, { authorId: 'u-me', authorName: 'Sam Staff', body: '', mine: true, deleted: true, editedAt: '2026-02-03T11:00:00Z' }),
];

const err = (status: number, code: string, msg: string, field?: string): Answer => ({
  status,
  body: { error: { code, message: msg, ...(field ? { field } : {}) } },
});

/** The server: GET /api/chat, messages of any channel by changed/before, and `answer` for what a test decides. */
function serve({
  overview = FULL,
  messages = MESSAGES,
  answer,
}: {
  overview?: ChatOverview;
  messages?: ChatMessage[] | ((channelId: string) => ChatMessage[]);
  answer?: (req: Request, path: string) => Answer | Promise<Answer> | undefined;
} = {}) {
  setToken('tok');
  return mockFetch(async (req) => {
    const url = new URL(req.url);
    const path = url.pathname;
    const own = await answer?.(req, path);
    if (own) return own;
    if (path === '/api/chat') return { body: overview };
    const m = path.match(/^\/api\/chat\/channels\/([^/]+)\/(messages|read)$/);
    if (m && m[2] === 'messages' && req.method === 'GET') {
      const id = decodeURIComponent(m[1]);
      const all = typeof messages === 'function' ? messages(id) : messages;
      const changed = url.searchParams.get('changed');
      const before = url.searchParams.get('before');
      if (changed !== null) {
        const items = all.filter((x) => x.rev > Number(changed)).sort((a, b) => a.rev - b.rev);
        return { body: { items: items.slice(0, 100), next: null } };
      }
      const upTo = before !== null ? all.filter((x) => x.seq < Number(before)) : all;
      return { body: { items: upTo.slice(-100), next: null } };
    }
    if (m && m[2] === 'messages' && req.method === 'POST') {
      const b = (await req.json()) as { body: string };
      return { status: 201, body: message(99, { channelId: decodeURIComponent(m[1]), body: b.body, authorId: 'u-me', authorName: 'Sam Staff', mine: true }) };
    }
    if (m && m[2] === 'read') return { status: 204 };
    const e = path.match(/^\/api\/chat\/messages\/([^/]+)$/);
    if (e && req.method === 'PATCH') {
      const b = (await req.json()) as { body: string };
      const old = MESSAGES.find((x) => x.id === e[1])!;
      return { body: { ...old, body: b.body, editedAt: '2026-02-04T10:00:00Z' } };
    }
    if (e && req.method === 'DELETE') return { status: 204 };
    return err(404, 'not_found', 'No.');
  });
}

const pathOf = (c: Request) => decodeURIComponent(new URL(c.url).pathname);
const changes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${pathOf(c)}`);
const list = () => screen.getByRole('navigation', { name: 'Channels and conversations' });
const messageEl = (seq: number) => screen.getByTestId(`message-${seq}`);
const composer = () => screen.getByRole('textbox', { name: /^Message/ });

function renderChat(route = '/chat') {
  return renderWithProviders(<ChatPage me={me} />, { route, path: '/chat/:channel?' });
}

afterEach(() => {
  vi.useRealTimers();
  setViewAs(null);
  setToken(null);
  act(() => notifications.clean());
});

describe('ChatPage channels', () => {
  it('lists Everyone, then teams, then conversations most recent first, each with its unread count', async () => {
    serve();
    renderChat();
    await screen.findByRole('link', { name: /Everyone/ });
    const names = within(list())
      .getAllByRole('link')
      .map((a) => a.textContent);
    expect(names).toEqual(['Everyone2', 'Design', 'Dee Designer3', 'Ann Archer', 'Zed Former']);
    expect(within(list()).getByRole('link', { name: 'Everyone 2 unread messages' })).toBeTruthy();
    expect(within(list()).getByRole('link', { name: 'Dee Designer 3 unread messages' })).toBeTruthy();
    expect(within(list()).getByRole('link', { name: 'Design' })).toBeTruthy();
    // Links: reachable with Tab, opened with Enter.
    expect(within(list()).getByRole('link', { name: 'Design' }).getAttribute('href')).toBe('/chat/team%3At-design');
    expect(screen.getByText(/Choose a channel or a conversation on the left/)).toBeTruthy();
  });

  it('opens a channel with the keyboard', async () => {
    serve();
    renderChat();
    const design = await screen.findByRole('link', { name: 'Design' });
    design.focus();
    await userEvent.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Design' })).toBeTruthy();
    expect(within(list()).getByRole('link', { name: 'Design' }).getAttribute('aria-current')).toBe('page');
  });

  it('says what to do when there is no team and no conversation yet', async () => {
    serve({ overview: overviewOf([channel('everyone', 'everyone', 'Everyone')], []), messages: [] });
    renderChat('/chat/everyone');
    expect(await screen.findByText('You are in no team yet: ask an admin to add you to one.')).toBeTruthy();
    expect(screen.getByText(/No conversations yet/)).toBeTruthy();
    expect(screen.getByText('Nobody can receive 1:1 messages from you now.')).toBeTruthy();
    expect((screen.getByLabelText('Message someone', { selector: 'input' }) as HTMLInputElement).disabled).toBe(true);
    expect(await screen.findByText('No messages yet — say hello.')).toBeTruthy();
  });

  it('says when the role holds 1:1 messages only', async () => {
    serve({ overview: overviewOf([], PEOPLE) });
    renderChat();
    expect(await screen.findByText('Your role does not include team chat, only 1:1 messages.')).toBeTruthy();
    expect(screen.queryByText(/You are in no team yet/)).toBeNull();
  });

  it('offers only the people of GET /api/chat, and opens a new conversation with one', async () => {
    const { calls } = serve({ messages: (id) => (id === 'everyone' ? MESSAGES : []) });
    renderChat();
    const picker = await screen.findByLabelText('Message someone', { selector: 'input' });
    await userEvent.click(picker);
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Ann Archer', 'Dee Designer', 'Pat Newcomer']);
    await userEvent.click(screen.getByRole('option', { name: 'Pat Newcomer' }));
    expect(await screen.findByRole('heading', { name: 'Pat Newcomer' })).toBeTruthy();
    expect(await screen.findByText('No messages yet — say hello.')).toBeTruthy();
    // The conversation's id: the two ids in ascending order.
    expect(calls.some((c) => c.method === 'GET' && pathOf(c) === '/api/chat/channels/dm:u-me:u-pat/messages')).toBe(true);
    await userEvent.type(composer(), 'Hello Pat');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Hello Pat')).toBeTruthy();
    expect(changes(calls)).toContain('POST /api/chat/channels/dm:u-me:u-pat/messages');
  });

  it('says a channel one cannot see does not exist', async () => {
    const { calls } = serve();
    renderChat('/chat/team:t-sales');
    expect((await screen.findByRole('alert')).textContent).toContain('does not exist, or you cannot see it');
    expect(calls.some((c) => pathOf(c).includes('t-sales'))).toBe(false);
  });
});

describe('ChatPage messages', () => {
  it('shows author, time, edited and deleted marks; Edit and Delete on one’s own messages only', async () => {
    serve();
    renderChat('/chat/everyone');
    const log = await screen.findByRole('log', { name: 'Messages in Everyone' });
    expect(log.getAttribute('aria-live')).toBe('polite');
    await within(log).findByText('Message 1');
    const others = messageEl(1);
    expect(within(others).getByText('Dee Designer')).toBeTruthy();
    expect(within(others).queryByRole('button', { name: /Edit|Delete/ })).toBeNull();
    const mine = messageEl(2);
    expect(within(mine).getByText('(edited)')).toBeTruthy();
    expect(within(mine).getByRole('button', { name: /^Edit your message/ })).toBeTruthy();
    expect(within(mine).getByRole('button', { name: /^Delete your message/ })).toBeTruthy();
    const gone = messageEl(3);
    expect(within(gone).getByText('Message deleted')).toBeTruthy();
    expect(within(gone).queryByRole('button')).toBeNull();
    expect(within(gone).queryByText('(edited)')).toBeNull();
  });

  it('edits inline and deletes after confirming', async () => {
    const { calls } = serve();
    renderChat('/chat/everyone');
    await screen.findByText('Mine, edited');
    await userEvent.click(within(messageEl(2)).getByRole('button', { name: /^Edit/ }));
    const box = screen.getByRole('textbox', { name: /Edit your message/ });
    await userEvent.clear(box);
    await userEvent.type(box, 'Mine, changed');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Mine, changed')).toBeTruthy();

    await userEvent.click(within(messageEl(2)).getByRole('button', { name: /^Delete/ }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete your message?' });
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(within(messageEl(2)).getByText('Message deleted')).toBeTruthy());
    expect(changes(calls).filter((c) => !c.endsWith('/read'))).toEqual(['PATCH /api/chat/messages/m2', 'DELETE /api/chat/messages/m2']);
  });

  it('marks the channel read up to the last message shown', async () => {
    const { calls } = serve();
    renderChat('/chat/everyone');
    await screen.findByText('Message 1');
    await waitFor(() => expect(changes(calls)).toEqual(['POST /api/chat/channels/everyone/read']));
    const read = calls.find((c) => c.method === 'POST')!;
    expect(await read.json()).toEqual({ seq: 3 });
    // Its badge goes while it is open.
    expect(within(list()).getByRole('link', { name: 'Everyone' })).toBeTruthy();
  });

  it('loads earlier messages before the first one shown', async () => {
    const many = Array.from({ length: 130 }, (_, i) => message(i + 1));
    const { calls } = serve({ messages: many });
    renderChat('/chat/everyone');
    expect(await screen.findByText('Message 130')).toBeTruthy();
    expect(screen.queryByText('Message 30')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Load earlier messages' }));
    expect(await screen.findByText('Message 1')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Load earlier messages' })).toBeNull();
    const asked = calls.filter((c) => c.method === 'GET' && pathOf(c).endsWith('/messages')).map((c) => new URL(c.url).search);
    expect(asked).toEqual(['', '?before=31']);
  });

  it('polls for changes after the last revision every 3 seconds: new messages, edits and deletions, without a reload', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let all = [message(1), message(2)];
    const { calls } = serve({ messages: () => all });
    renderChat('/chat/everyone');
    await screen.findByText('Message 2');
    const asked = () => calls.filter((c) => c.method === 'GET' && pathOf(c).endsWith('/messages')).map((c) => new URL(c.url).search);
    expect(asked()).toEqual(['']);
    all = [...all, message(3, { body: 'Something new' })];
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(await screen.findByText('Something new')).toBeTruthy();
    expect(asked()).toEqual(['', '?changed=2']);
    // Someone edits message 1 and deletes message 2.
    all = [message(1, { rev: 4, body: 'Message 1, edited', editedAt: '2026-02-03T10:00:00Z' }), message(2, { rev: 5, body: '', deleted: true }), all[2]];
    await act(() => vi.advanceTimersByTimeAsync(3_000));
    expect(await screen.findByText('Message 1, edited')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Message 2')).toBeNull());
    expect(asked()).toEqual(['', '?changed=2', '?changed=3']);
  });
});

describe('ChatPage composer', () => {
  it('replaces the composer with the reason when the other person cannot receive', async () => {
    serve({ messages: [message(1, { channelId: ZED.id, authorName: 'Zed Former' })] });
    renderChat(`/chat/${encodeURIComponent(ZED.id)}`);
    await screen.findByText('Message 1');
    expect(screen.getByTestId('cannot-post').textContent).toContain('Zed Former can no longer receive 1:1 messages');
    expect(screen.queryByRole('textbox', { name: /^Message/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Send' })).toBeNull();
  });

  it('shows a 422 under the message field', async () => {
    serve({
      answer: (req, path) =>
        req.method === 'POST' && path.endsWith('/messages')
          ? err(422, 'invalid', 'The message holds characters that are not text (control characters or direction overrides).', 'body')
          : undefined,
    });
    renderChat('/chat/everyone');
    await screen.findByText('Message 1');
    await userEvent.type(composer(), 'Hi');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(errorOf(composer())).toContain('characters that are not text'));
  });

  it('sends with Ctrl+Enter; Enter alone makes a new line', async () => {
    const { calls } = serve();
    renderChat('/chat/everyone');
    await screen.findByText('Message 1');
    await userEvent.type(composer(), 'Line one{Enter}line two');
    expect((composer() as HTMLTextAreaElement).value).toBe('Line one\nline two');
    expect(changes(calls).filter((c) => c.endsWith('/messages'))).toEqual([]);
    await userEvent.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(changes(calls)).toContain('POST /api/chat/channels/everyone/messages'));
    expect(screen.getByText(/Enter sends; Enter alone makes a new line/)).toBeTruthy();
  });

  it('says clearly when a 1:1 message cannot be received (409)', async () => {
    const why = 'This person cannot receive 1:1 messages now: their account is deleted or deactivated, or their role does not hold chat.direct.';
    serve({
      messages: [],
      answer: (req, path) => (req.method === 'POST' && path.endsWith('/messages') ? err(409, 'cannot_receive', why) : undefined),
    });
    renderChat(`/chat/${encodeURIComponent(DEE.id)}`);
    await screen.findByText('No messages yet — say hello.');
    await userEvent.type(composer(), 'Hi');
    await userEvent.click(screen.getByRole('button', { name: 'Send' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Message not sent');
    expect(alert.textContent).toContain(why);
  });

  it('while viewing as someone: no composer, no Edit or Delete, nothing marked read', async () => {
    const { calls } = serve();
    // After the token: a new session forgets any "view as".
    setViewAs({ userId: 'u-me', name: 'Sam Staff' });
    renderChat('/chat/everyone');
    await screen.findByText('Mine, edited');
    expect(screen.queryByRole('textbox', { name: /^Message/ })).toBeNull();
    expect(screen.queryByLabelText('Message someone', { selector: 'input' })).toBeNull();
    expect(within(messageEl(2)).queryByRole('button')).toBeNull();
    expect(screen.getByText(/chat is read-only here/)).toBeTruthy();
    // Its unread count stays theirs.
    expect(within(list()).getByRole('link', { name: 'Everyone 2 unread messages' })).toBeTruthy();
    await act(() => new Promise((r) => setTimeout(r, 50)));
    expect(changes(calls)).toEqual([]);
  });
});

describe('ChatPage in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('names the lists, the channel, the unread counts and the composer in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve();
    renderChat('/chat/team%3At-design');
    const nav = await screen.findByRole('navigation', { name: 'Canais e conversas' });
    expect(within(nav).getByRole('heading', { name: 'Mensagens diretas' })).toBeTruthy();
    expect(within(nav).getByLabelText('2 mensagens não lidas')).toBeTruthy();
    expect(await screen.findByText('Os membros da equipe Design leem este canal.')).toBeTruthy();
    expect(await screen.findByRole('form', { name: 'Escrever para Design' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Enviar' })).toBeTruthy();
  });
});
