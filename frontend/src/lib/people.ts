import { useQueries } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { Me, Project, RoleKind, Schemas, User } from '../api/client';
import { projectPeopleQuery, useDirectory, useInternalPeople } from '../api/work';
import i18n from '../i18n';
import { can } from './permissions';

/** Someone a picker may offer or a list may name. */
export type Person = { id: string; name: string; kind: RoleKind; active: boolean };

export type People = {
  /**
   * Whom user pickers offer: the user list (users.view over staff) or else, for internal
   * users, every active internal user (GET /api/people). Empty in the portal.
   */
  all: Person[];
  /** Whether the user list (/api/users, users.view) was loaded: emails, clients, deactivated users. */
  listed: boolean;
  /** Who is on one of the projects asked for (empty until loaded, or when not asked for). */
  onProject: (projectId: string) => Person[];
  /** A readable name for a user id (never an id). */
  nameOf: (id: string) => string;
  /** Whether some source names this id. */
  knows: (id: string) => boolean;
  isPending: boolean;
};

/** Shown for someone no source names once everything is loaded (English; on screen use unnamedInternal()/unnamedForClient()). */
export const UNNAMED_INTERNAL = 'Deactivated user';
export const UNNAMED_FOR_CLIENT = 'A team member';

/** UNNAMED_INTERNAL in the UI's language. */
export const unnamedInternal = () => i18n.t('shell:people.unnamedInternal');
/** UNNAMED_FOR_CLIENT in the UI's language. */
export const unnamedForClient = () => i18n.t('shell:people.unnamedForClient');
/** "<name> (deactivated)". */
const deactivated = (name: string) => i18n.t('shell:people.deactivated', { name });

/**
 * A project member's or client's name as the project carries it (`names`): no people
 * endpoint is asked. The server leaves out only accounts that no longer exist.
 */
export function nameOnProject(project: Pick<Project, 'names'>, id: string): string {
  return project.names?.[id] ?? i18n.t('shell:people.deletedUser');
}

function fromUser(u: User): Person {
  return { id: u.id, name: u.name, kind: u.roleKind, active: u.status === 'active' };
}

export function fromApi(p: Schemas['Person']): Person {
  return { id: p.id, name: p.name, kind: p.kind, active: p.active !== false };
}

/**
 * Names and pickable people for the actor. Sources, best first: the actor; the people of
 * `projectIds` (anyone who sees a project may ask); the user list with users.view; every
 * active internal user for internal actors. Portal users learn only their projects' people.
 */
export function usePeople(me: Me, projectIds: readonly string[] = [], enabled = true): People {
  const internal = me.role.kind === 'internal';
  const listed = can(me, 'users.view');
  const scope = me.permissions.find((p) => p.key === 'users.view')?.scope;
  // users.view over clients only lists no staff: internal users then need /api/people.
  const listsStaff = listed && (scope === 'all' || scope === 'staff');
  // `enabled` false: nothing is asked for yet (a picker not opened).
  const dir = useDirectory(listed && enabled);
  const everyone = useInternalPeople(internal && !listsStaff && enabled);
  const ids = useMemo(() => (enabled ? [...new Set(projectIds.filter(Boolean))].sort() : []), [projectIds, enabled]);
  const projects = useQueries({
    queries: ids.map((id) => projectPeopleQuery(id)),
    combine: (results) => ({
      data: results.map((r) => r.data),
      pending: results.some((r) => r.isPending),
    }),
  });

  return useMemo(() => {
    const listedPeople = (dir.data ?? []).map(fromUser);
    const internalPeople = (everyone.data ?? []).map(fromApi);
    const byProject = new Map<string, Person[]>();
    ids.forEach((id, i) => byProject.set(id, (projects.data[i] ?? []).map(fromApi)));

    const byId = new Map<string, Person>();
    for (const p of internalPeople) byId.set(p.id, p);
    for (const p of listedPeople) byId.set(p.id, p);
    for (const list of byProject.values()) for (const p of list) if (!byId.has(p.id)) byId.set(p.id, p);

    const isPending = (listed && dir.isPending) || (internal && !listsStaff && everyone.isPending) || projects.pending;
    return {
      all: listsStaff ? listedPeople : internal ? mergeUnique(internalPeople, listedPeople) : [],
      listed,
      isPending,
      onProject: (projectId: string) => byProject.get(projectId) ?? [],
      knows: (id: string) => id === me.user.id || byId.has(id),
      nameOf: (id: string) => {
        if (!id) return '';
        if (id === me.user.id) return me.user.name;
        const known = byId.get(id);
        if (known) return known.active ? known.name : deactivated(known.name);
        if (isPending) return '…';
        // Every active internal user and every active person on the projects asked for is
        // known by now: whoever is left no longer has an active account (for internal
        // users), or is on the team without being on the project (for the portal).
        return internal ? unnamedInternal() : unnamedForClient();
      },
    };
  }, [dir.data, dir.isPending, everyone.data, everyone.isPending, projects, ids, listed, listsStaff, internal, me.user.id, me.user.name]);
}

function mergeUnique(a: Person[], b: Person[]): Person[] {
  const seen = new Set(a.map((p) => p.id));
  return [...a, ...b.filter((p) => !seen.has(p.id))].sort((x, y) => x.name.localeCompare(y.name));
}

/** Options for a user picker: active people of one kind (and those in `keep`, marked if deactivated). */
export function userOptions(all: Person[], kind?: RoleKind, keep: string[] = []) {
  return all
    .filter((u) => (!kind || u.kind === kind) && (u.active || keep.includes(u.id)))
    .map((u) => ({ value: u.id, label: u.active ? u.name : deactivated(u.name) }));
}
