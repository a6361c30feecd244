import { Button, Divider, Group, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Me, type User } from '../../api/client';
import { useGiveGrant, useRevokeGrant, useUserGrants, type UserGrant } from '../../api/grants';
import { usePermissions } from '../../api/hooks';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatDate } from '../../lib/format';
import { permissionLabel, scopeLabel } from '../../lib/permissions';

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
      return t('what.board', { name: g.targetName || t('hidden'), level: g.level });
    default:
      return t('what.follow', { name: g.targetName || t('hidden') });
  }
}

/**
 * Extra access beyond the person's role, in their edit drawer: what they were given, by
 * whom and until when, with a confirmed end; and a permission to give, from those the
 * asker holds themselves (the server gives no more than one's own role).
 */
export function ExtraAccessSection({ user, me }: { user: User; me: Me }) {
  const { t } = useTranslation('users', { keyPrefix: 'extraAccess' });
  const grants = useUserGrants(user.id);
  const catalog = usePermissions();
  const give = useGiveGrant();
  const revoke = useRevokeGrant();
  const [perm, setPerm] = useState<string | null>(null);
  const [scope, setScope] = useState<string | null>(null);
  const [until, setUntil] = useState('');
  const [ending, setEnding] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const mine = new Map(me.permissions.map((g) => [g.key, g.scope ?? '']));
  const items = (catalog.data?.items ?? []).filter((p) => !p.planned && mine.has(p.key));
  const label = (key: string) => {
    const p = catalog.data?.items.find((i) => i.key === key);
    return p ? permissionLabel(p) : key;
  };
  const chosen = items.find((p) => p.key === perm);
  // Only scopes within the asker's own: "all" covers every scope, any other only itself.
  const scopes = chosen
    ? chosen.scopes.filter((s) => mine.get(chosen.key) === 'all' || mine.get(chosen.key) === s)
    : [];

  const submit = async () => {
    if (!perm) return;
    setError(null);
    try {
      await give.mutateAsync({
        userId: user.id,
        body: {
          kind: 'permission',
          permission: perm,
          scope: scope ?? (scopes.length === 1 ? scopes[0] : ''),
          until: until ? new Date(`${until}T23:59:00`).toISOString() : null,
        },
      });
      notifications.show({ color: 'teal', message: t('given', { name: user.name }) });
      setPerm(null);
      setScope(null);
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
      {items.length > 0 && (
        <Stack gap="xs">
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
            <Select
              label={t('scope')}
              data={scopes.map((s) => ({ value: s, label: scopeLabel(s) }))}
              value={scope}
              onChange={setScope}
            />
          )}
          <TextInput type="date" label={t('until')} description={t('untilHint')} value={until} onChange={(e) => setUntil(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button size="xs" disabled={!perm || (scopes.length > 1 && !scope)} loading={give.isPending} onClick={() => void submit()}>
              {t('give')}
            </Button>
          </Group>
        </Stack>
      )}
    </Stack>
  );
}
