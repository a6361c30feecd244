// What the Extra access section may offer to give one person: only what the server would
// accept from this asker (backend/grants decides; these are the same rules, read off the
// answers the server already gave: the asker's permissions, each role's and project's and
// board's `actions`).
import type { Board, Grant, Permission, Project, Role, User } from '../../api/client';

export type GrantKind = 'permission' | 'role' | 'project' | 'board';

/** Whether a role's scope covers another: "all" covers every scope, any other only itself. */
function covers(held: string, wanted: string): boolean {
  return held === 'all' || held === wanted;
}

/**
 * The scopes of permission p the asker may give this person: within the asker's own, and
 * — when the person's role holds p already at a narrower scope — only a wider one ("all").
 * Empty: nothing of p to give. An unscoped permission gives [''].
 */
export function givableScopes(p: Permission, mine: Grant[], role: Role | undefined): string[] {
  const own = mine.find((g) => g.key === p.key);
  if (!own) return [];
  const held = role?.permissions.find((g) => g.key === p.key);
  if (p.scopes.length === 0) return held ? [] : [''];
  return p.scopes.filter((s) => covers(own.scope ?? '', s) && (!held || (!covers(held.scope ?? '', s) && covers(s, held.scope ?? ''))));
}

/** The permissions the asker may give this person (with a role of kind `role.kind`). */
export function givablePermissions(catalog: Permission[], mine: Grant[], role: Role | undefined): Permission[] {
  const kind = role?.kind ?? 'internal';
  return catalog.filter((p) => !p.planned && (!p.kinds || p.kinds.includes(kind)) && givableScopes(p, mine, role).length > 0);
}

/** Roles to give for a while: those the asker may move this person into, of the same kind, not the one they hold. */
export function givableRoles(roles: Role[], user: Pick<User, 'roleId' | 'roleKind'>): Role[] {
  return roles.filter((r) => r.actions.includes('users.edit') && r.id !== user.roleId && r.kind === user.roleKind);
}

/** Projects the asker may add this person to, and they are not on yet. */
export function givableProjects(projects: Project[], user: Pick<User, 'id' | 'roleKind'>): Project[] {
  const list = (p: Project) => (user.roleKind === 'client' ? p.clients : p.members);
  return projects.filter((p) => p.status === 'active' && p.actions.includes('members') && !list(p).includes(user.id));
}

/** Invite-only boards the asker may invite to and this person is not invited to (none for a client). */
export function givableBoards(boards: Board[], user: Pick<User, 'id' | 'roleKind'>): Board[] {
  if (user.roleKind === 'client') return [];
  return boards.filter((b) => b.visibility === 'invited' && b.actions.includes('invite') && !b.access.some((a) => a.type === 'user' && a.id === user.id));
}
