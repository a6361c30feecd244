import type { Grant, Me, PermissionCatalog } from '../api/client';

/**
 * Courtesy check only, for buttons whose thing carries no `actions` from the server yet: the
 * server decides. Never for the menu or the routes (those follow `me.nav`).
 */
export function can(me: Me | undefined, key: string): boolean {
  return !!me?.permissions.some((p) => p.key === key);
}

/** The name the server gives a page of the menu (`me.nav`), or undefined when it is not in it. */
export function pageLabel(me: Me | undefined, key: Me['nav'][number]['key']): string | undefined {
  return me?.nav.find((n) => n.key === key)?.label;
}

export function scopeOf(grants: Grant[], key: string): string | undefined {
  return grants.find((g) => g.key === key)?.scope;
}

/**
 * Courtesy check: the role holds `key` (a users.* permission) over client accounts, at
 * scope `clients` or `all`, and is a team role: the server's rule for client companies
 * (users.view to list them, users.create to make one, users.edit to change one).
 */
export function coversClients(me: Me | undefined, key: string): boolean {
  if (!me || me.role.kind === 'client') return false;
  const scope = scopeOf(me.permissions, key);
  return scope === 'clients' || scope === 'all';
}

export type GrantGroup = {
  area: string;
  label: string;
  items: { key: string; label: string; description?: string; scope?: string }[];
};

/** What the UI says of a permission whose feature is not in Gatehouse yet. */

// Without the catalog, a key's prefix names its area, except these (DESIGN.md's areas).
const PREFIX_AREA: Record<string, string> = {
  roles: 'users',
  invoices: 'invoicing',
  payments: 'invoicing',
  revenue: 'invoicing',
  activity: 'reports',
};

function titleCase(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}

/**
 * Groups grants by area: the catalog's area when the catalog is at hand, otherwise the
 * key's prefix before the dot. Areas keep the catalog's order.
 */
export function groupGrants(grants: Grant[], catalog?: PermissionCatalog): GrantGroup[] {
  const byKey = new Map(catalog?.items.map((p) => [p.key, p]) ?? []);
  const areaLabels = new Map(catalog?.areas.map((a) => [a.key, a.label]) ?? []);
  const groups = new Map<string, GrantGroup>();
  for (const g of grants) {
    const perm = byKey.get(g.key);
    // Only what works: a permission whose feature is not in Gatehouse yet is not listed.
    if (perm?.planned) continue;
    const prefix = g.key.split('.')[0];
    const area = perm?.area ?? PREFIX_AREA[prefix] ?? prefix;
    let group = groups.get(area);
    if (!group) {
      group = { area, label: areaLabels.get(area) ?? titleCase(area), items: [] };
      groups.set(area, group);
    }
    group.items.push({
      key: g.key,
      label: perm?.label ?? g.key,
      description: perm?.description,
      scope: g.scope || undefined,
    });
  }
  const order = catalog?.areas.map((a) => a.key) ?? [];
  const rank = (a: string) => (order.indexOf(a) === -1 ? order.length : order.indexOf(a));
  return [...groups.values()].sort((a, b) => rank(a.area) - rank(b.area) || a.area.localeCompare(b.area));
}

// Permissions that only open pages (or only read): kept while viewing as someone, so the
// navbar is theirs; every other permission is dropped so no change is offered. (The
// settings keys open Settings' tabs, whose forms disable their changes meanwhile.)
const READ_KEYS = new Set([
  'roles.manage',
  'teams.manage',
  'tasks.types',
  'tasks.view_internal',
  'activity.team',
  'activity.clients',
  'reports.dashboard',
  'settings.integrations',
  'settings.email',
  // Opens the Discussions tab, to read them as that person; writing is disabled meanwhile.
  'chat.discussions',
]);

/** The same account with only its reading permissions (for "view as": read-only). */
export function readOnlyMe(me: Me): Me {
  return { ...me, permissions: me.permissions.filter((p) => p.key.endsWith('.view') || READ_KEYS.has(p.key)) };
}
