// What-if before saving (POST /api/what-if): who would gain and who would lose what if a
// role's permissions, a person's role, a project's people, a team's members, a board's
// invitations or a task's visibility changed. The preview carries the index version it
// was computed on; the save sends it back as expectVersion, so a change made after access
// moved is refused (409 stale_preview) instead of applied unseen.
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, call, type Schemas } from './client';

export type WhatIfRequest = Schemas['WhatIfRequest'];
export type WhatIf = Schemas['WhatIf'];
export type WhatIfChange = Schemas['WhatIfChange'];

/** How long an edit must rest before it is previewed. */
export const WHAT_IF_DELAY_MS = 300;

/** The save refused because access changed since the preview shown. */
export function isStalePreview(e: unknown): boolean {
  return e instanceof ApiError && e.code === 'stale_preview';
}

/** Grants in one order, so the same permissions are the same proposal whatever order they were ticked in. */
function normalise(p: WhatIfRequest): WhatIfRequest {
  if (!p.role) return p;
  const permissions = p.role.permissions
    .map((g) => ({ key: g.key, scope: g.scope ?? '' }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { role: { ...p.role, permissions } };
}

export type WhatIfState = {
  /** A change is proposed (the panel has something to show). */
  active: boolean;
  /** The preview shown, if any (while a newer one loads, the previous one). */
  data?: WhatIf;
  error: unknown;
  /** The preview shown is not yet that of the proposal as it is now (resting or loading). */
  pending: boolean;
  /** The version to save with: that of the preview shown, when it is the current proposal's. */
  version?: string;
  refetch: () => void;
};

/**
 * The preview of `proposal` (null: nothing changed, nothing to preview), asked again once
 * the edits rest for WHAT_IF_DELAY_MS.
 */
export function useWhatIf(proposal: WhatIfRequest | null): WhatIfState {
  const key = proposal ? JSON.stringify(normalise(proposal)) : '';
  const [rested] = useDebouncedValue(key, WHAT_IF_DELAY_MS);
  const q = useQuery({
    queryKey: ['what-if', rested],
    queryFn: () => call(api.POST('/api/what-if', { body: JSON.parse(rested) as WhatIfRequest })),
    enabled: !!key && rested === key,
    placeholderData: keepPreviousData,
    // A preview is of this moment: a refused one is not retried, and none is kept for later.
    retry: false,
    gcTime: 0,
  });
  const active = !!key;
  const pending = active && (rested !== key || q.isFetching || q.isPlaceholderData || (!q.data && !q.error));
  const error = active && !q.isFetching ? q.error : null;
  return {
    active,
    data: active && !error ? q.data : undefined,
    error,
    pending,
    version: active && !pending && !error && q.data ? q.data.version : undefined,
    refetch: () => void q.refetch(),
  };
}

/** The same ids, whatever their order. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
}

export type PreviewedSave = {
  whatIf: WhatIfState;
  /** The last save was refused because access changed since the preview (shown until the next try). */
  stale: boolean;
  /** What to add to the save's body: the version of the preview shown, if any. */
  expect: { expectVersion?: string };
  /** Before a save: the stale notice goes. */
  start: () => void;
  /** After a refused save: true when it was stale_preview (the preview is refreshed and the notice shown). */
  refused: (e: unknown) => boolean;
};

/**
 * An editor's preview and its save, as the role editor and the user form do it: the
 * proposal's preview (null: nothing to preview), its version sent with the save, and a
 * save refused because access moved since refreshes the preview instead of applying.
 */
export function usePreviewedSave(proposal: WhatIfRequest | null): PreviewedSave {
  const whatIf = useWhatIf(proposal);
  const [stale, setStale] = useState(false);
  return {
    whatIf,
    stale,
    expect: whatIf.version ? { expectVersion: whatIf.version } : {},
    start: () => setStale(false),
    refused: (e) => {
      if (!isStalePreview(e)) return false;
      setStale(true);
      whatIf.refetch();
      return true;
    },
  };
}
