import { Badge, Button, Divider, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type User } from '../../api/client';
import { useGiveGrant, useRevokeGrant, useUserGrants, type GiveUserGrant, type UserGrant } from '../../api/grants';
import { usePermissions, useRoles } from '../../api/hooks';
import { useAllProjects, useBoards } from '../../api/work';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { endOfOrgDay, formatDate, orgDay } from '../../lib/format';
import { permissionLabel, scopeLabel } from '../../lib/permissions';
import { givableBoards, givablePermissions, givableProjects, givableRoles, givableScopes, type GrantKind } from './grantOptions';

/** What a grant gives, in words. */
export function grantWhat(g: UserGrant, label: (key: string) => string, t: (k: string, o?: Record<string, string>) => string): string {
  switch (g.kind) {
    case 'permission':
      return g.scope ? `${label(g.permission)} (${scopeLabel(g.scope)})` : label(g.permission);
    case 'role':
      return t('what.role', { role: g.roleName, previous: g.previousRoleName });
    case 'project':
      return t('what.project', { name: g.targetName || t('hidden') });
    case 'board':
      return t('what.board', { name: g.targetName || t('hidden'), level: t(`level.${g.level === 'editor' ? 'editor' : 'member'}`) });
    default:
      return t('what.follow', { name: g.targetName || t('hidden') });
  }
}

/**
 * Extra access beyond the person's role, in their edit drawer: what they were given, by
 * whom and until when, with a confirmed end; and something to give — a permission, a role
 * for a while, a project membership or a board invitation — offering only what the server
 * accepts from this asker (no more than their own role; see grantOptions). Following a
 * task is given from the task itself.
 */
export function ExtraAccessSection({ user, me }: { user: User; me: Me }) {
  const { t } = useTranslation('users', { keyPrefix: 'extraAccess' });
  const grants = useUserGrants(user.id);
  const catalog = usePermissions();
  const roles = useRoles();
  const give = useGiveGrant();
  const revoke = useRevokeGrant();
  const [kind, setKind] = useState<GrantKind>('permission');
  const [perm, setPerm] = useState<string | null>(null);
  const [scope, setScope] = useState<string | null>(null);
  const [target, setTarget] = useState<string | null>(null);
  const [level, setLevel] = useState<'member' | 'editor'>('member');
  const [until, setUntil] = useState('');
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const projects = useAllProjects(kind === 'project');
  const boards = useBoards(kind === 'board' && user.roleKind !== 'client');

  const role = roles.data?.items.find((r) => r.id === user.roleId);
  const items = givablePermissions(catalog.data?.items ?? [], me.permissions, role);
  const label = (key: string) => {
    const p = catalog.data?.items.find((i) => i.key === key);
    return p ? permissionLabel(p) : key;
  };
  const chosen = items.find((p) => p.key === perm);
  const scopes = chosen ? givableScopes(chosen, me.permissions, role) : [];
  // One role for a while at a time: the server refuses a second.
  const roleOpen = grants.data?.items.some((g) => g.kind === 'role') ?? false;
  const roleItems = roleOpen ? [] : givableRoles(roles.data?.items ?? [], user);
  const projectItems = givableProjects(projects.data ?? [], user);
  const boardItems = givableBoards(boards.data ?? [], user);
  const kinds: { value: GrantKind; label: string }[] = [
    { value: 'permission', label: t('kind.permission') },
    ...(roleItems.length > 0 || kind === 'role' ? [{ value: 'role' as const, label: t('kind.role') }] : []),
    { value: 'project', label: t('kind.project') },
    ...(user.roleKind !== 'client' ? [{ value: 'board' as const, label: t('kind.board') }] : []),
  ];
  const today = orgDay();

  const reset = (next: GrantKind) => {
    setKind(next);
    setPerm(null);
    setScope(null);
    setTarget(null);
    setLevel('member');
    setError(null);
  };
  const ready =
    (kind === 'permission' && !!perm && (scopes.length <= 1 || !!scope)) ||
    (kind === 'role' && !!target && !!until) ||
    ((kind === 'project' || kind === 'board') && !!target);

  const submit = async () => {
    if (!ready) return;
    setError(null);
    const body: GiveUserGrant = { kind, until: until ? endOfOrgDay(until) : null };
    if (kind === 'permission') {
      body.permission = perm ?? '';
      body.scope = scope ?? scopes[0] ?? '';
    } else if (kind === 'role') body.roleId = target ?? '';
    else body.targetId = target ?? '';
    if (kind === 'board') body.level = level;
    try {
      await give.mutateAsync({ userId: user.id, body });
      notifications.show({ color: 'teal', message: t('given', { name: user.name }) });
      reset(kind);
      setUntil('');
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const end = async (id: string) => {
    setError(null);
    try {
      await revoke.mutateAsync({ id });
      notifications.show({ color: 'teal', message: t('ended') });
      setEnding(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const none = (what: string) => (
    <Text size="sm" c="dimmed" data-testid="extra-access-none">
      {what}
    </Text>
  );

  return (
    <Stack gap="xs" data-testid="extra-access">
      <Divider my="sm" />
      <Title order={3} size="h5">
        {t('title')}
      </Title>
      <Text size="sm" c="dimmed">
        {t('description')}
      </Text>
      {error && <ErrorAlert message={error} />}
      {grants.isLoading ? (
        <Loading />
      ) : grants.data?.items.length ? (
        grants.data.items.map((g) => (
          <Group key={g.id} justify="space-between" wrap="nowrap" data-testid="extra-access-item">
            <Stack gap={0}>
              <Text size="sm">{grantWhat(g, label, (k, o) => t(k, o ?? {}))}</Text>
              <Text size="xs" c="dimmed">
                {g.until
                  ? t('byUntil', { name: g.givenByName, date: formatDate(g.until) })
                  : t('byForever', { name: g.givenByName })}
              </Text>
              {g.held && (
                <Badge size="xs" color="orange" variant="light" tt="none" title={t('heldHint')}>
                  {t('held')}
                </Badge>
              )}
            </Stack>
            {g.canRevoke &&
              (ending === g.id ? (
                <Group gap="xs" wrap="nowrap">
                  <Button size="xs" color="red" loading={revoke.isPending} onClick={() => void end(g.id)}>
                    {t('endConfirm')}
                  </Button>
                  <Button size="xs" variant="default" onClick={() => setEnding(null)}>
                    {t('cancel')}
                  </Button>
                </Group>
              ) : (
                <Button size="xs" variant="light" color="red" onClick={() => setEnding(g.id)}>
                  {t('end')}
                </Button>
              ))}
          </Group>
        ))
      ) : (
        <Text size="sm" c="dimmed">
          {t('empty')}
        </Text>
      )}
      <Stack gap="xs">
        <Select
          label={t('kindLabel')}
          data={kinds}
          value={kind}
          allowDeselect={false}
          onChange={(v) => reset((v ?? 'permission') as GrantKind)}
        />
        {kind === 'permission' &&
          (items.length === 0 ? (
            none(t('nonePermission'))
          ) : (
            <>
              <Select
                label={t('permission')}
                placeholder={t('permissionPlaceholder')}
                searchable
                data={items.map((p) => ({ value: p.key, label: `${permissionLabel(p)} (${p.key})` }))}
                value={perm}
                onChange={(v) => {
                  setPerm(v);
                  setScope(null);
                }}
              />
              {scopes.length > 1 && (
                <Select label={t('scope')} data={scopes.map((s) => ({ value: s, label: scopeLabel(s) }))} value={scope} onChange={setScope} />
              )}
            </>
          ))}
        {kind === 'role' &&
          (roleItems.length === 0 ? (
            none(roleOpen ? t('roleOpen') : t('noneRole'))
          ) : (
            <Select
              label={t('role')}
              description={t('roleHint', { role: user.roleName })}
              placeholder={t('rolePlaceholder')}
              data={roleItems.map((r) => ({ value: r.id, label: r.name }))}
              value={target}
              onChange={setTarget}
            />
          ))}
        {kind === 'project' &&
          (projects.isLoading ? (
            <Loading />
          ) : projectItems.length === 0 ? (
            none(t('noneProject'))
          ) : (
            <Select
              label={t('project')}
              placeholder={t('projectPlaceholder')}
              searchable
              data={projectItems.map((p) => ({ value: p.id, label: p.name }))}
              value={target}
              onChange={setTarget}
            />
          ))}
        {kind === 'board' &&
          (boards.isLoading ? (
            <Loading />
          ) : boardItems.length === 0 ? (
            none(t('noneBoard'))
          ) : (
            <>
              <Select
                label={t('board')}
                placeholder={t('boardPlaceholder')}
                searchable
                data={boardItems.map((b) => ({ value: b.id, label: b.name }))}
                value={target}
                onChange={setTarget}
              />
              <Select
                label={t('levelLabel')}
                data={[
                  { value: 'member', label: t('level.member') },
                  { value: 'editor', label: t('level.editor') },
                ]}
                value={level}
                allowDeselect={false}
                onChange={(v) => setLevel(v === 'editor' ? 'editor' : 'member')}
              />
            </>
          ))}
        <TextInput
          type="date"
          label={t('until')}
          description={kind === 'role' ? t('untilRoleHint') : t('untilHint')}
          required={kind === 'role'}
          min={today}
          value={until}
          error={until && until < today ? t('untilPast') : undefined}
          onChange={(e) => setUntil(e.currentTarget.value)}
        />
        <Group justify="flex-end">
          <Button size="xs" disabled={!ready || (!!until && until < today)} loading={give.isPending} onClick={() => void submit()}>
            {t('give')}
          </Button>
        </Group>
      </Stack>
    </Stack>
  );
}
