// "View as": after POST /api/view-as, every GET carries X-View-As and the app renders
// read-only as that user. The target is held in memory and sessionStorage (so a reload
// keeps it) and is forgotten with the session.

import i18n from '../i18n';

export type ViewAsTarget = { userId: string; name: string };

export const VIEW_AS_KEY = 'gatehouse.viewAs';

function readStored(): ViewAsTarget | null {
  try {
    const raw = globalThis.sessionStorage?.getItem(VIEW_AS_KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<ViewAsTarget>;
    return typeof v.userId === 'string' && v.userId ? { userId: v.userId, name: String(v.name ?? '') } : null;
  } catch {
    return null;
  }
}

let target: ViewAsTarget | null = readStored();
const listeners = new Set<() => void>();

export function getViewAs(): ViewAsTarget | null {
  return target;
}

export function setViewAs(next: ViewAsTarget | null): void {
  target = next;
  try {
    if (next) sessionStorage.setItem(VIEW_AS_KEY, JSON.stringify(next));
    else sessionStorage.removeItem(VIEW_AS_KEY);
  } catch {
    // storage disabled: memory still works for this window
  }
  listeners.forEach((l) => l());
}

export function subscribeViewAs(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Requests allowed while viewing as someone: reading, leaving (sign-out) and switching. */
export function allowedWhileViewing(method: string, schemaPath: string): boolean {
  if (method === 'GET' || method === 'HEAD') return true;
  if (method === 'DELETE' && schemaPath === '/api/sessions/current') return true;
  if (method === 'POST' && schemaPath === '/api/view-as') return true;
  return false;
}

/** Why a change is refused while viewing as someone (in the UI's language, when it happens). */
export const readOnlyMessage = () => i18n.t('shell:api.readOnly');
