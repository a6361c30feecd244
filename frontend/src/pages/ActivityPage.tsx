import {
  Anchor,
  Button,
  Center,
  EmptyState,
  Group,
  Loader,
  Pill,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconFileSpreadsheet, IconFilterOff, IconHistory, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { errorMessage, type AuditEntry } from '../api/client';
import { fetchAuditCsv, useAudit, useAuditCatalog, useAuditPeople, type AuditFilters } from '../api/hooks';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import i18n from '../i18n';
import { csvFile, useApiDownload } from '../lib/download';
import { formatDateTime, orgDay } from '../lib/format';

/** A person or thing an entry names (AuditRef): its name now, or as recorded, or "" when unknown. */
type Ref = { type: string; id: string; name: string };

function isRef(v: unknown): v is Ref {
  return !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Ref).type === 'string' && typeof (v as Ref).id === 'string';
}

function isChange(v: unknown): v is { from: unknown; to: unknown } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'from' in v && 'to' in v;
}

/** What an audit action does, in the UI's language (activity:actions.<code>); the code when there are no words. */
export function actionLabel(action: string): string {
  const key = `activity:actions.${action}`;
  return i18n.exists(key) && typeof i18n.t(key) === 'string' ? i18n.t(key) : action;
}

function humanKey(key: string): string {
  // The detail keys the log usually carries have words; any other is spelled out from the key.
  if (i18n.exists(`activity:detailKeys.${key}`)) return i18n.t(`activity:detailKeys.${key}`);
  const spaced = key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]/g, ' ');
  return spaced[0].toUpperCase() + spaced.slice(1).toLowerCase();
}

function renderValue(key: string, v: unknown): ReactNode {
  if (isRef(v)) return v.name || <Text span c="dimmed">{i18n.t('activity:values.unknown')}</Text>;
  if (v === null || v === undefined || v === '') return <Text span c="dimmed">—</Text>;
  if (isChange(v)) {
    return (
      <>
        {renderValue(key, v.from)} → {renderValue(key, v.to)}
      </>
    );
  }
  if (Array.isArray(v)) {
    if (v.length === 0) return <Text span c="dimmed">{i18n.t('activity:values.none')}</Text>;
    return v.map((x, i) => (
      <span key={i}>
        {i > 0 && ', '}
        {renderValue(key, x)}
      </span>
    ));
  }
  if (typeof v === 'boolean') return v ? i18n.t('activity:values.yes') : i18n.t('activity:values.no');
  if (key === 'activityRetentionDays') {
    const days = Number(v);
    return days === 0 ? i18n.t('activity:values.forever') : i18n.t('activity:values.days', { count: days });
  }
  if (typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).map(([k, x], i) => (
      <span key={k}>
        {i > 0 && '; '}
        {humanKey(k)}: {renderValue(k, x)}
      </span>
    ));
  }
  return String(v);
}

/** The details, readable: names for people and things, "from → to" for changes, added/removed lists first. */
export function Details({ details }: { details: AuditEntry['details'] }) {
  const d = details ?? {};
  // A change recorded as the whole details ({from, to}): one line.
  if (Object.keys(d).length === 2 && isChange(d)) {
    return <Text size="sm">{renderValue('', d)}</Text>;
  }
  // "userId" beside "user" repeats the name as an id: the name is enough.
  const entries = Object.entries(d).filter(([k]) => !(k.endsWith('Id') && k.slice(0, -2) in d));
  if (entries.length === 0) return <Text c="dimmed" size="sm">—</Text>;
  const order = (k: string) => (k === 'added' ? 0 : k === 'removed' ? 1 : 2);
  entries.sort(([a], [b]) => order(a) - order(b));
  return (
    <Stack gap={2}>
      {entries.map(([k, v]) => (
        <Text key={k} size="sm" c={k === 'added' ? 'teal' : k === 'removed' ? 'red' : undefined}>
          <b>{humanKey(k)}:</b> {renderValue(k, v)}
        </Text>
      ))}
    </Stack>
  );
}

// The filters live in the address (#/activity?kind=task&actorId=…), so a filtered view
// can be reloaded, shared and gone back to.
const FILTERS = ['kind', 'action', 'actorId', 'target', 'targetId', 'from', 'to', 'q'] as const;

/** A text filter typed into a box: the box answers at once, the address (and the query) after a pause. */
function useTypedFilter(name: 'target' | 'q', params: URLSearchParams, setParam: (k: string, v: string) => void) {
  const [value, setValue] = useState(params.get(name) ?? '');
  const [debounced] = useDebouncedValue(value.trim(), 300);
  useEffect(() => {
    if ((params.get(name) ?? '') !== debounced) setParam(name, debounced);
    // Only typing moves the address from here; clearing the filters empties the boxes itself.
  }, [debounced]);
  return [value, setValue] as const;
}

export function ActivityPage() {
  const { t } = useTranslation('activity');
  const [params, setParams] = useSearchParams();
  const setParam = (k: string, v: string | null, also: Record<string, string | null> = {}) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        for (const [key, val] of Object.entries({ [k]: v, ...also })) {
          if (val) next.set(key, val);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const [target, setTarget] = useTypedFilter('target', params, setParam);
  const [search, setSearch] = useTypedFilter('q', params, setParam);
  const filters: AuditFilters = Object.fromEntries(FILTERS.map((k) => [k, params.get(k) ?? ''])) as AuditFilters;
  const filtered = FILTERS.some((k) => params.get(k));
  const clear = () => {
    setTarget('');
    setSearch('');
    setParams(new URLSearchParams(), { replace: true });
  };

  const audit = useAudit(filters);
  const catalog = useAuditCatalog();
  const people = useAuditPeople();
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];

  const kinds = useMemo(() => (catalog.data?.kinds ?? []).map((k) => ({ value: k, label: t(`kinds.${k}`) })), [catalog.data, t]);
  const actions = useMemo(() => {
    const all = catalog.data?.actions ?? [];
    const item = (a: { action: string }) => ({ value: a.action, label: actionLabel(a.action) });
    if (filters.kind) return all.filter((a) => a.kind === filters.kind).map(item);
    return (catalog.data?.kinds ?? []).map((k) => ({ group: t(`kinds.${k}`), items: all.filter((a) => a.kind === k).map(item) }));
  }, [catalog.data, filters.kind, t]);
  const actors = useMemo(() => (people.data?.items ?? []).map((p) => ({ value: p.id, label: p.name })), [people.data]);

  const csvExport = useApiDownload<'csv'>();
  const exportCsv = () => csvExport.download('csv', csvFile(t('exportFile', { day: orgDay() }), () => fetchAuditCsv(filters)));

  return (
    <Stack gap="md">
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} onClick={exportCsv} loading={csvExport.busy !== null}>
            {t('export')}
          </Button>
        }
      />
      <ErrorAlert message={csvExport.error} />
      <Group gap="sm" align="flex-end" role="search" aria-label={t('title')}>
        <Select
          label={t('filter.kind')}
          placeholder={t('filter.anyKind')}
          data={kinds}
          value={filters.kind || null}
          onChange={(v) => {
            const keep = v && catalog.data?.actions.some((a) => a.action === filters.action && a.kind === v);
            setParam('kind', v, { action: keep ? filters.action || null : null });
          }}
          clearable
          w={200}
        />
        <Select
          label={t('filter.action')}
          placeholder={t('filter.anyAction')}
          data={actions}
          value={filters.action || null}
          onChange={(v) => setParam('action', v)}
          searchable
          clearable
          w={260}
        />
        {actors.length > 0 && (
          <Select
            label={t('filter.actor')}
            placeholder={t('filter.anyone')}
            data={actors}
            value={filters.actorId || null}
            onChange={(v) => setParam('actorId', v)}
            searchable
            clearable
            w={220}
          />
        )}
        <TextInput
          label={t('filter.target')}
          placeholder={t('filter.targetPlaceholder')}
          value={target}
          onChange={(e) => setTarget(e.currentTarget.value)}
          w={220}
        />
        <TextInput
          type="date"
          label={t('filter.from')}
          value={filters.from ?? ''}
          max={filters.to || undefined}
          onChange={(e) => setParam('from', e.currentTarget.value)}
          w={160}
        />
        <TextInput
          type="date"
          label={t('filter.to')}
          value={filters.to ?? ''}
          min={filters.from || undefined}
          onChange={(e) => setParam('to', e.currentTarget.value)}
          w={160}
        />
        <TextInput
          label={t('filter.search')}
          placeholder={t('filter.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={240}
        />
        {filtered && (
          <Button variant="subtle" leftSection={<IconFilterOff size={16} />} onClick={clear}>
            {t('filter.clear')}
          </Button>
        )}
      </Group>
      {filters.targetId && (
        <Group gap="xs">
          <Pill withRemoveButton onRemove={() => setParam('targetId', null, { targetName: null })} removeButtonProps={{ 'aria-label': t('filter.removeOnly') }}>
            {t('filter.only', { name: params.get('targetName') || filters.targetId })}
          </Pill>
        </Group>
      )}
      {audit.isError && <ErrorAlert message={errorMessage(audit.error)} />}
      {audit.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={<IconHistory size={28} />}
          withIndicatorBackground
          title={filtered ? t('emptyFiltered') : t('empty')}
          description={filtered ? t('emptyFilteredHint') : t('emptyHint')}
          py="xl"
        >
          {filtered && (
            <Button mt="md" variant="default" leftSection={<IconFilterOff size={16} />} onClick={clear}>
              {t('filter.clear')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={800}>
          <Table striped verticalSpacing="sm" aria-label={t('title')}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('column.time')}</Table.Th>
                <Table.Th>{t('column.actor')}</Table.Th>
                <Table.Th>{t('column.action')}</Table.Th>
                <Table.Th>{t('column.target')}</Table.Th>
                <Table.Th>{t('column.details')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((e) => (
                <Table.Tr key={e.id} data-testid="activity-row">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>
                    {e.actorId ? e.actorName : <Text span c="dimmed">{t('anonymous')}</Text>}
                    {e.address && !e.group && (
                      <Text size="xs" c="dimmed">
                        {e.address}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <ActionCell entry={e} />
                  </Table.Td>
                  <Table.Td>
                    {e.targetId && e.targetId !== filters.targetId && e.targetName ? (
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        title={t('filter.onlyThis', { name: e.targetName })}
                        onClick={() => setParam('targetId', e.targetId, { targetName: e.targetName })}
                      >
                        {e.targetName}
                      </Anchor>
                    ) : (
                      e.targetName || <Text span c="dimmed">—</Text>
                    )}
                    {e.targetType && (
                      <Text size="xs" c="dimmed">
                        {i18n.exists(`activity:targetTypes.${e.targetType}`) ? t(`targetTypes.${e.targetType}`) : e.targetType}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Details details={e.details} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {audit.hasNextPage && (
        <Center>
          <Button variant="default" onClick={() => audit.fetchNextPage()} loading={audit.isFetchingNextPage}>
            {t('loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}

/** The action in words (a day's sign-ins counted, with when and from where), the code beneath. */
function ActionCell({ entry: e }: { entry: AuditEntry }) {
  const { t } = useTranslation('activity');
  const g = e.group;
  const several = !!g && g.count > 1;
  return (
    <>
      <Text size="sm" c={e.action.endsWith('delete') ? 'red' : undefined}>
        {several ? t('signIns.action', { count: g.count }) : actionLabel(e.action)}
      </Text>
      {several && (
        <Text size="xs" c="dimmed">
          {t('signIns.span', { first: formatDateTime(g.firstAt), last: formatDateTime(e.at) })}
        </Text>
      )}
      {g && g.addresses.length > 0 && (
        <Text size="xs" c="dimmed">
          {g.addresses.join(', ')}
        </Text>
      )}
      <Text size="xs" c="dimmed" ff="monospace">
        {e.action}
      </Text>
    </>
  );
}
