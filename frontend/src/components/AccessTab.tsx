import {
  Alert,
  Badge,
  Button,
  Card,
  CloseButton,
  Group,
  List,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCircleCheck, IconCircleX, IconShieldSearch } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type AccessEntry, type AccessPath } from '../api/client';
import { invalidateWork, useAccess, useDirectory, useExplain, type AccessResource, type ExplainQuery } from '../api/work';
import { explainActions, pathLabel, removalQuestion, removeAccessPath } from '../lib/access';
import { useReadOnly } from '../lib/readOnly';
import { ConfirmModal } from './ConfirmModal';
import { ErrorAlert } from './ErrorAlert';
import { Loading } from './Loading';

export function PathBadge({ path, onRemove }: { path: AccessPath; onRemove?: () => void }) {
  const { t } = useTranslation('access');
  const l = pathLabel(path);
  return (
    <Tooltip label={l.hint} disabled={!l.hint} withArrow>
      <Badge
        variant="light"
        color={l.color}
        tt="none"
        size="lg"
        radius="sm"
        data-kind={path.kind}
        rightSection={
          onRemove ? (
            <CloseButton size="xs" aria-label={t('tab.removeAria', { path: l.text })} onClick={onRemove} variant="transparent" />
          ) : undefined
        }
      >
        {l.text}
      </Badge>
    </Tooltip>
  );
}

type Pending = { entry: AccessEntry; path: AccessPath } | null;

/** Who can see a project, board, task, file or discussion, by which paths; removable paths can be cut. */
export function AccessTab({ type, id }: { type: AccessResource; id: string }) {
  // Each kind of thing has its own sentences (a thread is a "discussion" on every page).
  const { t } = useTranslation('access');
  const access = useAccess(type, id);
  // Explain also answers for people who cannot see it (yet): offer everyone one may list.
  const directory = useDirectory();
  const readOnly = useReadOnly();
  const qc = useQueryClient();
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await removeAccessPath(pending.path, pending.entry.userId);
      notifications.show({ color: 'teal', message: t('tab.removed', { path: pathLabel(pending.path).text, name: pending.entry.name }) });
      setPending(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      invalidateWork(qc);
    }
  };

  const entries = access.data?.items ?? [];

  return (
    <Stack gap="lg">
      <div>
        <Title order={3} size="h4">
          {t(`tab.title.${type}`)}
        </Title>
        <Text size="sm" c="dimmed">
          {t('tab.intro')}
        </Text>
      </div>
      {access.isError && <ErrorAlert message={errorMessage(access.error)} />}
      {access.isPending ? (
        <Loading />
      ) : entries.length === 0 && !access.isError ? (
        <Text c="dimmed">{t(`tab.nobody.${type}`)}</Text>
      ) : (
        entries.length > 0 && (
          <Table.ScrollContainer minWidth={560}>
            <Table verticalSpacing="sm" aria-label={t(`tab.tableLabel.${type}`)}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tab.name')}</Table.Th>
                  <Table.Th>{t('tab.role')}</Table.Th>
                  <Table.Th>{t('tab.why')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {entries.map((e) => (
                  <Table.Tr key={e.userId} data-testid={`access-${e.userId}`}>
                    <Table.Td>{e.name}</Table.Td>
                    <Table.Td>{e.roleName}</Table.Td>
                    <Table.Td>
                      <Group gap={6}>
                        {e.paths.map((p, i) => (
                          <PathBadge
                            key={`${p.kind}-${p.via ?? ''}-${i}`}
                            path={p}
                            onRemove={
                              p.removable && !readOnly
                                ? () => {
                                    setError(null);
                                    setPending({ entry: e, path: p });
                                  }
                                : undefined
                            }
                          />
                        ))}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )
      )}

      <ExplainBox
        type={type}
        id={id}
        people={entries}
        extraPeople={(directory.data ?? []).filter((u) => u.status === 'active').map((u) => ({ userId: u.id, name: u.name }))}
      />

      <ConfirmModal
        opened={pending !== null}
        title={t('tab.confirmTitle')}
        confirmLabel={t('tab.confirmLabel')}
        onClose={() => setPending(null)}
        onConfirm={confirm}
        loading={busy}
        error={error}
      >
        <Text size="sm">{pending ? removalQuestion(pending.path, pending.entry.name) : ''}</Text>
      </ConfirmModal>
    </Stack>
  );
}

/** Asks the server whether one user may do one thing here, and why (or what is missing). */
export function ExplainBox({
  type,
  id,
  people,
  extraPeople = [],
}: {
  type: AccessResource;
  id: string;
  people: { userId: string; name: string }[];
  extraPeople?: { userId: string; name: string }[];
}) {
  const { t } = useTranslation('access');
  const actions = explainActions(type);
  const [userId, setUserId] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(actions[0].value);
  const [asked, setAsked] = useState<ExplainQuery | null>(null);
  const explain = useExplain(asked);
  const seen = new Set<string>();
  const options = [...people, ...extraPeople]
    .filter((p) => (seen.has(p.userId) ? false : (seen.add(p.userId), true)))
    .map((p) => ({ value: p.userId, label: p.name }));

  return (
    <Card withBorder padding="md">
      <Stack gap="sm">
        <Group gap="xs">
          <IconShieldSearch size={20} />
          <Title order={3} size="h5">
            {t('explain.title')}
          </Title>
        </Group>
        <Text size="sm" c="dimmed">
          {t('explain.intro')}
        </Text>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('explain.person')}
            placeholder={t('explain.choosePerson')}
            data={options}
            value={userId}
            onChange={setUserId}
            searchable
            w={240}
            nothingFoundMessage={t('explain.nobodyFound')}
          />
          <Select
            label={t('explain.action')}
            data={actions}
            value={action}
            onChange={setAction}
            allowDeselect={false}
            w={220}
          />
          <Button
            onClick={() => userId && action && setAsked({ userId, action, resourceType: type, resourceId: id })}
            disabled={!userId || !action}
            loading={explain.isFetching}
          >
            {t('explain.button')}
          </Button>
        </Group>
        {explain.isError && <ErrorAlert message={errorMessage(explain.error)} />}
        {explain.data && asked && (
          <Alert
            color={explain.data.allowed ? 'teal' : 'red'}
            icon={explain.data.allowed ? <IconCircleCheck size={18} /> : <IconCircleX size={18} />}
            title={explain.data.allowed ? t('explain.allowed') : t('explain.denied')}
            data-testid="explain-result"
          >
            <Stack gap={6}>
              {explain.data.paths.length > 0 && (
                <Group gap={6}>
                  <Text size="sm">{explain.data.allowed ? t('explain.through') : t('explain.theyHave')}</Text>
                  {explain.data.paths.map((p, i) => (
                    <PathBadge key={`${p.kind}-${p.via ?? ''}-${i}`} path={p} />
                  ))}
                </Group>
              )}
              {!explain.data.allowed && explain.data.missing && (
                <List size="sm">
                  <List.Item>{t('explain.missing', { missing: explain.data.missing })}</List.Item>
                </List>
              )}
            </Stack>
          </Alert>
        )}
      </Stack>
    </Card>
  );
}
