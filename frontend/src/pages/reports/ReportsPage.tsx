// The charts' styles come with the pages that draw them (not in the first load).
import '@mantine/charts/styles.css';
import { BarChart } from '@mantine/charts';
import { Button, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { IconFileSpreadsheet } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { api, call, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { PageHeader } from '../../components/PageHeader';
import { csvFile, useApiDownload } from '../../lib/download';
import { formatDay } from '../../lib/format';

type Report = Awaited<ReturnType<typeof fetchReport>>;
type Group = Report['projects'][number];

function fetchReport() {
  return call(api.GET('/api/reports/tasks'));
}

/** Reports (reports.dashboard): the tasks the viewer sees, counted every way a leader asks. */
export function ReportsPage() {
  const { t } = useTranslation('reports');
  const report = useQuery({ queryKey: ['work', 'reports', 'tasks'], queryFn: fetchReport });
  const csvExport = useApiDownload<'csv'>();
  const csv = () =>
    csvExport.download(
      'csv',
      csvFile(`tasks-report-${report.data?.today ?? ''}.csv`, async () => (await call(api.GET('/api/reports/tasks.csv', { parseAs: 'text' }))) as string),
    );
  if (report.isPending) return <Loading />;
  if (report.isError) return <ErrorAlert message={errorMessage(report.error)} />;
  const r = report.data;
  const series = [
    { name: 'open', label: t('open'), color: 'blue.6' },
    { name: 'review', label: t('review'), color: 'yellow.6' },
    { name: 'done', label: t('done'), color: 'teal.6' },
  ];
  const total = r.total.open + r.total.review + r.total.done;
  return (
    <Stack gap="lg">
      <PageHeader
        title={t('title')}
        description={r.scope === 'team' ? t('descriptionTeam') : t('description')}
        actions={
          <Button variant="default" leftSection={<IconFileSpreadsheet size={16} />} onClick={csv} loading={csvExport.busy !== null}>
            {t('downloadCsv')}
          </Button>
        }
      />
      <ErrorAlert message={csvExport.error} />
      <SimpleGrid cols={{ base: 2, sm: 4 }}>
        {(['open', 'review', 'done', 'overdue'] as const).map((k) => (
          <Paper key={k} withBorder p="sm" radius="md" role="group" aria-label={t(k)}>
            <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
              {t(k)}
            </Text>
            <Text fw={700} size="xl" c={k === 'overdue' && r.total.overdue > 0 ? 'red.7' : undefined}>
              {r.total[k]}
            </Text>
          </Paper>
        ))}
      </SimpleGrid>
      {total === 0 ? (
        <Text c="dimmed">{t('empty')}</Text>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Paper withBorder p="md" radius="md" component="section" aria-label={t('byStage')}>
              <Title order={2} size="h4" mb="sm">
                {t('byStage')}
              </Title>
              <BarChart
                h={220}
                data={r.stages.map((s) => ({ stage: s.name || t('noStage'), [t('tasks')]: s.count }))}
                dataKey="stage"
                series={[{ name: t('tasks'), color: 'indigo.6' }]}
              />
            </Paper>
            <Paper withBorder p="md" radius="md" component="section" aria-label={t('completedPerWeek')}>
              <Title order={2} size="h4" mb="sm">
                {t('completedPerWeek')}
              </Title>
              <BarChart
                h={220}
                data={r.weeks.map((w) => ({ week: formatDay(w.start), [t('completed')]: w.count }))}
                dataKey="week"
                series={[{ name: t('completed'), color: 'teal.6' }]}
              />
            </Paper>
          </SimpleGrid>
          <Paper withBorder p="md" radius="md" component="section" aria-label={t('byPerson')}>
            <Title order={2} size="h4" mb="sm">
              {t('byPerson')}
            </Title>
            <BarChart
              h={Math.max(160, r.people.length * 36)}
              orientation="vertical"
              type="stacked"
              data={r.people.map((p) => ({ person: p.name || t('unassigned'), open: p.open, review: p.review, done: p.done }))}
              dataKey="person"
              series={series.map((s) => ({ name: s.name, label: s.label, color: s.color }))}
              withLegend
            />
          </Paper>
          <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
            <Counts title={t('perProject')} groups={r.projects} />
            {r.teams.length > 0 ? <Counts title={t('perTeam')} groups={r.teams} /> : <Text c="dimmed">{t('noTeams')}</Text>}
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

function Counts({ title, groups }: { title: string; groups: Group[] }) {
  const { t } = useTranslation('reports');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-label={title}>
      <Title order={2} size="h4" mb="sm">
        {title}
      </Title>
      <Table striped aria-label={title}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('name')}</Table.Th>
            <Table.Th ta="right">{t('open')}</Table.Th>
            <Table.Th ta="right">{t('review')}</Table.Th>
            <Table.Th ta="right">{t('done')}</Table.Th>
            <Table.Th ta="right">{t('overdue')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {groups.map((g) => (
            <Table.Tr key={g.id}>
              <Table.Td>{g.name}</Table.Td>
              <Table.Td ta="right">{g.open}</Table.Td>
              <Table.Td ta="right">{g.review}</Table.Td>
              <Table.Td ta="right">{g.done}</Table.Td>
              <Table.Td ta="right" c={g.overdue > 0 ? 'red.7' : undefined}>
                {g.overdue}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Paper>
  );
}
