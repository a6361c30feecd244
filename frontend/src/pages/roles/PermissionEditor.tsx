import { Badge, Checkbox, Group, Paper, SegmentedControl, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Grant, PermissionCatalog } from '../../api/client';

/**
 * The catalog's permissions grouped by its areas: a checkbox per permission and, for a
 * scoped one, a choice of scope (narrowest first, as the catalog lists them).
 */
export function PermissionEditor({
  catalog,
  value,
  onChange,
  readOnly = false,
}: {
  catalog: PermissionCatalog;
  value: Grant[];
  onChange: (next: Grant[]) => void;
  readOnly?: boolean;
}) {
  const { t } = useTranslation('roles');
  const granted = new Map(value.map((g) => [g.key, g.scope ?? '']));

  const toggle = (key: string, scopes: string[], on: boolean) => {
    if (on) onChange([...value.filter((g) => g.key !== key), { key, scope: scopes[0] ?? '' }]);
    else onChange(value.filter((g) => g.key !== key));
  };
  const setScope = (key: string, scope: string) =>
    onChange(value.map((g) => (g.key === key ? { ...g, scope } : g)));

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="md">
      {catalog.areas.map((area) => {
        // Only what works: a planned permission is not offered (one the role holds stays).
        const items = catalog.items.filter((p) => p.area === area.key && !p.planned);
        if (items.length === 0) return null;
        const count = items.filter((p) => granted.has(p.key)).length;
        return (
          <Paper key={area.key} withBorder p="md" component="fieldset" aria-label={area.label} style={{ margin: 0 }}>
            <Group justify="space-between" mb="sm">
              <Text component="legend" fw={600} p={0}>
                {area.label}
              </Text>
              <Badge variant="light" color={count ? 'indigo' : 'gray'} tt="none">
                {t('permissionEditor.count', { count, total: items.length })}
              </Badge>
            </Group>
            <Stack gap="sm">
              {items.map((p) => {
                const on = granted.has(p.key);
                return (
                  <Group key={p.key} justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
                    <Checkbox
                      label={p.label}
                      description={p.description}
                      checked={on}
                      disabled={readOnly}
                      onChange={(e) => toggle(p.key, p.scopes, e.currentTarget.checked)}
                      data-permission={p.key}
                    />
                    {p.scopes.length > 0 && (
                      <SegmentedControl
                        size="xs"
                        data={p.scopes}
                        value={on ? granted.get(p.key) || p.scopes[0] : p.scopes[0]}
                        onChange={(s) => setScope(p.key, s)}
                        disabled={readOnly || !on}
                        aria-label={t('permissionEditor.scopeOf', { permission: p.label })}
                        style={{ flexShrink: 0 }}
                      />
                    )}
                  </Group>
                );
              })}
            </Stack>
          </Paper>
        );
      })}
    </SimpleGrid>
  );
}
