// Asking the server again after a change. invalidateQueries alone refetches a query that is
// already fetching only when it has data (cancelRefetch); a first fetch still in flight is
// left to finish, and its answer, from before the change, is kept as fresh. A list that
// opened just before a mutation (a client back from the payment gateway) then showed the
// state before it. Cancelled first, such a fetch is asked again like any other.
import type { QueryClient, QueryKey } from '@tanstack/react-query';

/**
 * After a change: cancels what is in flight under `queryKey` (every query without one),
 * then invalidates it, so what is shown is fetched again with the change counted. Resolves
 * once the refetches are done, as invalidateQueries does.
 */
export function refresh(qc: QueryClient, queryKey?: QueryKey): Promise<void> {
  const filters = queryKey ? { queryKey } : {};
  return qc.cancelQueries(filters).then(() => qc.invalidateQueries(filters));
}
