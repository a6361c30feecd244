import { Badge, Card, Group, Modal, Select, SimpleGrid, Stack, Text, TextInput, UnstyledButton, Loader, Center } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { errorMessage, type Role } from '../../api/client';
import { useCloneRole, useDeleteRole, useRoleTemplates } from '../../api/hooks';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { applyServerError } from '../../lib/forms';
import { plural } from '../../lib/format';

export function CloneRoleModal({
  role,
  onClose,
  onCloned,
}: {
  role: Role | null;
  onClose: () => void;
  onCloned: (copy: Role) => void;
}) {
  const clone = useCloneRole();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { name: role ? `${role.name} (copy)` : '' },
    validate: { name: (v) => (v.trim() ? null : 'Give the copy a name') },
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
      title={role ? `Clone ${role.name}` : 'Clone'}
      confirmLabel="Clone"
      confirmColor="blue"
      onClose={onClose}
      onConfirm={() => submit()}
      loading={clone.isPending}
      error={formError}
    >
      <Text size="sm">The copy starts with the same permissions and is yours to edit.</Text>
      <TextInput label="Name of the copy" data-autofocus {...form.getInputProps('name')} />
    </ConfirmModal>
  );
}

export function DeleteRoleModal({ role, roles, onClose }: { role: Role | null; roles: Role[]; onClose: () => void }) {
  const del = useDeleteRole();
  const [reassignTo, setReassignTo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inUse = (role?.userCount ?? 0) > 0;
  const targets = roles
    .filter((r) => r.id !== role?.id)
    .map((r) => ({ value: r.id, label: `${r.name}${r.kind === 'client' ? ' (client)' : ''}` }));

  const close = () => {
    setReassignTo(null);
    setError(null);
    onClose();
  };
  const confirm = async () => {
    if (!role) return;
    setError(null);
    try {
      await del.mutateAsync({ id: role.id, reassignTo: inUse ? reassignTo ?? undefined : undefined });
      close();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <ConfirmModal
      opened={!!role}
      title={role ? `Delete ${role.name}?` : 'Delete'}
      confirmLabel={inUse ? 'Move users and delete' : 'Delete role'}
      onClose={close}
      onConfirm={confirm}
      loading={del.isPending}
      confirmDisabled={inUse && !reassignTo}
      error={error}
    >
      {inUse ? (
        <>
          <Text size="sm">
            {plural(role!.userCount, 'person', 'people')} {role!.userCount === 1 ? 'has' : 'have'} this role. Choose the
            role they move to; it is in force on their next request.
          </Text>
          <Select
            label="Move its users to"
            placeholder="Choose a role"
            data={targets}
            value={reassignTo}
            onChange={setReassignTo}
            searchable
            comboboxProps={{ withinPortal: true }}
          />
        </>
      ) : (
        <Text size="sm">Nobody has this role. Deleting it cannot be undone.</Text>
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
  const templates = useRoleTemplates(opened);
  return (
    <Modal opened={opened} onClose={onClose} title="Start from a template" size="lg" centered>
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          A template fills in the editor; adjust it before you save.
        </Text>
        {templates.isPending && (
          <Center py="md">
            <Loader />
          </Center>
        )}
        {templates.isError && <ErrorAlert message={errorMessage(templates.error)} />}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {templates.data?.items.map((t) => (
            <UnstyledButton key={t.key} onClick={() => onPick(t.key)} aria-label={t.name}>
              <Card withBorder padding="sm" h="100%">
                <Group justify="space-between" wrap="nowrap" mb={4}>
                  <Text fw={600}>{t.name}</Text>
                  <Badge size="xs" variant="light" tt="none" color={t.kind === 'client' ? 'grape' : 'blue'}>
                    {t.kind === 'client' ? 'client' : 'team'}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed">
                  {t.description}
                </Text>
                <Text size="xs" c="dimmed" mt={4}>
                  {plural(t.permissions.length, 'permission')}
                </Text>
              </Card>
            </UnstyledButton>
          ))}
        </SimpleGrid>
      </Stack>
    </Modal>
  );
}
