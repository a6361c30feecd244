// Access review campaigns: who runs them (roles.manage) starts, follows, closes and
// exports them; each reviewer decides their own lines, saved as they are made. What a
// closing applies goes through the same services as doing it by hand, so people, roles
// and projects are refreshed after it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type AccessReview = Schemas['AccessReview'];
export type ReviewLine = Schemas['AccessReviewLine'];

export const reviewKeys = {
  all: ['reviews'] as const,
  one: (id: string) => ['reviews', 'one', id] as const,
  mine: ['reviews', 'mine'] as const,
  due: ['reviews', 'due'] as const,
  candidates: ['reviews', 'candidates'] as const,
};

export function useReviews() {
  return useQuery({ queryKey: reviewKeys.all, queryFn: () => call(api.GET('/api/reviews')) });
}

export function useReview(id: string | undefined) {
  return useQuery({
    queryKey: reviewKeys.one(id ?? ''),
    queryFn: () => call(api.GET('/api/reviews/{id}', { params: { path: { id: id! } } })),
    enabled: !!id,
  });
}

export function useMyReviews() {
  return useQuery({ queryKey: reviewKeys.mine, queryFn: () => call(api.GET('/api/reviews/mine')) });
}

export function useReviewDue(enabled: boolean) {
  return useQuery({ queryKey: reviewKeys.due, queryFn: () => call(api.GET('/api/reviews/due')), enabled });
}

export function useReviewCandidates(enabled: boolean) {
  return useQuery({ queryKey: reviewKeys.candidates, queryFn: () => call(api.GET('/api/reviews/candidates')), enabled });
}

export type StartReview = { scope: AccessReview['scope']; scopeId?: string; reviewers: string[] };

export function useStartReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: StartReview) => call(api.POST('/api/reviews', { body })),
    onSuccess: () => {
      void refresh(qc, reviewKeys.all);
      void refresh(qc, keys.me); // the menu may now offer a checklist
      void refresh(qc, keys.audit);
    },
  });
}

export type Decision = { decision: 'keep' | 'revoke' | 'change'; roleId?: string; note?: string };

export function useDecideLine() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ reviewId, lineId, body }: { reviewId: string; lineId: string; body: Decision }) =>
      call(api.PUT('/api/reviews/{id}/lines/{lineId}', { params: { path: { id: reviewId, lineId } }, body })),
    onSuccess: () => {
      void refresh(qc, reviewKeys.all);
      void refresh(qc, keys.audit);
    },
  });
}

export function useCloseReview() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, keepUndecided }: { id: string; keepUndecided: boolean }) =>
      call(api.POST('/api/reviews/{id}/close', { params: { path: { id } }, body: { keepUndecided } })),
    onSuccess: () => {
      // Closing applies revocations and role changes: everything about people may have changed.
      void refresh(qc);
    },
  });
}

/** The report's downloads: API path and file name. */
export function reviewReport(id: string, which: 'pdf' | 'csv') {
  return { path: `/api/reviews/${id}/report.${which}`, name: `access-review.${which}` };
}

export function fetchReviewReport(id: string, which: 'pdf' | 'csv'): Promise<Blob> {
  const op = which === 'pdf' ? api.GET('/api/reviews/{id}/report.pdf', { params: { path: { id } }, parseAs: 'blob' }) : api.GET('/api/reviews/{id}/report.csv', { params: { path: { id } }, parseAs: 'blob' });
  return call(op) as Promise<Blob>;
}
