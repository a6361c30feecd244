// Hooks for what is done to accounts beyond the list and the form: welcome and reset mails,
// handing over a leaver's work, adding a newcomer to projects, and importing people from CSV.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Project, type Schemas } from './client';
import i18n from '../i18n';
import { keys } from './hooks';
import { refresh } from './refresh';
import { invalidateWork } from './work';

export type Handover = Schemas['Handover'];
export type HandoverRequest = Schemas['HandoverRequest'];
export type UserWithPassword = Schemas['UserWithPassword'];
export type ImportReport = Schemas['ImportReport'];
export type ImportRow = Schemas['ImportRow'];
export type ImportJob = Schemas['ImportJob'];

export const userKeys = {
  handover: (id: string) => [...keys.users, 'handover', id] as const,
  // Not under 'users': the import refreshes the user list when done, and the job's answer
  // carries the one-time links only once, so it must never be asked for again.
  importJob: (id: string) => ['user-import', id] as const,
};

function useInvalidateUsers() {
  const qc = useQueryClient();
  return () => {
    void refresh(qc, keys.users);
    void refresh(qc, keys.roles); // user counts
    void refresh(qc, keys.audit);
  };
}

// ---- mails --------------------------------------------------------------------------

export function useSendResetEmail() {
  const done = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/users/{id}/reset-email', { params: { path: { id } } })),
    onSuccess: done,
  });
}

export function useResendInvitation() {
  const done = useInvalidateUsers();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/users/{id}/invitation', { params: { path: { id } } })),
    onSuccess: done,
  });
}

// ---- handover -----------------------------------------------------------------------

/** What a person leaves behind; asked afresh each time a deactivation or deletion is confirmed. */
export function useHandover(id: string, enabled: boolean) {
  return useQuery({
    queryKey: userKeys.handover(id),
    queryFn: () => call(api.GET('/api/users/{id}/handover', { params: { path: { id } } })),
    enabled,
    staleTime: 0,
  });
}

// ---- a newcomer's projects ----------------------------------------------------------

export type ProjectsAdded = { added: Project[]; failed: { project: Project; message: string }[] };

/**
 * Adds one person to the members of several projects, one PATCH each (the contract has no
 * "add a member" call): each project is read afresh just before, so members added by someone
 * else in the meantime are kept.
 */
export function useAddToProjects() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, projects }: { userId: string; projects: Project[] }): Promise<ProjectsAdded> => {
      const results = await Promise.allSettled(
        // One person added at a time: nobody else's change to the members is lost.
        projects.map((p) => call(api.POST('/api/projects/{id}/people', { params: { path: { id: p.id } }, body: { userId } }))),
      );
      const out: ProjectsAdded = { added: [], failed: [] };
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') out.added.push(r.value);
        else out.failed.push({ project: projects[i], message: r.reason instanceof Error ? r.reason.message : i18n.t('shell:api.somethingWrong') });
      });
      return out;
    },
    onSettled: () => invalidateWork(qc),
  });
}

// ---- CSV import ---------------------------------------------------------------------

export function useCheckImport() {
  return useMutation({
    mutationFn: async (csv: string) =>
      (await call(api.POST('/api/users/import', { body: { csv, dryRun: true } }))) as ImportReport,
  });
}

function useImportFinished() {
  const qc = useQueryClient();
  const done = useInvalidateUsers();
  return () => {
    done();
    invalidateWork(qc); // the projects and teams they joined
  };
}

export function useStartImport() {
  const finished = useImportFinished();
  return useMutation({
    mutationFn: async (body: { csv: string; sendWelcome?: boolean }) =>
      (await call(api.POST('/api/users/import', { body: { ...body, dryRun: false } }))) as ImportJob,
    // A small import may be over before it is answered.
    onSuccess: (job) => job.state === 'done' && finished(),
  });
}

export const IMPORT_POLL_MS = 500;

/**
 * Follows an import started as `started` until it is done or failed, asking every 500 ms;
 * a finished job is never asked for again.
 */
export function useImportJob(started: ImportJob | null) {
  const finished = useImportFinished();
  const running = started?.state === 'running';
  const query = useQuery({
    queryKey: userKeys.importJob(started?.id ?? ''),
    queryFn: async () => {
      const job = await call(api.GET('/api/user-imports/{jobId}', { params: { path: { jobId: started!.id } } }));
      if (job.state === 'done') finished();
      return job;
    },
    enabled: running,
    // Stops at an error too: a job that cannot be read (gone, or no longer ours) will not come back.
    refetchInterval: (q) =>
      q.state.status !== 'error' && (!q.state.data || q.state.data.state === 'running') ? IMPORT_POLL_MS : false,
    staleTime: Infinity,
    gcTime: Infinity,
  });
  return { job: running ? (query.data ?? started) : started, error: query.error };
}

/** The CSV template, fetched with the session (it is not a public file). */
export async function fetchImportTemplate(): Promise<Blob> {
  return call(api.GET('/api/users/import/template', { parseAs: 'blob' }));
}
