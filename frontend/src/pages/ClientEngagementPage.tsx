// The charts' styles come with the pages that draw them (not in the first load).
import '@mantine/charts/styles.css';
import { Sparkline } from '@mantine/charts';
import {
  Badge,
  Button,
  Center,
  Drawer,
  EmptyState,
  Group,
  Loader,
  Select,
  Stack,
  Table,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconChevronDown, IconChevronUp, IconFileSpreadsheet, IconLogin, IconSelector, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage, type Me } from '../api/client';
import {
  PERIODS,
  fetchClientActivityCsv,
  useClientActivity,
  useClientSignIns,
  type ClientEngagement,
  type ClientSignIn,
  type EngagementSort,
  type Period,
} from '../api/engagement';
import { ErrorAlert } from '../components/ErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { csvFile, useApiDownload } from '../lib/download';
import { useLastOpened } from './projects/FileDialogs';
import { formatDate, formatDateTime, formatDay } from '../lib/format';
import { numberLocale } from '../lib/org';

type Order = 'asc' | 'desc';

// Names read A to Z first; figures and times the highest (latest) first, as the server does.
const firstOrder = (s: EngagementSort): Order => (s === 'name' || s === 'company' ? 'asc' : 'desc');

function SortHeader({
  column,
  sort,
  order,
  onSort,
  ta,
}: {
  column: EngagementSort;
  sort: EngagementSort;
  order: Order;
  onSort: (c: EngagementSort) => void;
  ta?: 'right';
}) {
  const { t } = useTranslation('engagement');
  const active = sort === column;
  const Icon = active ? (order === 'asc' ? IconChevronUp : IconChevronDown) : IconSelector;
  return (
    <Table.Th aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : 'none'} ta={ta}>
      <UnstyledButton onClick={() => onSort(column)} aria-label={t('sortBy', { column: t(`column.${column}`) })}>
        <Group gap={4} wrap="nowrap" justify={ta === 'right' ? 'flex-end' : undefined}>
          <Text fw={600} size="sm">
            {t(`column.${column}`)}
          </Text>
          <Icon size={14} />
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
}

/** A count with, under it, the last time (and what) — "never" when there was none. */
function CountCell({ count, last, label }: { count: number; last: { at: string; name?: string } | null; label: string }) {
  const { t } = useTranslation('engagement');
  return (
    <Table.Td ta="right">
      <Text fw={600} aria-label={label}>
        {count}
      </Text>
      <Text size="xs" c="dimmed">
        {!last ? t('never') : last.name ? t('lastOn', { name: last.name, date: formatDate(last.at) }) : t('lastOnDate', { date: formatDate(last.at) })}
      </Text>
    </Table.Td>
  );
}

/** Sign-ins in each of the weeks, as a small line, with the weekly average beside it. */
function WeeksCell({ row, weeks }: { row: ClientEngagement; weeks: string[] }) {
  const { t } = useTranslation('engagement');
  const average = new Intl.NumberFormat(numberLocale(), { maximumFractionDigits: 1 }).format(row.weeklyAverage);
  const words = row.weeks.map((n, i) => t('weekCount', { date: formatDay(weeks[i]), count: n })).join(', ');
  return (
    <Table.Td>
      <Group gap="xs" wrap="nowrap" role="img" aria-label={t('weeksLabel', { name: row.name, weeks: words })} title={words}>
        <Sparkline w={96} h={28} data={row.weeks} curveType="linear" color="indigo" fillOpacity={0.3} strokeWidth={1.5} />
        <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
          {t('perWeek', { average })}
        </Text>
      </Group>
    </Table.Td>
  );
}

/** Client activity (activity.clients): each client's sign-ins, downloads and invoice views. */
export function ClientEngagementPage({ me }: { me: Me }) {
  const { t } = useTranslation('engagement');
  const [days, setDays] = useState<Period>(30);
  const [sort, setSort] = useState<EngagementSort>('lastSignIn');
  const [order, setOrder] = useState<Order>('desc');
  const [open, setOpen] = useState<ClientEngagement | null>(null);
  const csvExport = useApiDownload<'csv'>();
  const query = { days, sort, order };
  const report = useClientActivity(query);
  const rows = report.data?.items ?? [];
  const usersPage = me.nav.some((n) => n.key === 'users');

  const onSort = (c: EngagementSort) => {
    if (c === sort) setOrder(order === 'asc' ? 'desc' : 'asc');
    else {
      setSort(c);
      setOrder(firstOrder(c));
    }
  };
  const csv = () => csvExport.download('csv', csvFile(`client-activity-${report.data?.today ?? ''}.csv`, () => fetchClientActivityCsv(query)));

  return (
    <Stack gap="md">
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          <>
            <Select
              aria-label={t('period')}
              data={PERIODS.map((p) => ({ value: String(p), label: t('lastDays', { count: p }) }))}
              value={String(days)}
              onChange={(v) => v && setDays(Number(v) as Period)}
              allowDeselect={false}
              w={170}
            />
            <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} onClick={csv} loading={csvExport.busy !== null} disabled={rows.length === 0}>
              {t('downloadCsv')}
            </Button>
          </>
        }
      />
      <ErrorAlert message={csvExport.error} />
      {report.isError && <ErrorAlert message={errorMessage(report.error)} />}
      {report.isPending ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : report.isError ? null : rows.length === 0 ? (
        <EmptyState icon={<IconUsers size={28} />} withIndicatorBackground title={t('empty.title')} description={t('empty.description')} py="xl">
          {usersPage && (
            <Button mt="md" component={Link} to="/users">
              {t('empty.goToUsers')}
            </Button>
          )}
        </EmptyState>
      ) : (
        <>
          {rows.every((r) => !r.lastSignIn) && (
            <Text c="dimmed" role="status">
              {t('noSignInYet')}
            </Text>
          )}
          <Text size="sm" c="dimmed">
            {t('periodNote', { from: formatDay(report.data.from), count: report.data.days })}
          </Text>
          <Table.ScrollContainer minWidth={900}>
            <Table striped highlightOnHover verticalSpacing="sm" aria-label={t('title')}>
              <Table.Thead>
                <Table.Tr>
                  <SortHeader column="name" sort={sort} order={order} onSort={onSort} />
                  <SortHeader column="lastSignIn" sort={sort} order={order} onSort={onSort} />
                  <SortHeader column="signIns" sort={sort} order={order} onSort={onSort} ta="right" />
                  <SortHeader column="weeklyAverage" sort={sort} order={order} onSort={onSort} />
                  <SortHeader column="downloads" sort={sort} order={order} onSort={onSort} ta="right" />
                  <SortHeader column="invoiceViews" sort={sort} order={order} onSort={onSort} ta="right" />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r) => (
                  <Table.Tr key={r.userId}>
                    <Table.Td>
                      <UnstyledButton onClick={() => setOpen(r)} aria-label={t('openHistory', { name: r.name })}>
                        <Text fw={500} c="blue">
                          {r.name}
                        </Text>
                      </UnstyledButton>
                      <Group gap={6}>
                        {r.company && (
                          <Text size="xs" c="dimmed">
                            {r.company}
                          </Text>
                        )}
                        {!r.active && (
                          <Badge size="xs" color="gray" variant="light">
                            {t('deactivated')}
                          </Badge>
                        )}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      {r.lastSignIn ? (
                        <>
                          <Text size="sm">{formatDateTime(r.lastSignIn.at)}</Text>
                          {r.lastSignIn.address && (
                            <Text size="xs" c="dimmed">
                              {r.lastSignIn.address}
                            </Text>
                          )}
                        </>
                      ) : (
                        <Text size="sm" c="dimmed">
                          {t('neverSignedIn')}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text fw={600} aria-label={t('signInsOf', { name: r.name })}>
                        {r.signIns}
                      </Text>
                    </Table.Td>
                    <WeeksCell row={r} weeks={report.data.weeks} />
                    <CountCell count={r.downloads} last={r.lastDownload} label={t('downloadsOf', { name: r.name })} />
                    <CountCell count={r.invoiceViews} last={r.lastInvoiceView} label={t('invoiceViewsOf', { name: r.name })} />
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
      <SignInHistory client={open} onClose={() => setOpen(null)} />
    </Stack>
  );
}

function outcomeText(t: TFunction<'engagement'>, e: ClientSignIn): string {
  if (e.outcome === 'failed') return e.step === 'two_factor' ? t('history.failedCode') : t('history.failedPassword');
  if (e.outcome === 'refused') return e.reason === 'deactivated' ? t('history.refusedDeactivated') : t('history.refused', { reason: e.reason || '—' });
  const how = ['password', 'google', 'remembered'].includes(e.method) ? t(`history.method.${e.method}`) : '';
  const second = e.secondFactor === 'recovery_code' ? t('history.withRecoveryCode') : e.secondFactor ? t('history.withCode') : '';
  return [t('history.signedIn'), how, second].filter(Boolean).join(' · ');
}

/** A client's login history: sign-ins, wrong passwords or codes, refusals, with times and addresses. */
function SignInHistory({ client, onClose }: { client: ClientEngagement | null; onClose: () => void }) {
  const { t } = useTranslation('engagement');
  const shown = useLastOpened(client);
  const history = useClientSignIns(client?.userId ?? null);
  const items = history.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Drawer opened={client !== null} onClose={onClose} position="right" size="lg" title={t('history.title', { name: shown?.name ?? '' })}>
      {history.isError && <ErrorAlert message={errorMessage(history.error)} />}
      {history.isPending && client ? (
        <Center py="xl">
          <Loader />
        </Center>
      ) : items.length === 0 ? (
        <EmptyState icon={<IconLogin size={28} />} withIndicatorBackground title={t('history.empty')} description={t('history.emptyHint')} py="xl" />
      ) : (
        <Stack gap="sm">
          <Table striped aria-label={t('history.tableLabel', { name: shown?.name ?? '' })}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('history.when')}</Table.Th>
                <Table.Th>{t('history.what')}</Table.Th>
                <Table.Th>{t('history.address')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>
                    <Text size="sm" c={e.outcome === 'signedIn' ? undefined : 'red'}>
                      {outcomeText(t, e)}
                    </Text>
                  </Table.Td>
                  <Table.Td>{e.address || <Text span c="dimmed">—</Text>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {history.hasNextPage && (
            <Center>
              <Button variant="default" onClick={() => history.fetchNextPage()} loading={history.isFetchingNextPage}>
                {t('history.loadMore')}
              </Button>
            </Center>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
