import { Badge, Center, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { useAllGrants, type UserGrant } from '../api/grants';
import { usePermissions, useRoles } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { formatDate } from '../lib/format';
import { areaLabel, permissionLabel, scopeLabel } from '../lib/permissions';
import { grantWhat } from './users/ExtraAccessSection';
import i18n from '../i18n';
import { sortRoles } from './roles/RolesPage';

/** "Yes" for an unscoped grant, the scope for a scoped one, "—" when not granted. */
export function cellText(scope: string | undefined, granted: boolean): string {
  if (!granted) return '—';
  return scope ? scopeLabel(scope) : i18n.t('roleComparison:yes');
}

/** Roles as columns (built-in first), catalog permissions as rows grouped by area. */
export function RoleComparisonPage() {
  const { t } = useTranslation('roleComparison');
  const roles = useRoles();
  const catalog = usePermissions();
  const error = roles.error ?? catalog.error;
  if (error) return <ErrorAlert message={errorMessage(error)} />;
  if (!roles.data || !catalog.data) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }
  const cat = catalog.data;
  const cols = sortRoles(roles.data.items);
  const grants = cols.map((r) => new Map(r.permissions.map((g) => [g.key, g.scope ?? ''])));

  return (
    <Stack gap="md">
      <PageHeader title={t('title')} description={t('description')} />
      <Table.ScrollContainer minWidth={300 + cols.length * 120}>
        <Table withTableBorder withColumnBorders striped stickyHeader aria-label={t('title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('permission')}</Table.Th>
              {cols.map((r) => (
                <Table.Th key={r.id} scope="col" ta="center">
                  {r.name}
                  {r.builtIn && (
                    <Tooltip label={t('builtIn')}>
                      <IconLock size={12} style={{ marginLeft: 4, verticalAlign: 'middle' }} aria-label={t('builtInAria')} />
                    </Tooltip>
                  )}
                  {r.kind === 'client' && (
                    <Badge ml={4} size="xs" variant="light" color="grape" tt="none">
                      {t('client')}
                    </Badge>
                  )}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {cat.areas.map((area) => {
              // Only what works: a permission whose feature is not in Gatehouse yet is not listed.
              const items = cat.items.filter((p) => p.area === area.key && !p.planned);
              if (items.length === 0) return null;
              return (
                <Fragment key={area.key}>
                  <Table.Tr>
                    <Table.Th colSpan={cols.length + 1} scope="rowgroup" bg="var(--mantine-color-default-hover)">
                      {areaLabel(area)}
                    </Table.Th>
                  </Table.Tr>
                  {items.map((p) => (
                    <Table.Tr key={p.key}>
                      <Table.Th scope="row" fw={400}>
                        <Text size="sm">{permissionLabel(p)}</Text>
                        <Text size="xs" c="dimmed" ff="monospace">
                          {p.key}
                        </Text>
                      </Table.Th>
                      {cols.map((r, i) => {
                        const has = grants[i].has(p.key);
                        const text = cellText(grants[i].get(p.key), has);
                        return (
                          <Table.Td key={r.id} ta="center" c={has ? undefined : 'dimmed'} fw={has ? 500 : undefined}>
                            {text}
                          </Table.Td>
                        );
                      })}
                    </Table.Tr>
                  ))}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <BeyondTheRoles label={(key) => {
        const p = cat.items.find((i) => i.key === key);
        return p ? permissionLabel(p) : key;
      }} />
    </Stack>
  );
}

/**
 * The other path to a permission: extra grants in force to one person (a permission, or
 * a role for a while), beside the roles. Shown to readers who may list grants; for
 * others the section is left out (the server refuses the list).
 */
export function BeyondTheRoles({ label }: { label: (key: string) => string }) {
  const { t } = useTranslation('roleComparison');
  const { t: te } = useTranslation('users', { keyPrefix: 'extraAccess' });
  const grants = useAllGrants();
  if (!grants.data) return null;
  const rows = grants.data.items.filter((g: UserGrant) => g.kind === 'permission' || g.kind === 'role');
  return (
    <Stack gap="xs" component="section" aria-label={t('beyond.title')}>
      <Text fw={600}>{t('beyond.title')}</Text>
      <Text size="sm" c="dimmed">
        {t('beyond.description')}
      </Text>
      {rows.length === 0 ? (
        <Text size="sm">{t('beyond.none')}</Text>
      ) : (
        <Table withTableBorder aria-label={t('beyond.title')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('beyond.person')}</Table.Th>
              <Table.Th>{t('beyond.what')}</Table.Th>
              <Table.Th>{t('beyond.path')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((g) => (
              <Table.Tr key={g.id}>
                <Table.Td>{g.userName}</Table.Td>
                <Table.Td>{grantWhat(g, label, (k, o) => te(k, o ?? {}))}</Table.Td>
                <Table.Td>
                  {g.until
                    ? t('beyond.byUntil', { name: g.givenByName, date: formatDate(g.until) })
                    : t('beyond.by', { name: g.givenByName })}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
