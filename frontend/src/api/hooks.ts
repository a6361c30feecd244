// One TanStack Query hook per resource, each a thin wrapper around the typed client.
import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, call, clearToken, setToken } from './client';
import type { Schemas } from './client';
import { refresh } from './refresh';
import { invalidateWork } from './work';
import { MIN_PASSWORD_LENGTH } from '../lib/validation';

export const keys = {
  status: ['status'] as const,
  me: ['me'] as const,
  permissions: ['permissions'] as const,
  roleTemplates: ['role-templates'] as const,
  roles: ['roles'] as const,
  users: ['users'] as const,
  audit: ['audit'] as const,
};

// ---- session ------------------------------------------------------------------------

export function useStatus() {
  return useQuery({
    queryKey: keys.status,
    queryFn: () => call(api.GET('/api/status')),
    staleTime: Infinity,
  });
}

export function useMe(enabled = true) {
  return useQuery({
    queryKey: keys.me,
    queryFn: () => call(api.GET('/api/me')),
    enabled,
    // What this person may open can change at any time (an admin narrows their role):
    // ask again whenever they come back to the window. Refusals ask too (Providers).
    refetchOnWindowFocus: true,
  });
}

export function useSetup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SetupRequest']) => call(api.POST('/api/setup', { body })),
    onSuccess: () => refresh(qc, keys.status),
  });
}

/**
 * Signs in with email and password. The answer is a session, or — for an account with a
 * second factor — a challenge to complete with a code (useCompleteSignIn); only a session
 * is kept here.
 */
export function useSignIn() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['SignInRequest']) => call(api.POST('/api/sessions', { body })),
    onSuccess: (answer) => {
      if (!('token' in answer)) return;
      qc.clear();
      setToken(answer.token);
    },
  });
}

/**
 * The shortest password the security policy accepts, from /api/status as the app last
 * asked it (the signed-out screens and the signed-in app both do); 12 until then. It asks
 * nothing itself, so a form never waits on it: the server checks the length anyway.
 */
export function usePasswordMinLength(): number {
  const status = useQuery({
    queryKey: keys.status,
    queryFn: () => call(api.GET('/api/status')),
    staleTime: Infinity,
    enabled: false,
  });
  return status.data?.passwordMinLength ?? MIN_PASSWORD_LENGTH;
}

export function useSignOut() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        await call(api.DELETE('/api/sessions/current'));
      } finally {
        // Signing out always forgets the token here, even if the server could not be told.
        clearToken();
        qc.clear();
      }
    },
  });
}

export function useChangeMyPassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas['PasswordChangeRequest']) =>
      call(api.POST('/api/me/password', { body })),
    onSuccess: () => refresh(qc, keys.me),
  });
}

// ---- catalog and roles ---------------------------------------------------------------

export function usePermissions(enabled = true) {
  return useQuery({
    queryKey: keys.permissions,
    queryFn: () => call(api.GET('/api/permissions')),
    staleTime: Infinity,
    enabled,
  });
}

export function useRoleTemplates(enabled = true) {
  return useQuery({
    queryKey: keys.roleTemplates,
    queryFn: () => call(api.GET('/api/role-templates')),
    staleTime: Infinity,
    enabled,
  });
}

export function useRoles(enabled = true) {
  return useQuery({
    queryKey: keys.roles,
    queryFn: () => call(api.GET('/api/roles')),
    enabled,
  });
}

function useInvalidateRolesAndUsers() {
  const qc = useQueryClient();
  return () => {
    void refresh(qc, keys.roles);
    void refresh(qc, keys.users);
    void refresh(qc, keys.audit);
    void refresh(qc, keys.me);
  };
}

export function useCreateRole() {
  const done = useInvalidateRolesAndUsers();
  return useMutation({
    mutationFn: (body: Schemas['RoleCreateRequest']) => call(api.POST('/api/roles', { body })),
    onSuccess: done,
  });
}

export function useUpdateRole() {
  const done = useInvalidateRolesAndUsers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Schemas['RoleUpdateRequest'] }) =>
      call(api.PATCH('/api/roles/{id}', { params: { path: { id } }, body })),
    onSuccess: done,
  });
}

export function useCloneRole() {
  const done = useInvalidateRolesAndUsers();
  return useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) =>
      call(api.POST('/api/roles/{id}/clone', { params: { path: { id } }, body: { name } })),
    onSuccess: done,
  });
}

export function useDeleteRole() {
  const done = useInvalidateRolesAndUsers();
  return useMutation({
    mutationFn: ({ id, reassignTo }: { id: string; reassignTo?: string }) =>
      call(
        api.DELETE('/api/roles/{id}', {
          params: { path: { id }, query: reassignTo ? { reassignTo } : {} },
        }),
      ),
    onSuccess: done,
  });
}

// ---- users --------------------------------------------------------------------------

export type UserFilters = {
  q?: string;
  roleId?: string;
  kind?: Schemas['RoleKind'];
  status?: Schemas['UserStatus'];
  sort?: 'name' | 'email' | 'createdAt';
  order?: 'asc' | 'desc';
};

export const USERS_PAGE_SIZE = 25;

function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as Partial<T>;
}

export function useUsers(filters: UserFilters, enabled = true) {
  const query = compact(filters);
  return useInfiniteQuery({
    queryKey: [...keys.users, query],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/users', {
          params: {
            query: { ...query, limit: USERS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) },
          },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () => {
    void refresh(qc, keys.users);
    void refresh(qc, keys.roles); // user counts
    void refresh(qc, keys.audit);
    void refresh(qc, keys.me);
  };
}

export function useCreateUser() {
  const done = useInvalidateUsers();
  return useMutation({
    mutationFn: (body: Schemas['UserCreateRequest']) => call(api.POST('/api/users', { body })),
    onSuccess: done,
  });
}

export function useUpdateUser() {
  const done = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Schemas['UserUpdateRequest'] }) =>
      call(api.PATCH('/api/users/{id}', { params: { path: { id } }, body })),
    onSuccess: done,
  });
}

/** `handover` (deactivation only): who takes over their open tasks; none leaves them as they are. */
export function useSetUserActive() {
  const done = useInvalidateUsers();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, active, handover }: { id: string; active: boolean; handover?: Schemas['HandoverRequest'] }) =>
      active
        ? call(api.POST('/api/users/{id}/reactivate', { params: { path: { id } } }))
        : call(api.POST('/api/users/{id}/deactivate', { params: { path: { id } }, body: handover })),
    onSuccess: () => {
      done();
      invalidateWork(qc); // reassigned tasks
    },
  });
}

/** `handover`: who takes over their open tasks; none leaves them unassigned. */
export function useDeleteUser() {
  const done = useInvalidateUsers();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, handover }: { id: string; handover?: Schemas['HandoverRequest'] }) =>
      call(api.DELETE('/api/users/{id}', { params: { path: { id } }, body: handover })),
    onSuccess: () => {
      done();
      invalidateWork(qc); // reassigned or unassigned tasks
    },
  });
}

export function useResetUserPassword() {
  const done = useInvalidateUsers();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Schemas['PasswordResetRequest'] }) =>
      call(api.POST('/api/users/{id}/password', { params: { path: { id } }, body })),
    onSuccess: done,
  });
}

// ---- audit --------------------------------------------------------------------------

/** The activity log's filters, as GET /api/audit takes them (days are the organisation's). */
export type AuditFilters = {
  kind?: string;
  action?: string;
  actorId?: string;
  target?: string;
  targetId?: string;
  from?: string;
  to?: string;
  q?: string;
};

export function useAudit(filters: AuditFilters, enabled = true) {
  const query = compact(filters);
  return useInfiniteQuery({
    queryKey: [...keys.audit, query],
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/audit', {
          params: { query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The catalog of audit actions and their kinds, for the kind and action pickers. */
export function useAuditCatalog() {
  return useQuery({ queryKey: [...keys.audit, 'catalog'], queryFn: () => call(api.GET('/api/audit/actions')), staleTime: Infinity });
}

/** Whom the actor filter may offer: people whose activity the reader may read and see. */
export function useAuditPeople() {
  return useQuery({ queryKey: [...keys.audit, 'people'], queryFn: () => call(api.GET('/api/audit/people')) });
}

/** What the filters select, as the server's CSV (English words beside the codes). */
export function fetchAuditCsv(filters: AuditFilters): Promise<string> {
  return call(api.GET('/api/audit.csv', { params: { query: compact(filters) }, parseAs: 'text' })) as Promise<string>;
}

// Projects, teams, boards, tasks, task types, access and "view as".
export * from './work';

/** Asking to change one's own email (the login): it takes one's password, and a link to the new address. */
export function useChangeMyEmail() {
  return useMutation({
    mutationFn: (body: { password: string; email: string }) => call(api.POST('/api/me/email', { body })),
  });
}

/** Opening the link (or typing the code) that confirms a new email. */
export function useConfirmEmail() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (token: string) => call(api.POST('/api/auth/confirm-email', { body: { token } })),
    onSuccess: () => refresh(qc, keys.me),
  });
}
