import { Alert, Badge, Button, Card, Center, Group, List, Loader, Modal, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconHistory } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type Role } from '../../api/client';
import { useRoleHistory, useRollbackRole, type RoleVersion } from '../../api/roleHistory';
import { usePreviewedSave, type WhatIfRequest } from '../../api/whatif';
import { ErrorAlert } from '../../components/ErrorAlert';
import { WhatIfPanel } from '../../components/WhatIfPanel';
import { formatDateTime } from '../../lib/format';

/**
 * A custom role's history: each version with who changed it, when and what changed, in
 * the server's words; a rollback to any earlier version first shows what it would change
 * in the role as it is now, how many people hold it and the what-if preview of the
 * rollback (who gains and who loses what), and asks to confirm; the rollback is sent with
 * the preview's version, and refused as stale (the preview refreshed) if access moved.
 */
export function RoleHistory({ role, onRolledBack }: { role: Role; onRolledBack?: () => void }) {
  const { t } = useTranslation('roles');
  const history = useRoleHistory(role.id);
  const rollback = useRollbackRole();
  const [target, setTarget] = useState<RoleVersion | null>(null);
  // The rollback is the edit to that version's state: its preview is of that edit.
  const proposal: WhatIfRequest | null = target
    ? {
        role: {
          id: role.id,
          kind: target.state.kind,
          permissions: target.state.permissions,
          ...(target.state.assignableRoleIds ? { assignableRoleIds: target.state.assignableRoleIds } : {}),
        },
      }
    : null;
  const preview = usePreviewedSave(proposal);

  if (history.isError) return <ErrorAlert message={errorMessage(history.error)} />;
  if (history.isPending) {
    return (
      <Center py="md">
        <Loader size="sm" />
      </Center>
    );
  }
  const items = history.data.items;
  const latest = items[0]?.version;

  const confirm = async () => {
    if (!target) return;
    preview.start();
    try {
      await rollback.mutateAsync({ id: role.id, version: target.version, ...preview.expect });
      notifications.show({ color: 'teal', message: t('history.rolledBack', { version: target.version }) });
      setTarget(null);
      onRolledBack?.();
    } catch (e) {
      // A stale preview is refreshed in the dialog; anything else is shown there.
      if (preview.refused(e)) rollback.reset();
    }
  };

  return (
    <Stack gap="sm">
      <Title order={3} size="h4">
        {t('history.title')}
      </Title>
      {items.length === 0 ? (
        <Text c="dimmed" size="sm">
          {t('history.empty')}
        </Text>
      ) : (
        items.map((v) => (
          <Card key={v.version} withBorder padding="sm">
            <Group justify="space-between" align="flex-start" wrap="nowrap">
              <Stack gap={4}>
                <Group gap="xs">
                  <Text fw={600}>{t('history.version', { version: v.version })}</Text>
                  {v.version === latest && (
                    <Badge size="xs" variant="light">
                      {t('history.current')}
                    </Badge>
                  )}
                  {v.note === 'rollback' && (
                    <Badge size="xs" variant="light" color="orange">
                      {t('history.rollbackOf', { version: v.rolledBack })}
                    </Badge>
                  )}
                </Group>
                <Text size="sm" c="dimmed">
                  {t('history.by', { when: formatDateTime(v.at), who: v.changedBy || t('history.someone') })}
                </Text>
                {v.changes.length > 0 ? (
                  <List size="sm" spacing={2}>
                    {v.changes.map((c, i) => (
                      <List.Item key={i}>{c.text}</List.Item>
                    ))}
                  </List>
                ) : (
                  <Text size="sm">
                    {v.note === 'create' ? t('history.created') : v.note === 'clone' ? t('history.cloned') : t('history.noChange')}
                  </Text>
                )}
              </Stack>
              {v.version !== latest && (
                <Button size="xs" variant="default" leftSection={<IconHistory size={14} />} onClick={() => {
                    rollback.reset();
                    preview.start();
                    setTarget(v);
                  }}>
                  {t('history.rollback')}
                </Button>
              )}
            </Group>
          </Card>
        ))
      )}
      <Modal opened={!!target} onClose={() => setTarget(null)} title={t('history.confirmTitle', { version: target?.version ?? 0 })}>
        {target && (
          <Stack gap="sm">
            {target.restore.length === 0 ? (
              <Text size="sm">{t('history.sameAsNow')}</Text>
            ) : (
              <>
                <Text size="sm">{t('history.willChange')}</Text>
                <List size="sm" spacing={2}>
                  {target.restore.map((c, i) => (
                    <List.Item key={i}>{c.text}</List.Item>
                  ))}
                </List>
              </>
            )}
            <Text size="sm">{t('history.holders', { count: role.userCount })}</Text>
            <Text size="xs" c="dimmed">
              {t('history.decidedAsEdit')}
            </Text>
            <WhatIfPanel whatIf={preview.whatIf} stale={preview.stale} />
            {rollback.isError && <Alert color="red">{errorMessage(rollback.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setTarget(null)}>
                {t('cancel')}
              </Button>
              <Button color="orange" loading={rollback.isPending} disabled={preview.whatIf.pending} onClick={() => void confirm()}>
                {t('history.confirm', { version: target.version })}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
