// Client login history and engagement (activity.clients): the rows, their CSV and one
// client's sign-in history. Under the audit log's key, so whatever refreshes the log
// refreshes these too.
import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import type { paths } from './schema';

export type ClientEngagement = Schemas['ClientEngagement'];
export type ClientSignIn = Schemas['ClientSignIn'];
export type EngagementQuery = NonNullable<paths['/api/activity/clients']['get']['parameters']['query']>;
export type EngagementSort = NonNullable<EngagementQuery['sort']>;
export type Period = NonNullable<EngagementQuery['days']>;

export const PERIODS: Period[] = [7, 30, 90, 365];

export const engagementKeys = {
  all: [...keys.audit, 'clients'] as const,
  history: (id: string) => [...keys.audit, 'clients', id, 'sign-ins'] as const,
};

/** Every client account's engagement the asker may read, in the order asked for. */
export function useClientActivity(query: EngagementQuery) {
  return useQuery({
    queryKey: [...engagementKeys.all, query],
    queryFn: () => call(api.GET('/api/activity/clients', { params: { query } })),
    placeholderData: keepPreviousData,
  });
}

/** The same rows as CSV text. */
export async function fetchClientActivityCsv(query: EngagementQuery): Promise<string> {
  return (await call(api.GET('/api/activity/clients.csv', { params: { query }, parseAs: 'text' }))) as string;
}

/** One client's sign-ins, failed and refused sign-ins, newest first, 25 at a time. */
export function useClientSignIns(id: string | null) {
  return useInfiniteQuery({
    queryKey: engagementKeys.history(id ?? ''),
    queryFn: ({ pageParam }) =>
      call(
        api.GET('/api/activity/clients/{id}/sign-ins', {
          params: { path: { id: id ?? '' }, query: { limit: 25, ...(pageParam ? { cursor: pageParam } : {}) } },
        }),
      ),
    initialPageParam: '' as string,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: !!id,
  });
}
