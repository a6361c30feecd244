// Permission lint (roles.manage): what the best practices warn about, each finding with
// its fix and whether the asker may take it. The fixes are the existing actions (the
// users, roles and sign-in settings hooks), so each is decided and logged as by hand.
import { useQuery } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';

export type LintFinding = Schemas['LintFinding'];
export type LintKind = LintFinding['kind'];

/** Page order of the kinds (the server sends them in this order too). */
export const LINT_KINDS: LintKind[] = [
  'too_many_admins',
  'admin_inactive',
  'account_inactive',
  'staff_no_project',
  'client_many_projects',
  'google_default_role',
  'role_unused',
  'role_generic_name',
  'role_duplicate',
  'deactivated_open_tasks',
];

// Under the roles key: whatever changes roles or people (their hooks refresh roles) refreshes it.
export const lintKey = ['lint'] as const;

export function useLint() {
  return useQuery({
    queryKey: [...keys.roles, ...lintKey],
    queryFn: () => call(api.GET('/api/lint')),
  });
}
