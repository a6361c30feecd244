import { Badge, Center, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../api/client';
import { usePermissions, useRoles } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { areaLabel, permissionLabel, scopeLabel } from '../lib/permissions';
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
    </Stack>
  );
}
