// Hooks for the team chat and 1:1 messages: the overview (channels, unread counts, whom one
// may write to), a channel's messages, and the changes one may make.
//
// New messages, edits and deletions arrive by polling with plain fetch
// (GET …/messages?changed=<highest revision seen>), which reaches the Go handler inside the
// Wails window as in a browser; server-sent events through the window were not tried.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, api, call, type Schemas } from './client';
import { refresh } from './refresh';

export type ChatOverview = Schemas['ChatOverview'];
export type ChatChannel = Schemas['ChatChannel'];
export type ChatMessage = Schemas['ChatMessage'];
export type ChatPerson = ChatOverview['people'][number];

/** How often the overview (the menu's unread badge) and an open channel ask for news. */
export const OVERVIEW_POLL_MS = 5_000;
export const CHAT_POLL_MS = 3_000;
/** The server's page of messages (backend/chat PageSize): a full page means more may follow. */
export const CHAT_PAGE = 100;
/** The longest message the server takes (backend/discussions MaxBody, which chat shares). */
export const CHAT_MAX_BODY = 10_000;

/**
 * Polls every `ms` until the server refuses (a 4xx: chat was taken away, or the channel is
 * not seen); a network blip or a 5xx keeps polling, so it recovers by itself.
 */
function pollEvery(ms: number) {
  return (q: { state: { error: unknown } }) => {
    const e = q.state.error;
    return e instanceof ApiError && e.status >= 400 && e.status < 500 ? false : ms;
  };
}

export const chatKeys = {
  overview: ['chat', 'overview'] as const,
  messages: (channelId: string) => ['chat', 'messages', channelId] as const,
};

/** The id of the 1:1 conversation of two people: "dm:" and their ids in ascending order. */
export function directChannelId(a: string, b: string): string {
  return a < b ? `dm:${a}:${b}` : `dm:${b}:${a}`;
}

const overviewQuery = {
  queryKey: chatKeys.overview,
  queryFn: () => call(api.GET('/api/chat')),
  refetchInterval: pollEvery(OVERVIEW_POLL_MS),
};

/** The asker's channels and conversations with unread counts, and whom they may write to. */
export function useChatOverview(enabled = true) {
  return useQuery({ ...overviewQuery, enabled });
}

/**
 * The total of unread messages for the menu's badge, polled while chat is in the menu
 * (0 when it is not). The chat page shares the same answer.
 */
export function useChatUnread(enabled: boolean): number {
  const q = useQuery({ ...overviewQuery, select: (o: ChatOverview) => o.unread, enabled });
  return enabled ? (q.data ?? 0) : 0;
}

/**
 * The messages of a channel seen so far, oldest first: the first and last seq among them,
 * the highest revision (what polling asks after), and whether older ones remain on the
 * server (the latest page, or an earlier one, was full).
 */
export type ChatLog = { items: ChatMessage[]; first: number; last: number; rev: number; hasEarlier: boolean };

/**
 * Puts messages into a log by seq: a message already there is replaced by a later
 * revision of it (an edit, a deletion), never by an older one. With `polled`, a change to
 * a message older than those loaded is left out (it shows when earlier ones are loaded).
 */
export function mergeChat(
  log: ChatLog | undefined,
  more: ChatMessage[],
  hasEarlier = log?.hasEarlier ?? false,
  polled = false,
): ChatLog {
  const bySeq = new Map((log?.items ?? []).map((m) => [m.seq, m] as const));
  let rev = log?.rev ?? 0;
  for (const m of more) {
    rev = Math.max(rev, m.rev);
    if (polled && log && log.hasEarlier && m.seq < log.first) continue;
    const had = bySeq.get(m.seq);
    if (!had || had.rev <= m.rev) bySeq.set(m.seq, m);
  }
  const items = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return {
    items,
    first: items.length ? items[0].seq : 0,
    last: items.length ? items[items.length - 1].seq : 0,
    rev: items.reduce((top, m) => Math.max(top, m.rev), rev),
    hasEarlier,
  };
}

function messagesPage(channelId: string, query: { after?: number; before?: number; changed?: number }) {
  return call(api.GET('/api/chat/channels/{id}/messages', { params: { path: { id: channelId }, query } }));
}

/** Every message posted, edited or deleted after revision `changed`: a full page is followed at once by the next. */
async function messagesChanged(channelId: string, changed: number): Promise<ChatMessage[]> {
  const out: ChatMessage[] = [];
  let from = changed;
  for (;;) {
    const page = await messagesPage(channelId, { changed: from });
    out.push(...page.items);
    if (page.items.length < CHAT_PAGE) return out;
    from = page.items[page.items.length - 1].rev;
  }
}

/**
 * A channel's messages: first the latest page, then every CHAT_POLL_MS those changed
 * after the highest revision seen — new messages, and others' edits and deletions. The
 * log is dropped when the channel closes (forgetChat), so it is read afresh next time.
 */
export function useChatMessages(channelId: string, enabled = true) {
  const qc = useQueryClient();
  const key = chatKeys.messages(channelId);
  return useQuery({
    queryKey: key,
    queryFn: async (): Promise<ChatLog> => {
      const before = qc.getQueryData<ChatLog>(key);
      if (!before) {
        const page = await messagesPage(channelId, {});
        return mergeChat(qc.getQueryData<ChatLog>(key), page.items, page.items.length >= CHAT_PAGE);
      }
      const more = await messagesChanged(channelId, before.rev);
      // Merged into the log as it is now, not as it was when asked: a message posted,
      // edited or loaded from earlier meanwhile (put there by its mutation) stays.
      const now = qc.getQueryData<ChatLog>(key);
      return mergeChat(now, more, now?.hasEarlier ?? false, true);
    },
    refetchInterval: pollEvery(CHAT_POLL_MS),
    enabled: enabled && !!channelId,
  });
}

/** Forgets a channel's messages (when it closes), so it is read afresh next time. */
export function forgetChat(qc: QueryClient, channelId: string) {
  qc.removeQueries({ queryKey: chatKeys.messages(channelId), exact: true });
}

/** Loads the page of messages before the first one seen ("Load earlier messages"). */
export function useLoadEarlier(channelId: string) {
  const qc = useQueryClient();
  const key = chatKeys.messages(channelId);
  return useMutation({
    mutationFn: async () => {
      const first = qc.getQueryData<ChatLog>(key)?.first ?? 0;
      return messagesPage(channelId, { before: first });
    },
    onSuccess: (page) => {
      qc.setQueryData<ChatLog>(key, (log) => mergeChat(log, page.items, page.items.length >= CHAT_PAGE));
    },
  });
}

function putMessage(qc: QueryClient, m: ChatMessage) {
  qc.setQueryData<ChatLog>(chatKeys.messages(m.channelId), (log) => (log ? mergeChat(log, [m]) : log));
}

/** Writes in a channel; a 1:1 conversation begins with its first message. */
export function usePostChatMessage(channelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: string) =>
      call(api.POST('/api/chat/channels/{id}/messages', { params: { path: { id: channelId } }, body: { body } })),
    onSuccess: (m) => {
      putMessage(qc, m);
      // A new conversation joins the list; the order of conversations changes.
      void refresh(qc, chatKeys.overview);
    },
    onError: (e) => {
      // The other person can no longer receive: the overview says so (canPost false).
      if (e instanceof ApiError && e.code === 'cannot_receive') void refresh(qc, chatKeys.overview);
    },
  });
}

export function useEditChatMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) =>
      call(api.PATCH('/api/chat/messages/{id}', { params: { path: { id } }, body: { body } })),
    onSuccess: (m) => putMessage(qc, m),
  });
}

/** Deletes one's own message; its place stays in the log, marked deleted. */
export function useDeleteChatMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (m: ChatMessage) => {
      await call(api.DELETE('/api/chat/messages/{id}', { params: { path: { id: m.id } } }));
      return m;
    },
    onSuccess: (m) => putMessage(qc, { ...m, body: '', deleted: true, editedAt: new Date().toISOString() }),
  });
}

/** Records that the channel was read up to seq; the unread counts then follow at once. */
export function useMarkChatRead(channelId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (seq: number) =>
      call(api.POST('/api/chat/channels/{id}/read', { params: { path: { id: channelId } }, body: { seq } })),
    onSuccess: () => refresh(qc, chatKeys.overview),
  });
}
