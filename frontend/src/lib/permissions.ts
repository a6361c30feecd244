import type { Grant, Me, PermissionCatalog } from '../api/client';
import i18n from '../i18n';

/**
 * A text the server sends in English, in the UI's language: looked up by `key` in the
 * UI's own words; in English, and for a key the UI does not know, the server's text.
 */
export function serverText(key: string, english: string): string {
  if (!english || (i18n.resolvedLanguage ?? i18n.language) === 'en' || !i18n.exists(key)) return english;
  return i18n.t(key);
}

type NavEntry = Me['nav'][number];

// The pages whose name depends on who asks (users: Users, Clients or Team; invoicing:
// Invoicing or Invoices in the portal): translated by the server's English name.
const NAMED_BY_TEXT = new Set<string>(['users', 'invoicing']);

/** A page of the menu (`me.nav`) as the menu names it, in the UI's language. */
export function navLabel(n: NavEntry): string {
  return serverText(NAMED_BY_TEXT.has(n.key) ? `nav:${n.key}.${n.label}` : `nav:${n.key}`, n.label);
}

/** A permission's label (GET /api/permissions), in the UI's language. */
export function permissionLabel(p: { key: string; label: string }): string {
  return serverText(`catalog:permissions.${p.key}.label`, p.label);
}

/** A permission's description, in the UI's language. */
export function permissionDescription(p: { key: string; description: string }): string {
  return serverText(`catalog:permissions.${p.key}.description`, p.description);
}

/** An area of the catalog (its `areas`), in the UI's language. */
export function areaLabel(a: { key: string; label: string }): string {
  return serverText(`catalog:areas.${a.key}`, a.label);
}

/** A role template's name (GET /api/role-templates), in the UI's language. */
export function templateName(t: { key: string; name: string }): string {
  return serverText(`catalog:templates.${t.key}.name`, t.name);
}

/** A role template's description, in the UI's language. */
export function templateDescription(t: { key: string; description: string }): string {
  return serverText(`catalog:templates.${t.key}.description`, t.description);
}

/** A grant's scope (all, assigned, own, team, staff, clients), in the UI's language. */
export function scopeLabel(scope: string): string {
  return serverText(`catalog:scopes.${scope}`, scope);
}

/**
 * Courtesy check only, for buttons whose thing carries no `actions` from the server yet: the
 * server decides. Never for the menu or the routes (those follow `me.nav`).
 */
export function can(me: Me | undefined, key: string): boolean {
  return !!me?.permissions.some((p) => p.key === key);
}

/**
 * The name the server gives a page of the menu (`me.nav`), in the server's English (to
 * tell which variant it is: Users, Clients or Team), or undefined when it is not in it.
 * To show it, use pageName.
 */
export function pageLabel(me: Me | undefined, key: NavEntry['key']): string | undefined {
  return me?.nav.find((n) => n.key === key)?.label;
}

/** The name of a page of the menu as the menu shows it (in the UI's language), or undefined when it is not in it. */
export function pageName(me: Me | undefined, key: NavEntry['key']): string | undefined {
  const n = me?.nav.find((e) => e.key === key);
  return n && navLabel(n);
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
  const areaLabels = new Map(catalog?.areas.map((a) => [a.key, areaLabel(a)]) ?? []);
  const groups = new Map<string, GrantGroup>();
  for (const g of grants) {
    const perm = byKey.get(g.key);
    // Only what works: a permission whose feature is not in Gatehouse yet is not listed.
    if (perm?.planned) continue;
    const prefix = g.key.split('.')[0];
    const area = perm?.area ?? PREFIX_AREA[prefix] ?? prefix;
    let group = groups.get(area);
    if (!group) {
      group = { area, label: areaLabels.get(area) ?? areaLabel({ key: area, label: titleCase(area) }), items: [] };
      groups.set(area, group);
    }
    group.items.push({
      key: g.key,
      label: perm ? permissionLabel(perm) : g.key,
      description: perm ? permissionDescription(perm) : undefined,
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
  'settings.security',
  // Opens the Discussions tab, to read them as that person; writing is disabled meanwhile.
  'chat.discussions',
]);

/** The same account with only its reading permissions (for "view as": read-only). */
export function readOnlyMe(me: Me): Me {
  return { ...me, permissions: me.permissions.filter((p) => p.key.endsWith('.view') || READ_KEYS.has(p.key)) };
}
