// The charts' styles come with the pages that draw them (not in the first load).
import '@mantine/charts/styles.css';
import { CompositeChart } from '@mantine/charts';
import { Button, EmptyState, Group, Select, SimpleGrid, Stack, Table, Text, Title, VisuallyHidden } from '@mantine/core';
import { IconChartBar, IconFileSpreadsheet } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useRevenue } from '../../api/invoices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatMoney } from '../../lib/money';
import { uiLocale } from '../../lib/org';
import { useDownloads } from './downloads';
import { Figure } from './Figure';

type Period = 'last12' | 'thisYear' | 'lastYear';

const PERIODS: Period[] = ['last12', 'thisYear', 'lastYear'];

function month(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/** The months (YYYY-MM) a period covers, seen from `now`. */
export function periodMonths(period: Period, now = new Date()): { from: string; to: string } {
  const y = now.getFullYear();
  switch (period) {
    case 'thisYear':
      return { from: `${y}-01`, to: month(now) };
    case 'lastYear':
      return { from: `${y - 1}-01`, to: `${y - 1}-12` };
    default:
      return { from: month(new Date(y, now.getMonth() - 11, 1)), to: month(now) };
  }
}

/** "2026-03" as "Mar 2026" in the UI's language. */
export function monthLabel(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  if (!y || !mo) return m;
  return new Date(y, mo - 1, 1).toLocaleDateString(uiLocale(), { month: 'short', year: 'numeric' });
}

/** Invoiced, paid and owed by month (a chart, and the same figures as a table for screen readers), by client, and the CSV. */
export function RevenueTab() {
  const { t } = useTranslation('invoicing');
  const [period, setPeriod] = useState<Period>('last12');
  const { from, to } = periodMonths(period);
  const revenue = useRevenue(from, to);
  const downloads = useDownloads();

  const header = (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <Select
        label={t('revenue.period')}
        data={PERIODS.map((value) => ({ value, label: t(`revenue.periods.${value}`) }))}
        value={period}
        onChange={(v) => setPeriod((v as Period) ?? 'last12')}
        allowDeselect={false}
        w={220}
      />
      <Button
        ml="auto"
        variant="default"
        leftSection={<IconFileSpreadsheet size={16} />}
        onClick={() => downloads.csv(from, to)}
        loading={downloads.busy === 'csv'}
      >
        {t('revenue.downloadCsv')}
      </Button>
    </Group>
  );

  if (revenue.isPending)
    return (
      <Stack gap="md">
        {header}
        <Loading label={t('revenue.loading')} />
      </Stack>
    );
  if (revenue.isError)
    return (
      <Stack gap="md">
        {header}
        <ErrorAlert message={errorMessage(revenue.error)} />
      </Stack>
    );

  const r = revenue.data;
  const money = (v: number) => formatMoney(v, r.currency);
  const invoiced = r.months.reduce((s, m) => s + m.invoiced, 0);
  const paid = r.months.reduce((s, m) => s + m.paid, 0);
  const outstanding = r.clients.reduce((s, c) => s + c.balance, 0);
  const data = r.months.map((m) => ({ month: monthLabel(m.month), invoiced: m.invoiced, paid: m.paid, outstanding: m.outstanding }));
  const empty = r.months.every((m) => m.invoiced === 0 && m.paid === 0 && m.outstanding === 0);
  const periodName = t('revenue.periodName', { from: monthLabel(r.from), to: monthLabel(r.to) });

  return (
    <Stack gap="lg">
      {header}
      <ErrorAlert message={downloads.error} onClose={downloads.clearError} />
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="sm">
        <Figure label={t('revenue.invoiced')} value={money(invoiced)} hint={periodName} />
        <Figure label={t('totals.paid')} value={money(paid)} hint={periodName} />
        <Figure label={t('revenue.outstanding')} value={money(outstanding)} hint={t('revenue.outstandingHint')} color={outstanding > 0 ? 'orange.8' : undefined} />
      </SimpleGrid>

      <div>
        <Title order={2} size="h4" mb="xs">
          {t('revenue.byMonth')}
        </Title>
        {empty ? (
          <EmptyState
            icon={<IconChartBar size={28} />}
            withIndicatorBackground
            title={t('revenue.empty.title')}
            description={t('revenue.empty.description')}
            py="lg"
          />
        ) : (
          <>
            {/* The chart is for the eye; the table under it holds the same figures for screen readers. */}
            <div aria-hidden="true">
              <CompositeChart
                h={300}
                data={data}
                dataKey="month"
                series={[
                  { name: 'invoiced', label: t('revenue.invoiced'), color: 'blue.6', type: 'bar' },
                  { name: 'paid', label: t('totals.paid'), color: 'teal.6', type: 'bar' },
                  { name: 'outstanding', label: t('revenue.owedAtMonthEnd'), color: 'orange.6', type: 'line' },
                ]}
                curveType="linear"
                valueFormatter={money}
                yAxisProps={{ width: 96 }}
                maxBarWidth={28}
                withLegend
                tickLine="y"
              />
            </div>
            <VisuallyHidden>
              <Table aria-label={t('revenue.byMonthTable')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('revenue.month')}</Table.Th>
                    <Table.Th>{t('revenue.invoiced')}</Table.Th>
                    <Table.Th>{t('totals.paid')}</Table.Th>
                    <Table.Th>{t('revenue.owedAtMonthEnd')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.months.map((m) => (
                    <Table.Tr key={m.month}>
                      <Table.Td>{monthLabel(m.month)}</Table.Td>
                      <Table.Td>{money(m.invoiced)}</Table.Td>
                      <Table.Td>{money(m.paid)}</Table.Td>
                      <Table.Td>{money(m.outstanding)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </VisuallyHidden>
          </>
        )}
      </div>

      <div>
        <Title order={2} size="h4" mb="xs">
          {t('revenue.byClient')}
        </Title>
        {r.clients.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('revenue.noClients')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={560}>
            <Table striped verticalSpacing="xs" aria-label={t('revenue.byClientTable')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('columns.clientCompany')}</Table.Th>
                  <Table.Th ta="right">{t('revenue.invoiced')}</Table.Th>
                  <Table.Th ta="right">{t('totals.paid')}</Table.Th>
                  <Table.Th ta="right">{t('revenue.owesNow')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {r.clients.map((c, i) => (
                  <Table.Tr key={c.companyId ?? `hidden-${i}`}>
                    <Table.Td>{c.companyId ? c.name : <Text span c="dimmed" inherit>{c.name}</Text>}</Table.Td>
                    <Table.Td ta="right">{money(c.invoiced)}</Table.Td>
                    <Table.Td ta="right">{money(c.paid)}</Table.Td>
                    <Table.Td ta="right">{money(c.balance)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
              <Table.Tfoot>
                <Table.Tr>
                  <Table.Th>{t('columns.total')}</Table.Th>
                  <Table.Th ta="right">{money(r.clients.reduce((s, c) => s + c.invoiced, 0))}</Table.Th>
                  <Table.Th ta="right">{money(r.clients.reduce((s, c) => s + c.paid, 0))}</Table.Th>
                  <Table.Th ta="right">{money(outstanding)}</Table.Th>
                </Table.Tr>
              </Table.Tfoot>
            </Table>
          </Table.ScrollContainer>
        )}
      </div>
    </Stack>
  );
}
