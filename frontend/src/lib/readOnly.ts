import { useSyncExternalStore } from 'react';
import { getViewAs, subscribeViewAs, type ViewAsTarget } from '../api/viewAs';

/** The user being viewed as, or null. */
export function useViewAs(): ViewAsTarget | null {
  return useSyncExternalStore(subscribeViewAs, getViewAs);
}

/** True while viewing as someone: every change is disabled. */
export function useReadOnly(): boolean {
  return useViewAs() !== null;
}

/** Whether a thing's `actions` (from the server) include `action`, and changes are possible now. */
export function allows(actions: readonly string[] | undefined, action: string, readOnly: boolean): boolean {
  return !readOnly && !!actions?.includes(action);
}
