// Hooks for client companies: the list (with each company's people and projects) and its
// changes. The list's key sits under 'users', so every change to accounts (a client added,
// moved or deleted) and to work (a project given to a company) refreshes it too.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import { invalidateWork } from './work';

export type Company = Schemas['Company'];
export type CompanyRequest = Schemas['CompanyRequest'];

export const companyKeys = {
  all: [...keys.users, 'companies'] as const,
};

/**
 * The companies the asker sees, by name (403 for a role that does not list client
 * accounts). The server answers with all of them at once (`next` is always null).
 */
export function useCompanies(enabled = true) {
  return useQuery({
    queryKey: companyKeys.all,
    queryFn: async () => (await call(api.GET('/api/companies'))).items,
    enabled,
    staleTime: 30_000,
  });
}

/** After a change: the companies, the accounts that name them and the projects for them. */
function useInvalidateCompanies() {
  const qc = useQueryClient();
  // invalidateWork refreshes 'users' (the companies and the account list) and 'work'.
  return () => invalidateWork(qc);
}

export function useCreateCompany() {
  const done = useInvalidateCompanies();
  return useMutation({
    mutationFn: (body: CompanyRequest) => call(api.POST('/api/companies', { body })),
    onSuccess: done,
  });
}

export function useUpdateCompany() {
  const done = useInvalidateCompanies();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CompanyRequest }) =>
      call(api.PATCH('/api/companies/{id}', { params: { path: { id } }, body })),
    onSuccess: done,
  });
}

export function useDeleteCompany() {
  const done = useInvalidateCompanies();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/companies/{id}', { params: { path: { id } } })),
    onSuccess: done,
  });
}
