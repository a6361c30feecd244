import { Alert, Button, Center, Group, Image, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconInfoCircle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { fetchFileContent, useFolderTree, type FileItem } from '../../api/files';
import { AccessTab } from '../../components/AccessTab';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { requiredText } from '../../lib/validation';

/** The last non-null value: a dialog keeps showing its thing while it closes. */
export function useLastOpened<T>(value: T | null): T | null {
  const [shown, setShown] = useState<T | null>(value);
  useEffect(() => {
    if (value !== null) setShown(value);
  }, [value]);
  return value ?? shown;
}

/** One name to type: a new folder, or renaming a folder or a file. */
export function NameModal({
  opened,
  title,
  initial,
  confirmLabel,
  help,
  onSubmit,
  onClose,
}: {
  opened: boolean;
  title: string;
  initial: string;
  confirmLabel: string;
  help?: string;
  onSubmit: (name: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('files');
  const form = useForm({ initialValues: { name: initial }, validate: { name: requiredText(t('dialogs.nameRequired')) } });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (opened) {
      form.setValues({ name: initial });
      form.clearErrors();
      setError(null);
    }
    // Reset only when it opens (form is a new object each render).
  }, [opened, initial]);

  const submit = form.onSubmit(async ({ name }) => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit(name.trim());
      onClose();
    } catch (e) {
      setError(applyServerError(form, e));
    } finally {
      setBusy(false);
    }
  });

  return (
    <Modal opened={opened} onClose={onClose} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <ErrorAlert message={error} />
          <TextInput label={t('dialogs.name')} description={help} data-autofocus maxLength={255} {...form.getInputProps('name')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={busy}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

// Select values cannot be empty: this one stands for the top of the project.
const TOP = '__top__';
// The name the server gives the folder of clients' uploads (data, as in FilesTab).
const CLIENT_FOLDER = 'From the client';

/** Move a file to another folder of its project (never into "From the client"). */
export function MoveFileModal({
  file,
  projectId,
  onMove,
  onClose,
}: {
  file: FileItem | null;
  projectId: string;
  onMove: (file: FileItem, folderId: string, label: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('files');
  const shown = useLastOpened(file);
  const tree = useFolderTree(projectId, file !== null);
  const [target, setTarget] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (file) {
      setTarget(null);
      setError(null);
    }
  }, [file]);

  const choices = [
    ...(shown?.folderId ? [{ value: TOP, label: t('dialogs.topLevel') }] : []),
    ...(tree.data ?? [])
      .filter((c) => !c.folder.fromClient && c.folder.id !== shown?.folderId)
      .map((c) => ({ value: c.folder.id, label: c.label })),
  ];

  const move = async () => {
    if (!shown || !target) return;
    setBusy(true);
    setError(null);
    try {
      await onMove(shown, target === TOP ? '' : target, choices.find((c) => c.value === target)?.label ?? '');
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={file !== null} onClose={onClose} title={t('dialogs.moveTitle', { name: shown?.name ?? '' })} centered>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void move();
        }}
      >
        <Stack gap="md">
          <ErrorAlert message={error ?? (tree.isError ? errorMessage(tree.error) : null)} />
          {shown?.fromClient && (
            <Alert color="blue" variant="light" icon={<IconInfoCircle size={18} />}>
              {t('dialogs.clientUploadMove', { folder: CLIENT_FOLDER })}
            </Alert>
          )}
          <Select
            label={t('dialogs.moveTo')}
            placeholder={tree.isPending ? t('dialogs.loadingFolders') : t('dialogs.chooseFolder')}
            data={choices}
            value={target}
            onChange={setTarget}
            searchable
            nothingFoundMessage={t('dialogs.noFolderNamed')}
            disabled={tree.isPending}
            description={
              !tree.isPending && choices.length === 0 ? t('dialogs.noOtherFolder') : undefined
            }
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('actions.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={!target}>
              {t('actions.move')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** An image, fetched with the session and shown through an object URL. */
export function PreviewModal({ file, onClose }: { file: FileItem | null; onClose: () => void }) {
  const { t } = useTranslation('files');
  const shown = useLastOpened(file);
  const [url, setUrl] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = file?.id;
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    let made: string | null = null;
    setUrl(null);
    setError(null);
    fetchFileContent(id, true)
      .then((blob) => {
        if (cancelled) return;
        made = URL.createObjectURL(blob);
        setUrl(made);
      })
      .catch((e: unknown) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [id]);

  return (
    <Modal opened={file !== null} onClose={onClose} title={shown?.name ?? t('dialogs.preview')} size="xl" centered>
      <ErrorAlert message={error} />
      {!error &&
        (url ? (
          <Center>
            <Image src={url} alt={t('dialogs.previewOf', { name: shown?.name ?? t('transfer.theFile') })} mah="70vh" w="auto" fit="contain" />
          </Center>
        ) : (
          <Loading />
        ))}
    </Modal>
  );
}

/** Who can see one file, and why (the project's Access tab, for the file). */
export function FileAccessModal({ file, onClose }: { file: FileItem | null; onClose: () => void }) {
  const { t } = useTranslation('files');
  const shown = useLastOpened(file);
  return (
    <Modal opened={file !== null} onClose={onClose} title={shown ? t('dialogs.whoCanSeeTitle', { name: shown.name }) : ''} size="xl">
      {file && (
        <Stack gap="xs">
          {file.taskId && (
            <Text size="sm" c="dimmed">
              {t('dialogs.onTaskNote')}
            </Text>
          )}
          <AccessTab type="file" id={file.id} />
        </Stack>
      )}
    </Modal>
  );
}
