import { Badge, Button, Center, EmptyState, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useAllGrants, useRevokeGrant, type UserGrant } from '../../api/grants';
import { usePermissions } from '../../api/hooks';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useReadOnly } from '../../lib/readOnly';
import { formatDate } from '../../lib/format';
import { permissionLabel } from '../../lib/permissions';
import { grantWhat } from './ExtraAccessSection';

type KindFilter = 'all' | UserGrant['kind'];

/**
 * Every extra grant in force that the reader sees, across the organisation: person, what,
 * who gave it and until when, filtered by kind, each ended now after a confirmation (only
 * where the server says the reader may: canRevoke).
 */
export function GrantsPanel() {
  const { t } = useTranslation('users', { keyPrefix: 'grantsPanel' });
  const { t: te } = useTranslation('users', { keyPrefix: 'extraAccess' });
  const grants = useAllGrants();
  const catalog = usePermissions();
  const revoke = useRevokeGrant();
  const readOnly = useReadOnly();
  const [kind, setKind] = useState<KindFilter>('all');
  const [ending, setEnding] = useState<UserGrant | null>(null);
  const [error, setError] = useState<string | null>(null);

  const label = (key: string) => {
    const p = catalog.data?.items.find((i) => i.key === key);
    return p ? permissionLabel(p) : key;
  };
  const what = (g: UserGrant) => grantWhat(g, label, (k, o) => te(k, o ?? {}));
  const all = grants.data?.items ?? [];
  const rows = kind === 'all' ? all : all.filter((g) => g.kind === kind);

  const end = async (g: UserGrant) => {
    setError(null);
    try {
      await revoke.mutateAsync({ id: g.id });
      notifications.show({ color: 'teal', message: t('ended', { name: g.userName }) });
      setEnding(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (grants.isError) return <ErrorAlert message={errorMessage(grants.error)} />;
  if (grants.isPending) {
    return (
      <Center py="xl">
        <Loader />
      </Center>
    );
  }
  if (all.length === 0) {
    return (
      <EmptyState icon={<IconKey size={28} />} withIndicatorBackground title={t('emptyTitle')} description={t('emptyText')} py="xl" />
    );
  }
  return (
    <Stack gap="md" data-testid="grants-panel">
      <Text size="sm" c="dimmed">
        {t('description')}
      </Text>
      <Group justify="space-between">
        <SegmentedControl
          aria-label={t('filter')}
          value={kind}
          onChange={(v) => setKind(v as KindFilter)}
          data={(['all', 'permission', 'role', 'project', 'board', 'follow'] as const).map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
        />
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('count', { count: rows.length })}
        </Text>
      </Group>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('noneOfKind')}
        </Text>
      ) : (
        <Table.ScrollContainer minWidth={700}>
          <Table striped aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('person')}</Table.Th>
                <Table.Th scope="col">{t('what')}</Table.Th>
                <Table.Th scope="col">{t('givenBy')}</Table.Th>
                <Table.Th scope="col">{t('until')}</Table.Th>
                <Table.Th scope="col" />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((g) => (
                <Table.Tr key={g.id} data-testid="grant-row">
                  <Table.Td>{g.userName}</Table.Td>
                  <Table.Td>
                    {what(g)}
                    {g.held && (
                      <Badge ml="xs" size="xs" color="orange" variant="light" tt="none" title={te('heldHint')}>
                        {te('held')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{g.givenByName || '—'}</Table.Td>
                  <Table.Td>{g.until ? formatDate(g.until) : t('untilEnded')}</Table.Td>
                  <Table.Td ta="right">
                    {g.canRevoke && !readOnly && (
                      <Button size="xs" variant="light" color="red" onClick={() => setEnding(g)}>
                        {t('end')}
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {ending && (
        <ConfirmModal
          opened
          title={t('confirmTitle')}
          confirmLabel={t('end')}
          loading={revoke.isPending}
          error={error}
          onClose={() => {
            setEnding(null);
            setError(null);
          }}
          onConfirm={() => void end(ending)}
        >
          <Text size="sm">{t('confirmText', { name: ending.userName, what: what(ending) })}</Text>
        </ConfirmModal>
      )}
    </Stack>
  );
}
