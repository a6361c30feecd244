import { Button, Checkbox, Divider, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, type User } from '../../api/client';
import { useDeleteUser, useResetUserPassword, useSetUserActive } from '../../api/hooks';
import { ConfirmModal } from '../../components/ConfirmModal';
import { GeneratedPasswordModal } from '../../components/GeneratedPasswordModal';
import { applyServerError } from '../../lib/forms';
import { allows, useReadOnly } from '../../lib/readOnly';
import { passwordStrength } from '../../lib/validation';

function ResetPasswordModal({ user, opened, onClose }: { user: User; opened: boolean; onClose: () => void }) {
  const reset = useResetUserPassword();
  const [generated, setGenerated] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { generate: true, password: '' },
    validate: { password: (v, values) => (values.generate ? null : passwordStrength(v)) },
  });

  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };

  const submit = form.onSubmit(async (values) => {
    setFormError(null);
    try {
      const result = await reset.mutateAsync({
        id: user.id,
        body: values.generate ? { generate: true } : { password: values.password },
      });
      close();
      if (result?.generatedPassword) setGenerated(result.generatedPassword);
      else notifications.show({ color: 'teal', message: `Password reset. ${user.name} must choose a new one at next sign-in.` });
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <>
      <ConfirmModal
        opened={opened}
        title={`Reset the password of ${user.name}`}
        confirmLabel="Reset password"
        confirmColor="blue"
        onClose={close}
        onConfirm={() => submit()}
        loading={reset.isPending}
        error={formError}
      >
        <Text size="sm">Their sessions end and they must choose a new password at next sign-in.</Text>
        <Checkbox label="Generate a strong password" {...form.getInputProps('generate', { type: 'checkbox' })} />
        {!form.values.generate && (
          <PasswordInput label="New password" description="At least 12 characters" autoComplete="new-password" {...form.getInputProps('password')} />
        )}
      </ConfirmModal>
      <GeneratedPasswordModal password={generated} userName={user.name} email={user.email} onClose={() => setGenerated(null)} />
    </>
  );
}

/**
 * Password reset, deactivation and deletion for one user, each behind a confirmation, each
 * offered when the user's `actions` (the server's answer for this viewer) include it.
 */
export function UserActions({ user, onDeleted }: { user: User; onDeleted: () => void }) {
  const readOnly = useReadOnly();
  const may = (action: string) => allows(user.actions, action, readOnly);
  const setActive = useSetUserActive();
  const del = useDeleteUser();
  const [modal, setModal] = useState<null | 'reset' | 'status' | 'delete'>(null);
  const [error, setError] = useState<string | null>(null);
  const [typedEmail, setTypedEmail] = useState('');
  const active = user.status === 'active';
  // What the open status dialog does, fixed when it opens so its text does not flip
  // while it closes after the change.
  const [deactivating, setDeactivating] = useState(active);

  const open = (m: typeof modal) => {
    setError(null);
    setTypedEmail('');
    setDeactivating(active);
    setModal(m);
  };

  const toggleActive = async () => {
    try {
      await setActive.mutateAsync({ id: user.id, active: !deactivating });
      notifications.show({ color: 'teal', message: deactivating ? `${user.name} is deactivated.` : `${user.name} is active again.` });
      setModal(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async () => {
    try {
      await del.mutateAsync(user.id);
      notifications.show({ color: 'teal', message: `${user.name} was deleted.` });
      setModal(null);
      onDeleted();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const emailMatches = typedEmail.trim().toLowerCase() === user.email.toLowerCase();

  return (
    <Stack gap="md">
      {may('users.edit') && (
        <div>
          <Divider my="sm" />
          <Title order={3} size="h5" mb={4}>
            Password
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Set a new password when someone is locked out.
          </Text>
          <Button variant="default" onClick={() => open('reset')}>
            Reset password
          </Button>
          <ResetPasswordModal user={user} opened={modal === 'reset'} onClose={() => setModal(null)} />
        </div>
      )}

      {may('users.deactivate') && (
        <div>
          <Title order={3} size="h5" mb={4}>
            Access
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {active
              ? 'Deactivating blocks sign-in and ends every session at once. Their history stays.'
              : 'This account is deactivated: it cannot sign in.'}
          </Text>
          <Button variant="default" color={active ? 'orange' : 'teal'} onClick={() => open('status')}>
            {active ? 'Deactivate' : 'Reactivate'}
          </Button>
          <ConfirmModal
            opened={modal === 'status'}
            title={deactivating ? `Deactivate ${user.name}?` : `Reactivate ${user.name}?`}
            confirmLabel={deactivating ? 'Deactivate' : 'Reactivate'}
            confirmColor={deactivating ? 'orange' : 'teal'}
            onClose={() => setModal(null)}
            onConfirm={toggleActive}
            loading={setActive.isPending}
            error={error}
          >
            <Text size="sm">
              {deactivating
                ? `${user.name} will be signed out everywhere and cannot sign in until reactivated. Nothing of their work is removed.`
                : `${user.name} will be able to sign in again with their role, ${user.roleName}.`}
            </Text>
          </ConfirmModal>
        </div>
      )}

      {may('users.delete') && (
        <div>
          <Title order={3} size="h5" mb={4} c="red">
            Delete
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            Removes the account for good.
          </Text>
          <Button variant="outline" color="red" onClick={() => open('delete')}>
            Delete user
          </Button>
          <ConfirmModal
            opened={modal === 'delete'}
            title={`Delete ${user.name}?`}
            confirmLabel="Delete for good"
            onClose={() => setModal(null)}
            onConfirm={remove}
            loading={del.isPending}
            confirmDisabled={!emailMatches}
            error={error}
          >
            <Text size="sm">
              Deactivation is usually better: it blocks sign-in at once and keeps the history of their work.
              Deleting cannot be undone.
            </Text>
            <TextInput
              label={`Type ${user.email} to confirm`}
              value={typedEmail}
              onChange={(e) => setTypedEmail(e.currentTarget.value)}
              autoComplete="off"
              data-autofocus
            />
          </ConfirmModal>
        </div>
      )}
    </Stack>
  );
}
