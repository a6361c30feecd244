// Hooks for what the company spends: a project's budget and extra costs, a client
// company's cost per month and a team member's hour rate. Amounts are integers in minor
// units of the organisation's currency (lib/money.ts). Each figure reaches only those the
// server sends it to; nothing here decides who may see it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';
import { invalidateWork } from './work';

export type ProjectCosts = Schemas['ProjectCosts'];
export type ProjectCost = Schemas['ProjectCost'];

export const costKeys = {
  // Under 'work': a project's changes refresh its costs, and these refresh the project.
  project: (id: string) => ['work', 'project-costs', id] as const,
};

/** A project's budget, extra costs and their sum (403 without costs.view). */
export function useProjectCosts(projectId: string, enabled = true) {
  return useQuery({
    queryKey: costKeys.project(projectId),
    queryFn: () => call(api.GET('/api/projects/{id}/costs', { params: { path: { id: projectId } } })),
    enabled,
  });
}

/** After a change: the costs and the project, whose answer carries budget and spent too. */
function useInvalidateCosts() {
  const qc = useQueryClient();
  return () => invalidateWork(qc);
}

export function useSetBudget(projectId: string) {
  const done = useInvalidateCosts();
  return useMutation({
    mutationFn: (budget: number | null) =>
      call(api.PUT('/api/projects/{id}/budget', { params: { path: { id: projectId } }, body: { budget } })),
    onSuccess: done,
  });
}

export function useAddCost(projectId: string) {
  const done = useInvalidateCosts();
  return useMutation({
    mutationFn: (body: { description: string; amount: number; date: string }) =>
      call(api.POST('/api/projects/{id}/costs', { params: { path: { id: projectId } }, body })),
    onSuccess: done,
  });
}

export function useDeleteCost() {
  const done = useInvalidateCosts();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/project-costs/{id}', { params: { path: { id } } })),
    onSuccess: done,
  });
}

/** A client company's cost per month (null clears it); the companies list refreshes. */
export function useSetCompanyCost() {
  const done = useInvalidateCosts(); // 'users' holds the companies
  return useMutation({
    mutationFn: ({ id, costPerMonth }: { id: string; costPerMonth: number | null }) =>
      call(api.PUT('/api/companies/{id}/cost', { params: { path: { id } }, body: { costPerMonth } })),
    onSuccess: done,
  });
}

/** A team member's hour rate (null clears it); the accounts refresh. */
export function useSetHourRate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, hourRate }: { id: string; hourRate: number | null }) =>
      call(api.PUT('/api/users/{id}/hour-rate', { params: { path: { id } }, body: { hourRate } })),
    onSuccess: () => {
      void refresh(qc, keys.users);
      void refresh(qc, keys.audit);
    },
  });
}
