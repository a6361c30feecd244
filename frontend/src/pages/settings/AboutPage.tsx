import { Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, call, errorMessage } from '../../api/client';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { formatBytes } from '../../lib/format';

/** Settings → About (settings.licence): the version, the data folder and how to update. */
export function AboutPage() {
  const { t } = useTranslation('about');
  const about = useQuery({ queryKey: ['settings', 'about'], queryFn: () => call(api.GET('/api/settings/about')) });
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          {t('title')}
        </Title>
        <Text c="dimmed">{t('description')}</Text>
      </div>
      {about.isPending ? (
        <Loading />
      ) : about.isError ? (
        <ErrorAlert message={errorMessage(about.error)} />
      ) : (
        <Table withTableBorder variant="vertical" aria-label={t('title')}>
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={200}>{t('version')}</Table.Th>
              <Table.Td>{about.data.version}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('dataFolder')}</Table.Th>
              <Table.Td>
                <Code>{about.data.dataFolder}</Code>
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('database')}</Table.Th>
              <Table.Td>{formatBytes(about.data.databaseBytes)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('files')}</Table.Th>
              <Table.Td>{formatBytes(about.data.filesBytes)}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('schema')}</Table.Th>
              <Table.Td>{t('schemaValue', { schema: about.data.schema, known: about.data.schemaKnown })}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
      <Paper withBorder p="lg" radius="md" component="section" aria-label={t('updatesTitle')}>
        <Title order={2} size="h4" mb="xs">
          {t('updatesTitle')}
        </Title>
        <Text size="sm">{t('updates')}</Text>
      </Paper>
    </Stack>
  );
}
