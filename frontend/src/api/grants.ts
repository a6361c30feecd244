// Hooks for extra grants beyond a role (/api/grants, /api/users/{id}/grants). A grant
// changes what the person sees, so a change refreshes every list.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { refresh } from './refresh';

export type UserGrant = Schemas['UserGrant'];
export type GiveUserGrant = Schemas['GiveUserGrant'];

export function useUserGrants(userId: string) {
  return useQuery({
    queryKey: ['grants', userId],
    queryFn: () => call(api.GET('/api/users/{id}/grants', { params: { path: { id: userId } } })),
  });
}

export function useAllGrants() {
  return useQuery({ queryKey: ['grants', ''], queryFn: () => call(api.GET('/api/grants')) });
}

export function useGiveGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, body }: { userId: string; body: GiveUserGrant }) =>
      call(api.POST('/api/users/{id}/grants', { params: { path: { id: userId } }, body })),
    onSuccess: () => void refresh(qc),
  });
}

export function useRevokeGrant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id }: { id: string }) => call(api.DELETE('/api/grants/{id}', { params: { path: { id } } })),
    onSuccess: () => void refresh(qc),
  });
}
