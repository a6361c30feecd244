import { Alert, Badge, Button, Code, Group, Paper, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconDatabaseExport, IconDownload, IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { BACKUP_DOWNLOAD_PATH, fetchBackup, type BackupSettings, useBackupSettings, useMakeBackup, useUpdateBackupSettings } from '../../api/backups';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApiDownload } from '../../lib/download';
import { applyServerError } from '../../lib/forms';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';

/** Settings → Backups (settings.licence; making one needs every Admin permission). */
export function BackupsPage() {
  const { t } = useTranslation('backups');
  const settings = useBackupSettings();
  return (
    <SettingsTab title={t('title')} intro={t('intro')} settings={settings}>
      {(data, loadedAt) => (data.database === 'postgres' ? <OnPostgres settings={data} /> : <BackupsForm key={loadedAt} settings={data} />)}
    </SettingsTab>
  );
}

// On PostgreSQL these backups (copies of the SQLite file) do not apply: the server refuses
// them, so the page says how the data is backed up instead of offering them.
function OnPostgres({ settings }: { settings: BackupSettings }) {
  const { t } = useTranslation('backups');
  return (
    <Alert color="blue" icon={<IconDatabaseExport size={18} />} title={t('postgresTitle')}>
      {t('postgres', { folder: settings.dataFolder })}
    </Alert>
  );
}

export function BackupsForm({ settings }: { settings: BackupSettings }) {
  const { t } = useTranslation('backups');
  const readOnly = useReadOnly();
  const update = useUpdateBackupSettings();
  const make = useMakeBackup();
  // Its error is the reason alone: the alert below says what was not saved.
  const backup = useApiDownload<'backup'>({
    savedTo: (path) => t('savedTo', { path }),
    windowMissing: () => t('windowMissing'),
  });
  const may = settings.mayBackUp && !readOnly;
  const form = useForm({
    initialValues: { folder: settings.folder, automatic: settings.automatic },
    validate: {
      folder: (v, values) => (values.automatic && !v.trim() ? t('folderRequired') : null),
    },
  });

  const save = form.onSubmit((values) => {
    update.mutate(values, {
      onSuccess: (data) => {
        form.setValues({ folder: data.folder, automatic: data.automatic });
        form.resetDirty({ folder: data.folder, automatic: data.automatic });
        notifications.show({ color: 'teal', message: t('saved') });
      },
      onError: (e) => applyServerError(form, e),
    });
  });

  const backUpNow = () =>
    make.mutate(undefined, {
      onSuccess: (b) => notifications.show({ color: 'teal', message: t('made', { name: b.name, size: formatBytes(b.size) }) }),
    });

  const download = () =>
    backup.download('backup', {
      name: `gatehouse-${new Date().toISOString().slice(0, 10)}.gatehouse-backup`,
      content: fetchBackup,
      window: { path: BACKUP_DOWNLOAD_PATH },
    });

  return (
    <Stack gap="md">
      {!settings.mayBackUp && (
        <Alert color="yellow" icon={<IconLock size={18} />}>
          {t('needsAdmin')}
        </Alert>
      )}
      <Paper withBorder p="lg" radius="md" component="form" onSubmit={save} aria-label={t('folderTitle')}>
        <Stack gap="sm">
          <Title order={3} size="h4">
            {t('folderTitle')}
          </Title>
          <TextInput
            label={t('folder')}
            description={t('folderHint')}
            placeholder={t('folderPlaceholder')}
            disabled={!may}
            {...form.getInputProps('folder')}
          />
          <Switch
            label={t('automatic')}
            description={t('automaticHint')}
            disabled={!may}
            {...form.getInputProps('automatic', { type: 'checkbox' })}
          />
          {update.isError && !form.errors.folder && <ErrorAlert message={errorMessage(update.error)} />}
          <Group>
            <Button type="submit" disabled={!may || !form.isDirty()} loading={update.isPending}>
              {t('save')}
            </Button>
          </Group>
        </Stack>
      </Paper>

      {settings.automatic && settings.lastAt && (
        settings.lastError ? (
          <Alert color="red" title={t('lastFailed', { at: formatDateTime(settings.lastAt) })}>
            {settings.lastError}
          </Alert>
        ) : (
          <Text size="sm">{t('lastMade', { at: formatDateTime(settings.lastAt), name: settings.lastFile })}</Text>
        )
      )}

      <Group>
        <Button
          leftSection={<IconDatabaseExport size={18} />}
          onClick={backUpNow}
          loading={make.isPending}
          disabled={!may || !settings.folder}
          title={!settings.folder ? t('chooseFolderFirst') : undefined}
        >
          {t('backUpNow')}
        </Button>
        <Button variant="default" leftSection={<IconDownload size={18} />} onClick={() => void download()} loading={backup.busy !== null} disabled={!may}>
          {t('download')}
        </Button>
      </Group>
      {make.isError && <ErrorAlert message={errorMessage(make.error)} />}
      {backup.error && (
        <Alert color="red" withCloseButton onClose={backup.clearError}>
          {t('notSaved', { reason: backup.error })}
        </Alert>
      )}

      {settings.folder && (
        <Stack gap="xs">
          <Title order={3} size="h4">
            {t('inFolder')}
          </Title>
          {settings.backups.length === 0 ? (
            <Text c="dimmed" size="sm">
              {t('none')}
            </Text>
          ) : (
            <Table withTableBorder aria-label={t('inFolder')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('name')}</Table.Th>
                  <Table.Th>{t("made_at")}</Table.Th>
                  <Table.Th>{t('size')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {settings.backups.map((b) => (
                  <Table.Tr key={b.name}>
                    <Table.Td>
                      <Code>{b.name}</Code>
                    </Table.Td>
                    <Table.Td>{formatDateTime(b.createdAt)}</Table.Td>
                    <Table.Td>{formatBytes(b.size)}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={b.automatic ? 'blue' : 'gray'}>
                        {b.automatic ? t('daily') : t('byHand')}
                      </Badge>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      )}

      <Paper withBorder p="lg" radius="md" component="section" aria-label={t('restoreTitle')}>
        <Title order={3} size="h4" mb="xs">
          {t('restoreTitle')}
        </Title>
        <Stack gap="xs">
          <Text size="sm">{t('restoreHow')}</Text>
          <Code block>{`gatehouse admin restore --from ${t('restoreFile')} --data "${settings.dataFolder}"`}</Code>
          <Text size="sm">{t('restoreSafe')}</Text>
          <Text size="sm" c="dimmed">
            {t('secrets')}
          </Text>
        </Stack>
      </Paper>
    </Stack>
  );
}
