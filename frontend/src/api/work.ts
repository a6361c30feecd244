// Hooks for projects, teams, boards, tasks, task types, access and "view as".
// Every key starts with 'work', so one invalidation after a change refreshes every list
// and detail that might show it (visibility can change in many places at once).
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { api, call } from './client';
import type { Schemas, Task, User } from './client';
import { refresh } from './refresh';
import { setViewAs } from './viewAs';

export const workKeys = {
  all: ['work'] as const,
  projects: (f?: object) => ['work', 'projects', f ?? {}] as const,
  project: (id: string) => ['work', 'project', id] as const,
  projectTasks: (id: string, f?: object) => ['work', 'project-tasks', id, f ?? {}] as const,
  tasks: (f?: object) => ['work', 'tasks', f ?? {}] as const,
  task: (id: string) => ['work', 'task', id] as const,
  followers: (id: string) => ['work', 'followers', id] as const,
  comments: (id: string) => ['work', 'comments', id] as const,
  teams: ['work', 'teams'] as const,
  boards: ['work', 'boards'] as const,
  board: (id: string) => ['work', 'board', id] as const,
  boardTasks: (id: string) => ['work', 'board-tasks', id] as const,
  taskTypes: ['work', 'task-types'] as const,
  access: (type: AccessResource, id: string) => ['work', 'access', type, id] as const,
  explain: (q: object) => ['work', 'explain', q] as const,
  taskRules: (userId: string) => ['work', 'task-rules', userId] as const,
  directory: ['users', 'directory'] as const,
  withoutProjects: ['users', 'without-projects'] as const,
  /** Every active internal user (GET /api/people): under 'users', so user changes refresh it. */
  internalPeople: ['users', 'people'] as const,
  /** Who is on a project (GET /api/projects/{id}/people): under 'work', like memberships. */
  projectPeople: (id: string) => ['work', 'project-people', id] as const,
};

export type AccessResource = 'project' | 'board' | 'task' | 'file' | 'thread';

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '' && v !== null)) as Partial<T>;
}

/** After any change: every work list and detail, and the audit log, may be stale. */
export function invalidateWork(qc: QueryClient) {
  void refresh(qc, workKeys.all);
  void refresh(qc, ['users']); // staff without projects, directory
  void refresh(qc, ['audit']);
}

/**
 * Lists take `cursor` by the API's convention, though the contract declares no query
 * parameters for some of them (teams, boards): pass it untyped.
 */
function cursorParams(cursor: string | undefined): Record<string, never> {
  return (cursor ? { params: { query: { cursor } } } : {}) as Record<string, never>;
}

function useWorkMutation<V, R>(fn: (v: V) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => invalidateWork(qc) });
}

// ---- people -------------------------------------------------------------------------

/**
 * Every user the actor may list (users.view), fetched whole: names for ids in projects,
 * teams and tasks, and the choices of member, client and assignee pickers.
 */
export function useDirectory(enabled = true) {
  return useQuery({
    queryKey: workKeys.directory,
    queryFn: async () => {
      const all: User[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await call(
          api.GET('/api/users', { params: { query: { limit: 200, sort: 'name', ...(cursor ? { cursor } : {}) } } }),
        );
        all.push(...page.items);
        if (!page.next) break;
        cursor = page.next;
      }
      return all;
    },
    enabled,
    staleTime: 30_000,
  });
}

export function useStaffWithoutProjects(enabled = true) {
  return useQuery({
    queryKey: workKeys.withoutProjects,
    queryFn: () => call(api.GET('/api/users', { params: { query: { withoutProjects: true, limit: 50, sort: 'name' } } })),
    enabled,
  });
}

/**
 * Every active internal user, names only (no email): what internal users without
 * users.view pick assignees, invitees and team members from. Portal users get a 403.
 */
export function useInternalPeople(enabled = true) {
  return useQuery({
    queryKey: workKeys.internalPeople,
    queryFn: async () => (await call(api.GET('/api/people'))).items,
    enabled,
    staleTime: 30_000,
  });
}

/**
 * Every internal user, deactivated ones too (active false): for filters over past work
 * (whose tasks?), never for pickers that assign, invite or add.
 */
export function useInternalPeopleForFilters(enabled = true) {
  return useQuery({
    queryKey: [...workKeys.internalPeople, 'with-deactivated'],
    queryFn: async () =>
      (await call(api.GET('/api/people', { params: { query: { includeDeactivated: true } } }))).items,
    enabled,
    staleTime: 30_000,
  });
}

/** Who is on a project (members, through teams, and, for internal viewers, its clients). */
export function projectPeopleQuery(id: string) {
  return {
    queryKey: workKeys.projectPeople(id),
    queryFn: async () => (await call(api.GET('/api/projects/{id}/people', { params: { path: { id } } }))).items,
    staleTime: 30_000,
  };
}

// ---- projects -----------------------------------------------------------------------

export type ProjectFilters = { q?: string; status?: 'active' | 'archived' };
export const PROJECTS_PAGE_SIZE = 25;

export function useProjects(filters: ProjectFilters, enabled = true) {
  const query = compact(filters);
  return useInfiniteQuery({
    queryKey: workKeys.projects(query),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/projects', {
          params: { query: { ...query, limit: PROJECTS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** Every visible project (for pickers and names). */
export function useAllProjects(enabled = true) {
  return useQuery({
    queryKey: workKeys.projects({ all: true }),
    queryFn: async () => {
      const all: Schemas['Project'][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await call(api.GET('/api/projects', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } } }));
        all.push(...page.items);
        if (!page.next) break;
        cursor = page.next;
      }
      return all;
    },
    enabled,
  });
}

export function useProject(id: string) {
  return useQuery({ queryKey: workKeys.project(id), queryFn: () => call(api.GET('/api/projects/{id}', { params: { path: { id } } })) });
}

export function useCreateProject() {
  return useWorkMutation((body: Schemas['ProjectCreateRequest']) => call(api.POST('/api/projects', { body })));
}

export function useUpdateProject() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['ProjectUpdateRequest'] }) =>
    call(api.PATCH('/api/projects/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteProject() {
  return useWorkMutation((id: string) => call(api.DELETE('/api/projects/{id}', { params: { path: { id } } })));
}

// ---- tasks --------------------------------------------------------------------------

export type TaskFilters = { projectId?: string; boardId?: string; stageId?: string; assigneeId?: string };
export const TASKS_PAGE_SIZE = 25;

/** Tasks of one project (projectId set) or every visible task. */
export function useTasks(filters: TaskFilters, enabled = true) {
  const { projectId, ...rest } = filters;
  const query = compact(rest);
  return useInfiniteQuery({
    queryKey: projectId ? workKeys.projectTasks(projectId, query) : workKeys.tasks(query),
    queryFn: ({ pageParam }) => {
      const q = { ...query, limit: TASKS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) };
      return projectId
        ? call(api.GET('/api/projects/{id}/tasks', { params: { path: { id: projectId }, query: q } }))
        : call(api.GET('/api/tasks', { params: { query: q } }));
    },
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useTask(id: string | null) {
  return useQuery({
    queryKey: workKeys.task(id ?? ''),
    queryFn: () => call(api.GET('/api/tasks/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useCreateTask() {
  return useWorkMutation(({ projectId, body }: { projectId: string; body: Schemas['TaskCreateRequest'] }) =>
    call(api.POST('/api/projects/{id}/tasks', { params: { path: { id: projectId } }, body })),
  );
}

export function useUpdateTask() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['TaskUpdateRequest'] }) =>
    call(api.PATCH('/api/tasks/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteTask() {
  return useWorkMutation((id: string) => call(api.DELETE('/api/tasks/{id}', { params: { path: { id } } })));
}

export function useReviewTask() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['ReviewRequest'] }) =>
    call(api.POST('/api/tasks/{id}/review', { params: { path: { id } }, body })),
  );
}

export function useFollowers(taskId: string) {
  return useQuery({
    queryKey: workKeys.followers(taskId),
    queryFn: () => call(api.GET('/api/tasks/{id}/followers', { params: { path: { id: taskId } } })),
  });
}

export function useAddFollower() {
  return useWorkMutation(({ taskId, userId, expectVersion }: { taskId: string; userId: string; expectVersion?: string }) =>
    call(api.POST('/api/tasks/{id}/followers', { params: { path: { id: taskId } }, body: { userId, ...(expectVersion ? { expectVersion } : {}) } })),
  );
}

export function useRemoveFollower() {
  return useWorkMutation(({ taskId, userId }: { taskId: string; userId: string }) =>
    call(api.DELETE('/api/tasks/{id}/followers/{userId}', { params: { path: { id: taskId, userId } } })),
  );
}

export function useComments(taskId: string, enabled = true) {
  return useQuery({
    queryKey: workKeys.comments(taskId),
    queryFn: () => call(api.GET('/api/tasks/{id}/comments', { params: { path: { id: taskId } } })),
    enabled,
  });
}

export function useAddComment() {
  return useWorkMutation(({ taskId, body }: { taskId: string; body: string }) =>
    call(api.POST('/api/tasks/{id}/comments', { params: { path: { id: taskId } }, body: { body } })),
  );
}

// ---- teams --------------------------------------------------------------------------

export function useTeams(enabled = true) {
  return useQuery({
    queryKey: workKeys.teams,
    queryFn: async () => {
      const all: Schemas['Team'][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await call(api.GET('/api/teams', cursorParams(cursor)));
        all.push(...page.items);
        if (!page.next) break;
        cursor = page.next;
      }
      return all;
    },
    enabled,
  });
}

export function useCreateTeam() {
  return useWorkMutation((body: Schemas['TeamRequest']) => call(api.POST('/api/teams', { body })));
}

export function useUpdateTeam() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['TeamUpdateRequest'] }) =>
    call(api.PATCH('/api/teams/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteTeam() {
  return useWorkMutation((id: string) => call(api.DELETE('/api/teams/{id}', { params: { path: { id } } })));
}

// ---- boards -------------------------------------------------------------------------

export function useBoards(enabled = true) {
  return useQuery({
    queryKey: workKeys.boards,
    queryFn: async () => {
      const all: Schemas['Board'][] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await call(api.GET('/api/boards', cursorParams(cursor)));
        all.push(...page.items);
        if (!page.next) break;
        cursor = page.next;
      }
      return all;
    },
    enabled,
  });
}

export function useBoard(id: string) {
  return useQuery({ queryKey: workKeys.board(id), queryFn: () => call(api.GET('/api/boards/{id}', { params: { path: { id } } })) });
}

/** Every visible task on a board: the Kanban shows them all. */
export function useBoardTasks(id: string) {
  return useQuery({
    queryKey: workKeys.boardTasks(id),
    queryFn: async () => {
      const all: Task[] = [];
      let cursor: string | undefined;
      for (let i = 0; i < 50; i++) {
        const page = await call(
          api.GET('/api/boards/{id}/tasks', { params: { path: { id }, query: { limit: 200, ...(cursor ? { cursor } : {}) } } }),
        );
        all.push(...page.items);
        if (!page.next) break;
        cursor = page.next;
      }
      return all;
    },
  });
}

export function useCreateBoard() {
  return useWorkMutation((body: Schemas['BoardRequest']) => call(api.POST('/api/boards', { body })));
}

export function useUpdateBoard() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['BoardUpdateRequest'] }) =>
    call(api.PATCH('/api/boards/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteBoard() {
  return useWorkMutation((id: string) => call(api.DELETE('/api/boards/{id}', { params: { path: { id } } })));
}

/**
 * Moves a card to another stage of its board at once; the server's refusal puts it back.
 * A move is one PATCH: its answer is the task as it now is, so the board and the task are
 * updated from it; every other list that may show the task is only marked stale (fetched
 * again when next shown), not fetched now — a busy board would otherwise cost a burst of
 * requests per card. A refused move fetches the board's tasks again (one GET).
 */
export function useMoveTask(boardId: string) {
  const qc = useQueryClient();
  const key = workKeys.boardTasks(boardId);
  return useMutation({
    mutationFn: ({ taskId, stageId }: { taskId: string; stageId: string }) =>
      call(api.PATCH('/api/tasks/{id}', { params: { path: { id: taskId } }, body: { stageId } })),
    onMutate: async ({ taskId, stageId }) => {
      await qc.cancelQueries({ queryKey: key });
      const before = qc.getQueryData<Task[]>(key);
      qc.setQueryData<Task[]>(key, (list) => list?.map((t) => (t.id === taskId ? { ...t, stageId, stage: stageId } : t)));
      return { before };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(key, ctx.before);
      // The refusal may come from a board that changed meanwhile: ask for it as it is.
      void refresh(qc, key);
    },
    onSuccess: (saved) => {
      qc.setQueryData<Task[]>(key, (list) => list?.map((t) => (t.id === saved.id ? saved : t)));
      qc.setQueryData(workKeys.task(saved.id), saved);
      const fresh = new Set([JSON.stringify(key), JSON.stringify(workKeys.task(saved.id))]);
      // Not refresh: nothing is fetched now, so a first fetch it cancelled would not be asked again.
      void qc.invalidateQueries({
        predicate: (q) =>
          (q.queryKey[0] === 'work' || q.queryKey[0] === 'audit') && !fresh.has(JSON.stringify(q.queryKey)),
        refetchType: 'none',
      });
    },
  });
}

// ---- task types and rules -----------------------------------------------------------

export function useTaskTypes(enabled = true) {
  return useQuery({
    queryKey: workKeys.taskTypes,
    queryFn: () => call(api.GET('/api/task-types')),
    enabled,
  });
}

export function useCreateTaskType() {
  return useWorkMutation((body: Schemas['TaskTypeRequest']) => call(api.POST('/api/task-types', { body })));
}

export function useUpdateTaskType() {
  return useWorkMutation(({ id, body }: { id: string; body: Schemas['TaskTypeRequest'] }) =>
    call(api.PATCH('/api/task-types/{id}', { params: { path: { id } }, body })),
  );
}

export function useDeleteTaskType() {
  return useWorkMutation((id: string) => call(api.DELETE('/api/task-types/{id}', { params: { path: { id } } })));
}

export function useTaskRules(userId: string, enabled = true) {
  return useQuery({
    queryKey: workKeys.taskRules(userId),
    queryFn: () => call(api.GET('/api/users/{id}/task-rules', { params: { path: { id: userId } } })),
    enabled,
  });
}

export function useSetTaskRules() {
  return useWorkMutation(({ userId, body }: { userId: string; body: Schemas['TaskRules'] }) =>
    call(api.PUT('/api/users/{id}/task-rules', { params: { path: { id: userId } }, body })),
  );
}

// ---- access -------------------------------------------------------------------------

export function useAccess(type: AccessResource, id: string, enabled = true) {
  return useQuery({
    queryKey: workKeys.access(type, id),
    queryFn: () => {
      const params = { params: { path: { id } } };
      if (type === 'project') return call(api.GET('/api/projects/{id}/access', params));
      if (type === 'board') return call(api.GET('/api/boards/{id}/access', params));
      if (type === 'file') return call(api.GET('/api/files/{id}/access', params));
      if (type === 'thread') return call(api.GET('/api/threads/{id}/access', params));
      return call(api.GET('/api/tasks/{id}/access', params));
    },
    enabled,
  });
}

export type ExplainQuery = { userId: string; action: string; resourceType: AccessResource; resourceId: string };

export function useExplain(q: ExplainQuery | null) {
  return useQuery({
    queryKey: workKeys.explain(q ?? {}),
    queryFn: () => call(api.GET('/api/access/explain', { params: { query: q! } })),
    enabled: !!q,
  });
}

// ---- view as ------------------------------------------------------------------------

/**
 * Starts viewing as a user: the server records it; then every GET carries X-View-As.
 * `onStarted` runs first (e.g. to leave a page the viewed user may not open), before every
 * cached answer is dropped and fetched again as that user.
 */
export function useStartViewAs(onStarted?: (user: { id: string; name: string; roleKind?: string }) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (user: { id: string; name: string; roleKind?: string }) => {
      await call(api.POST('/api/view-as', { body: { userId: user.id } }));
      return user;
    },
    onSuccess: (user) => {
      onStarted?.(user);
      setViewAs({ userId: user.id, name: user.name });
      void qc.resetQueries({ predicate: (q) => q.queryKey[0] !== 'status' });
    },
  });
}

export function useExitViewAs() {
  const qc = useQueryClient();
  return () => {
    setViewAs(null);
    void qc.resetQueries({ predicate: (q) => q.queryKey[0] !== 'status' });
  };
}
