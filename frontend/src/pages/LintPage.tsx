import { Badge, Button, Card, Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconChecks } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useRevokeGrant } from '../api/grants';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../api/client';
import { keys, useDeleteRole, useSetUserActive } from '../api/hooks';
import { LINT_KINDS, type LintFinding, useLint } from '../api/lint';
import { useUpdateSignInSettings } from '../api/signin';
import { ConfirmModal } from '../components/ConfirmModal';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { pageName } from '../lib/permissions';
import { useReadOnly } from '../lib/readOnly';

type Fix = NonNullable<LintFinding['fix']>;

/** The one-click fix of a finding, when the server says this reader may take it. */
function FixButton({ finding, onFix }: { finding: LintFinding; onFix: (f: LintFinding) => void }) {
  const { t } = useTranslation('lint');
  const readOnly = useReadOnly();
  const fix = finding.fix;
  if (!fix || !fix.allowed || readOnly) return null;
  if (fix.action === 'edit_role')
    return (
      <Button component={Link} to={`/roles/${fix.roleId}`} size="xs" variant="light">
        {t('fix.edit_role')}
      </Button>
    );
  return (
    <Button size="xs" variant="light" color={fix.action === 'default_role_client' ? 'blue' : 'red'} onClick={() => onFix(finding)}>
      {t(`fix.${fix.action}`)}
    </Button>
  );
}

/** Permission lint: what the first article's best practices warn about, grouped by kind. */
export function LintPage({ me }: { me: Me }) {
  const { t } = useTranslation('lint');
  const lint = useLint();
  const qc = useQueryClient();
  const deactivate = useSetUserActive();
  const deleteRole = useDeleteRole();
  const revokeGrant = useRevokeGrant();
  const signIn = useUpdateSignInSettings();
  const [confirming, setConfirming] = useState<LintFinding | null>(null);
  const [error, setError] = useState<string | null>(null);
  const items = lint.data?.items ?? [];

  const open = (f: LintFinding) => {
    setError(null);
    setConfirming(f);
  };
  const name = (f: LintFinding) => f.users[0]?.name ?? f.roles[0]?.name ?? '';
  const apply = async (f: LintFinding, fix: Fix) => {
    setError(null);
    try {
      if (fix.action === 'deactivate_user') await deactivate.mutateAsync({ id: fix.userId ?? '', active: false });
      else if (fix.action === 'delete_role') await deleteRole.mutateAsync({ id: fix.roleId ?? '' });
      else if (fix.action === 'end_grant') await revokeGrant.mutateAsync({ id: fix.grantId ?? '' });
      else if (fix.action === 'default_role_client') {
        await signIn.mutateAsync({ defaultRoleId: fix.roleId ?? 'client' });
        void qc.invalidateQueries({ queryKey: keys.roles });
      }
      notifications.show({ color: 'teal', message: t(`done.${fix.action}`, { name: name(f) }) });
      setConfirming(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const fix = confirming?.fix;
  return (
    <Stack gap="lg">
      <PageHeader title={pageName(me, 'lint') ?? t('title')} description={t('description')} />
      {lint.isLoading && (
        <Center py="xl">
          <Loader />
        </Center>
      )}
      <ErrorAlert message={lint.error ? errorMessage(lint.error) : null} />
      {lint.isSuccess && items.length === 0 && (
        <EmptyState
          icon={<IconChecks size={28} />}
          withIndicatorBackground
          title={t('empty.title')}
          description={t('empty.text')}
          py="xl"
        />
      )}
      {lint.isSuccess && items.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('total', { count: items.length })}
        </Text>
      )}
      {LINT_KINDS.map((kind) => {
        const group = items.filter((f) => f.kind === kind);
        if (group.length === 0) return null;
        return (
          <Card key={kind} withBorder component="section" aria-label={t(`kind.${kind}`)}>
            <Group justify="space-between" mb="xs">
              <Title order={3} size="h5">
                {t(`kind.${kind}`)}
              </Title>
              <Group gap="xs">
                <Badge variant="light" color={group[0].severity === 'warning' ? 'orange' : 'gray'} tt="none">
                  {t(`severity.${group[0].severity}`)}
                </Badge>
                <Badge variant="outline" tt="none" aria-label={t('count', { count: group.length })}>
                  {group.length}
                </Badge>
              </Group>
            </Group>
            <Stack gap="xs">
              {group.map((f, i) => (
                <Group key={`${kind}-${i}`} justify="space-between" wrap="nowrap" align="flex-start">
                  <Text size="sm">{f.message}</Text>
                  <FixButton finding={f} onFix={open} />
                </Group>
              ))}
            </Stack>
          </Card>
        );
      })}
      {confirming && fix && (
        <ConfirmModal
          opened
          title={t(`confirm.${fix.action}.title`)}
          confirmLabel={t(`fix.${fix.action}`)}
          confirmColor={fix.action === 'default_role_client' ? 'blue' : 'red'}
          loading={deactivate.isPending || deleteRole.isPending || signIn.isPending}
          error={error}
          onClose={() => setConfirming(null)}
          onConfirm={() => void apply(confirming, fix)}
        >
          <Text size="sm">{t(`confirm.${fix.action}.text`, { name: name(confirming) })}</Text>
        </ConfirmModal>
      )}
    </Stack>
  );
}
