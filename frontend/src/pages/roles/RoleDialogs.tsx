import { Badge, Card, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, UnstyledButton, Loader, Center } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type Role } from '../../api/client';
import { useCloneRole, useDeleteRole, useRoleTemplates } from '../../api/hooks';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';

export function CloneRoleModal({
  role,
  onClose,
  onCloned,
}: {
  role: Role | null;
  onClose: () => void;
  onCloned: (copy: Role) => void;
}) {
  const { t } = useTranslation('roles');
  const clone = useCloneRole();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: role ? t('cloneDialog.copyName', { name: role.name }) : '' },
    validate: { name: (v) => (v.trim() ? null : t('cloneDialog.nameRequired')) },
  });
  const submit = form.onSubmit(async ({ name }) => {
    if (!role) return;
    setFormError(null);
    try {
      onCloned(await clone.mutateAsync({ id: role.id, name: name.trim() }));
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });
  return (
    <ConfirmModal
      opened={!!role}
      title={role ? t('cloneDialog.title', { name: role.name }) : t('clone')}
      confirmLabel={t('clone')}
      confirmColor="blue"
      onClose={onClose}
      onConfirm={() => submit()}
      loading={clone.isPending}
      error={formError}
    >
      <Text size="sm">{t('cloneDialog.intro')}</Text>
      <TextInput label={t('cloneDialog.name')} data-autofocus {...form.getInputProps('name')} />
    </ConfirmModal>
  );
}

export function DeleteRoleModal({ role, roles, onClose }: { role: Role | null; roles: Role[]; onClose: () => void }) {
  const { t } = useTranslation('roles');
  const del = useDeleteRole();
  const [reassignTo, setReassignTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Someone given another role for a while returns to this one: the server counts them as
  // holding it (role_in_use) though userCount does not, and the picker is shown then.
  const [returning, setReturning] = useState(false);
  const inUse = (role?.userCount ?? 0) > 0 || returning;
  // Moving its people takes users.edit over each and a role the asker may give: the server
  // says which (`actions`), so nothing it would refuse is offered.
  const targets = roles
    .filter((r) => r.id !== role?.id && r.actions.includes('users.edit'))
    .map((r) => ({ value: r.id, label: r.kind === 'client' ? t('deleteDialog.clientRole', { name: r.name }) : r.name }));

  const close = () => {
    setReassignTo(null);
    setError(null);
    setReturning(false);
    onClose();
  };
  const confirm = async () => {
    if (!role) return;
    setError(null);
    try {
      await del.mutateAsync({ id: role.id, reassignTo: inUse ? reassignTo ?? undefined : undefined });
      close();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'role_in_use') setReturning(true);
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={!!role}
      title={role ? t('deleteDialog.title', { name: role.name }) : t('delete')}
      confirmLabel={inUse ? t('deleteDialog.moveAndDelete') : t('deleteDialog.confirm')}
      onClose={close}
      onConfirm={confirm}
      loading={del.isPending}
      confirmDisabled={inUse && !reassignTo}
      error={error}
    >
      {inUse ? (
        <>
          {role!.userCount > 0 && <Text size="sm">{t('deleteDialog.inUse', { count: role!.userCount })}</Text>}
          <Select
            label={t('deleteDialog.moveTo')}
            placeholder={t('deleteDialog.chooseRole')}
            data={targets}
            value={reassignTo}
            onChange={setReassignTo}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
        </>
      ) : (
        <Text size="sm">{t('deleteDialog.unused')}</Text>
      )}
    </ConfirmModal>
  );
}

export function TemplatePickerModal({
  opened,
  onClose,
  onPick,
}: {
  opened: boolean;
  onClose: () => void;
  onPick: (key: string) => void;
}) {
  const { t } = useTranslation('roles');
  const templates = useRoleTemplates(opened);
  return (
    <Modal opened={opened} onClose={onClose} title={t('templates.title')} size="lg" centered>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('templates.intro')}
        </Text>
        {templates.isPending && (
          <Center py="md">
            <Loader />
          </Center>
        )}
        {templates.isError && <ErrorAlert message={errorMessage(templates.error)} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {templates.data?.items.map((tp) => (
            <UnstyledButton key={tp.key} onClick={() => onPick(tp.key)} aria-label={tp.name}>
              <Card withBorder padding="sm" h="100%">
                <Group justify="space-between" wrap="nowrap" mb={4}>
                  <Text fw={600}>{tp.name}</Text>
                  <Badge size="xs" variant="light" tt="none" color={tp.kind === 'client' ? 'grape' : 'blue'}>
                    {tp.kind === 'client' ? t('templates.client') : t('templates.team')}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {tp.description}
                </Text>
                <Text size="xs" c="dimmed" mt={4}>
                  {t('templates.permissions', { count: tp.permissions.length })}
                </Text>
              </Card>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Stack>
    </Modal>
  );
}
