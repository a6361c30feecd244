// Hooks for a project's discussions: threads, their messages and whom one may mention.
// Keys start with 'work' like every other project resource, so one invalidation after any
// change refreshes what might show it. New messages arrive by polling (GET …/messages
// ?changed=<highest revision seen>, which brings edits and deletions too): plain fetch, which works inside the Wails window as in a browser.
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { ApiError, api, call, type Schemas } from './client';
import { invalidateWork } from './work';

export type Thread = Schemas['Thread'];
export type Message = Schemas['Message'];
export type ThreadPerson = Schemas['Person'];

/** How often an open discussion asks for new messages, and the thread list for new activity. */
export const MESSAGE_POLL_MS = 3_000;
export const THREAD_POLL_MS = 10_000;
/** The server's page of messages (backend/discussions PageSize): a full page means more may follow. */
export const MESSAGE_PAGE = 100;

/**
 * Polls every `ms` until the server refuses (a 4xx: the discussion is gone, or no longer
 * seen); a network blip or a 5xx keeps polling, so it recovers by itself.
 */
function pollEvery(ms: number) {
  return (q: { state: { error: unknown } }) => {
    const e = q.state.error;
    return e instanceof ApiError && e.status >= 400 && e.status < 500 ? false : ms;
  };
}

export const discussionKeys = {
  threads: (projectId: string) => ['work', 'threads', projectId] as const,
  thread: (id: string) => ['work', 'thread', id] as const,
  messages: (threadId: string) => ['work', 'messages', threadId] as const,
  people: (threadId: string) => ['work', 'thread-people', threadId] as const,
};

/** A project's discussions the asker sees, the most recently active first (the server's order). */
export function useThreads(projectId: string, enabled = true) {
  return useQuery({
    queryKey: discussionKeys.threads(projectId),
    queryFn: async () => (await call(api.GET('/api/projects/{id}/threads', { params: { path: { id: projectId } } }))).items,
    refetchInterval: pollEvery(THREAD_POLL_MS),
    enabled,
  });
}

export function useThread(id: string, enabled = true) {
  return useQuery({
    queryKey: discussionKeys.thread(id),
    queryFn: () => call(api.GET('/api/threads/{id}', { params: { path: { id } } })),
    enabled: enabled && !!id,
  });
}

/** The people who see a discussion: the only ones it offers to mention, and whose names it shows. */
export function useThreadPeople(threadId: string, enabled = true) {
  return useQuery({
    queryKey: discussionKeys.people(threadId),
    queryFn: async () => (await call(api.GET('/api/threads/{id}/people', { params: { path: { id: threadId } } }))).items,
    enabled: enabled && !!threadId,
  });
}

/** The messages of a discussion seen so far, oldest first, and the highest revision among them. */
export type MessageLog = { items: Message[]; last: number };

const EMPTY_LOG: MessageLog = { items: [], last: 0 };

/**
 * Puts messages into a log by seq: a message already there is replaced by a later
 * revision of it (an edit, a deletion), never by an older one.
 */
export function mergeMessages(log: MessageLog | undefined, more: Message[]): MessageLog {
  const bySeq = new Map((log ?? EMPTY_LOG).items.map((m) => [m.seq, m] as const));
  for (const m of more) {
    const had = bySeq.get(m.seq);
    if (!had || had.rev <= m.rev) bySeq.set(m.seq, m);
  }
  const items = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  return { items, last: items.reduce((top, m) => Math.max(top, m.rev), 0) };
}

/** Every message posted, edited or deleted after revision `changed`: a full page is followed at once by the next. */
async function messagesChanged(threadId: string, changed: number): Promise<Message[]> {
  const out: Message[] = [];
  let from = changed;
  for (;;) {
    const page = await call(
      api.GET('/api/threads/{id}/messages', { params: { path: { id: threadId }, query: { changed: from } } }),
    );
    out.push(...page.items);
    if (page.items.length < MESSAGE_PAGE) return out;
    from = page.items[page.items.length - 1].rev;
  }
}

/**
 * A discussion's messages, polled every MESSAGE_POLL_MS for those changed after the
 * highest revision seen: new messages, and others' edits and deletions too. The log is
 * kept whole in the cache; it is dropped when the discussion closes, so opening it again
 * reads it afresh.
 */
export function useMessages(threadId: string, enabled = true) {
  const qc = useQueryClient();
  const key = discussionKeys.messages(threadId);
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      const more = await messagesChanged(threadId, qc.getQueryData<MessageLog>(key)?.last ?? 0);
      // Merged into the log as it is now, not as it was when asked: a message posted or
      // edited meanwhile (put there by its mutation) stays.
      return mergeMessages(qc.getQueryData<MessageLog>(key), more);
    },
    refetchInterval: pollEvery(MESSAGE_POLL_MS),
    enabled: enabled && !!threadId,
  });
}

/** Forgets a discussion's messages (when it closes), so it is read afresh next time. */
export function forgetMessages(qc: QueryClient, threadId: string) {
  qc.removeQueries({ queryKey: discussionKeys.messages(threadId), exact: true });
}

function putMessage(qc: QueryClient, m: Message) {
  qc.setQueryData<MessageLog>(discussionKeys.messages(m.threadId), (log) => (log ? mergeMessages(log, [m]) : log));
}

export function useCreateThread(projectId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['ThreadRequest']) =>
      call(api.POST('/api/projects/{id}/threads', { params: { path: { id: projectId } }, body })),
    onSuccess: () => invalidateWork(qc),
  });
}

export function usePostMessage(threadId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['MessageRequest']) =>
      call(api.POST('/api/threads/{id}/messages', { params: { path: { id: threadId } }, body })),
    onSuccess: (m) => {
      putMessage(qc, m);
      invalidateWork(qc);
    },
  });
}

export function useEditMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: string }) =>
      call(api.PATCH('/api/messages/{id}', { params: { path: { id } }, body: { body } })),
    onSuccess: (m) => {
      putMessage(qc, m);
      invalidateWork(qc);
    },
  });
}

/** Deletes one's own message; its place stays in the log, marked deleted. */
export function useDeleteMessage() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (m: Message) => {
      await call(api.DELETE('/api/messages/{id}', { params: { path: { id: m.id } } }));
      return m;
    },
    onSuccess: (m) => {
      putMessage(qc, { ...m, body: '', mentions: [], deleted: true, editedAt: new Date().toISOString() });
      invalidateWork(qc);
    },
  });
}
