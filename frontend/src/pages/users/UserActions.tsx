import { Button, Checkbox, Divider, Group, List, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { errorMessage, type User } from '../../api/client';
import { useDeleteUser, useResetUserPassword, useSetUserActive } from '../../api/hooks';
import { useHandover, useResendInvitation, useSendResetEmail } from '../../api/users';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { GeneratedPasswordModal } from '../../components/GeneratedPasswordModal';
import { applyServerError } from '../../lib/forms';
import { allows, useReadOnly } from '../../lib/readOnly';
import { plural } from '../../lib/format';
import { passwordStrength } from '../../lib/validation';
import {
  HandoverFields,
  LEAVE_TASKS,
  checkHandoverPlan,
  handoverRequest,
  handoverServerError,
  type HandoverErrors,
  type HandoverPlan,
} from './HandoverFields';

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
 * Password reset (by hand or by mail), a new invitation, deactivation and deletion for one
 * user, each offered when the user's `actions` (the server's answer for this viewer) include
 * it; mails only when email is set up. Deactivation and deletion hand over the open tasks.
 */
export function UserActions({
  user,
  emailConfigured = false,
  onDeleted,
}: {
  user: User;
  emailConfigured?: boolean;
  onDeleted: () => void;
}) {
  const readOnly = useReadOnly();
  const may = (action: string) => allows(user.actions, action, readOnly);
  const setActive = useSetUserActive();
  const del = useDeleteUser();
  const resetEmail = useSendResetEmail();
  const invitation = useResendInvitation();
  const [modal, setModal] = useState<null | 'reset' | 'status' | 'delete'>(null);
  const [error, setError] = useState<string | null>(null);
  const [mailError, setMailError] = useState<string | null>(null);
  const [plan, setPlan] = useState<HandoverPlan>(LEAVE_TASKS);
  const [planErrors, setPlanErrors] = useState<HandoverErrors>({});
  const active = user.status === 'active';
  // What the open status dialog does, fixed when it opens so its text does not flip
  // while it closes after the change.
  const [deactivating, setDeactivating] = useState(active);
  const handover = useHandover(user.id, (modal === 'status' && deactivating) || modal === 'delete');
  const mails = emailConfigured && may('users.edit');
  const neverSignedIn = !user.lastSignInAt && active;

  const open = (m: typeof modal) => {
    setError(null);
    setPlan(LEAVE_TASKS);
    setPlanErrors({});
    setDeactivating(active);
    setModal(m);
  };

  const changePlan = (next: HandoverPlan) => {
    setPlan(next);
    setPlanErrors({});
  };

  /** The plan's body, or null when the plan has a mistake (then shown on its field). */
  const planBody = (): { body: ReturnType<typeof handoverRequest> } | null => {
    const problems = handover.data ? checkHandoverPlan(plan) : null;
    if (problems) {
      setPlanErrors(problems);
      return null;
    }
    return { body: handover.data ? handoverRequest(plan) : undefined };
  };

  const failed = (e: unknown) => {
    const placed = handoverServerError(e);
    if ('errors' in placed) setPlanErrors(placed.errors);
    else setError(placed.message);
  };

  const toggleActive = async () => {
    setError(null);
    const planned = deactivating ? planBody() : { body: undefined };
    if (!planned) return;
    try {
      await setActive.mutateAsync({ id: user.id, active: !deactivating, handover: planned.body });
      notifications.show({ color: 'teal', message: deactivating ? `${user.name} is deactivated.` : `${user.name} is active again.` });
      setModal(null);
    } catch (e) {
      failed(e);
    }
  };

  const remove = async () => {
    setError(null);
    const planned = planBody();
    if (!planned) return;
    try {
      await del.mutateAsync({ id: user.id, handover: planned.body });
      notifications.show({ color: 'teal', message: `${user.name} was deleted.` });
      setModal(null);
      onDeleted();
    } catch (e) {
      failed(e);
    }
  };

  const sendMail = async (send: typeof resetEmail) => {
    setMailError(null);
    try {
      const answer = await send.mutateAsync(user.id);
      notifications.show({ color: 'teal', message: answer.message });
    } catch (e) {
      setMailError(errorMessage(e));
    }
  };

  const comments = handover.data?.comments ?? 0;
  const stay = comments === 1 ? 'stays' : 'stay';

  return (
    <Stack gap="md">
      {may('users.edit') && (
        <div>
          <Divider my="sm" />
          <Title order={3} size="h5" mb={4}>
            Password
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {mails
              ? 'Send a reset email (a link that works once, within 30 minutes; their password keeps working until it is used), or set a new password yourself.'
              : 'Set a new password when someone is locked out.'}
          </Text>
          <ErrorAlert message={mailError} onClose={() => setMailError(null)} />
          <Group gap="sm" mt={mailError ? 'xs' : 0}>
            {mails && (
              <Button variant="default" onClick={() => sendMail(resetEmail)} loading={resetEmail.isPending}>
                Send reset email
              </Button>
            )}
            <Button variant="default" onClick={() => open('reset')}>
              Reset password
            </Button>
          </Group>
          <ResetPasswordModal user={user} opened={modal === 'reset'} onClose={() => setModal(null)} />
        </div>
      )}

      {mails && neverSignedIn && (
        <div>
          <Title order={3} size="h5" mb={4}>
            Invitation
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {user.name} has not signed in yet. A new welcome email carries a new link; earlier links stop working.
          </Text>
          <Button variant="default" onClick={() => sendMail(invitation)} loading={invitation.isPending}>
            Resend invitation
          </Button>
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
            confirmDisabled={deactivating && handover.isPending}
            error={error}
          >
            <Text size="sm">
              {deactivating
                ? `${user.name} will be signed out everywhere and cannot sign in until reactivated. Nothing of their work is removed${comments > 0 ? `: their ${plural(comments, 'comment')} ${stay} under their name` : ''}.`
                : `${user.name} will be able to sign in again with their role, ${user.roleName}.`}
            </Text>
            {deactivating && (
              <HandoverFields user={user} handover={handover} deleting={false} plan={plan} onChange={changePlan} errors={planErrors} />
            )}
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
            confirmDisabled={handover.isPending}
            error={error}
          >
            <Text size="sm" fw={500}>
              This cannot be undone.
            </Text>
            <List size="sm" spacing={4} data-testid="delete-consequences">
              <List.Item>The account of {user.name} and its sign-in are removed for good.</List.Item>
              <List.Item>Their open tasks go to whom you choose below, or become unassigned.</List.Item>
              <List.Item>
                {comments > 0 ? `Their ${plural(comments, 'comment')} ${stay}` : 'Their comments stay'} under their name.
              </List.Item>
              <List.Item>Files they uploaded stay in their projects, under their name.</List.Item>
              <List.Item>
                Their messages in project discussions and team chat stay under their name; their 1:1 conversations stay readable
                to the other person.
              </List.Item>
              <List.Item>The activity log keeps its entries.</List.Item>
            </List>
            <Text size="sm" c="dimmed">
              Deactivation is usually better: it blocks sign-in at once and keeps their name on their work.
            </Text>
            <HandoverFields user={user} handover={handover} deleting plan={plan} onChange={changePlan} errors={planErrors} />
          </ConfirmModal>
        </div>
      )}
    </Stack>
  );
}
