import { Button, Checkbox, Divider, Group, List, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, type User } from '../../api/client';
import { useDeleteUser, usePasswordMinLength, useResetUserPassword, useSetUserActive } from '../../api/hooks';
import { useHandover, useResendInvitation, useSendResetEmail } from '../../api/users';
import { useResetUserTwoFactor } from '../../api/security';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { GeneratedPasswordModal } from '../../components/GeneratedPasswordModal';
import { applyServerError } from '../../lib/forms';
import { allows, useReadOnly } from '../../lib/readOnly';
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
  const { t } = useTranslation('users', { keyPrefix: 'actions' });
  const reset = useResetUserPassword();
  const [generated, setGenerated] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const minLength = usePasswordMinLength();
  const form = useForm({
    mode: 'controlled',
    initialValues: { generate: true, password: '' },
    validate: { password: (v, values) => (values.generate ? null : passwordStrength(v, minLength)) },
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
      else notifications.show({ color: 'teal', message: t('resetDone', { name: user.name }) });
    } catch (e) {
      setFormError(applyServerError(form, e));
    }
  });

  return (
    <>
      <ConfirmModal
        opened={opened}
        title={t('resetTitle', { name: user.name })}
        confirmLabel={t('resetConfirm')}
        confirmColor="blue"
        onClose={close}
        onConfirm={() => submit()}
        loading={reset.isPending}
        error={formError}
      >
        <Text size="sm">{t('resetBody')}</Text>
        <Checkbox label={t('generate')} {...form.getInputProps('generate', { type: 'checkbox' })} />
        {!form.values.generate && (
          <PasswordInput label={t('newPassword')} description={t('newPasswordHelp', { min: minLength })} autoComplete="new-password" {...form.getInputProps('password')} />
        )}
      </ConfirmModal>
      <GeneratedPasswordModal password={generated} userName={user.name} email={user.email} onClose={() => setGenerated(null)} />
    </>
  );
}

/**
 * Password reset (by hand or by mail), a new invitation, deactivation and deletion for one
 * user, each offered when the user's `actions` (the server's answer for this viewer) include
 * it (`users.credentials` for the password and the mails); mails only when email is set up. Deactivation and deletion hand over the open tasks.
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
  const { t } = useTranslation('users', { keyPrefix: 'actions' });
  const readOnly = useReadOnly();
  const may = (action: string) => allows(user.actions, action, readOnly);
  const setActive = useSetUserActive();
  const del = useDeleteUser();
  const resetEmail = useSendResetEmail();
  const invitation = useResendInvitation();
  const { t: t2 } = useTranslation('twoFactor');
  const resetTwoFactor = useResetUserTwoFactor();
  const [modal, setModal] = useState<null | 'reset' | 'status' | 'delete' | 'twoFactor'>(null);
  const [error, setError] = useState<string | null>(null);
  const [mailError, setMailError] = useState<string | null>(null);
  const [plan, setPlan] = useState<HandoverPlan>(LEAVE_TASKS);
  const [planErrors, setPlanErrors] = useState<HandoverErrors>({});
  const active = user.status === 'active';
  // What the open status dialog does, fixed when it opens so its text does not flip
  // while it closes after the change.
  const [deactivating, setDeactivating] = useState(active);
  const handover = useHandover(user.id, (modal === 'status' && deactivating) || modal === 'delete');
  // Passwords, reset and welcome mails take the account over: users.credentials, which the
  // server gives only where the asker's role holds everything the person's does.
  const credentials = may('users.credentials');
  const mails = emailConfigured && credentials;
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
      notifications.show({ color: 'teal', message: deactivating ? t('deactivated', { name: user.name }) : t('reactivated', { name: user.name }) });
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
      notifications.show({ color: 'teal', message: t('deleted', { name: user.name }) });
      setModal(null);
      onDeleted();
    } catch (e) {
      failed(e);
    }
  };

  const resetSecondFactor = async () => {
    setError(null);
    try {
      await resetTwoFactor.mutateAsync(user.id);
      notifications.show({ color: 'teal', message: t2('reset.done', { name: user.name }) });
      setModal(null);
    } catch (e) {
      setError(errorMessage(e));
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

  return (
    <Stack gap="md">
      {credentials && (
        <div>
          <Divider my="sm" />
          <Title order={3} size="h5" mb={4}>
            {t('password')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {mails
              ? t('passwordHelpMail')
              : t('passwordHelp')}
          </Text>
          <ErrorAlert message={mailError} onClose={() => setMailError(null)} />
          <Group gap="sm" mt={mailError ? 'xs' : 0}>
            {mails && (
              <Button variant="default" onClick={() => sendMail(resetEmail)} loading={resetEmail.isPending}>
                {t('sendReset')}
              </Button>
            )}
            <Button variant="default" onClick={() => open('reset')}>
              {t('resetPassword')}
            </Button>
          </Group>
          <ResetPasswordModal user={user} opened={modal === 'reset'} onClose={() => setModal(null)} />
        </div>
      )}

      {may('users.reset_two_factor') && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t2('reset.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t2('reset.text', { name: user.name })}
          </Text>
          <Button variant="default" onClick={() => open('twoFactor')}>
            {t2('reset.button')}
          </Button>
          <ConfirmModal
            opened={modal === 'twoFactor'}
            title={t2('reset.confirmTitle', { name: user.name })}
            confirmLabel={t2('reset.button')}
            onClose={() => setModal(null)}
            onConfirm={resetSecondFactor}
            loading={resetTwoFactor.isPending}
            error={error}
          >
            <Text size="sm">{t2('reset.confirmText')}</Text>
          </ConfirmModal>
        </div>
      )}

      {mails && neverSignedIn && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('invitation')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('invitationHelp', { name: user.name })}
          </Text>
          <Button variant="default" onClick={() => sendMail(invitation)} loading={invitation.isPending}>
            {t('resend')}
          </Button>
        </div>
      )}

      {may('users.deactivate') && (
        <div>
          <Title order={3} size="h5" mb={4}>
            {t('access')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {active
              ? t('accessActive')
              : t('accessInactive')}
          </Text>
          <Button variant="default" color={active ? 'orange' : 'teal'} onClick={() => open('status')}>
            {active ? t('deactivate') : t('reactivate')}
          </Button>
          <ConfirmModal
            opened={modal === 'status'}
            title={deactivating ? t('deactivateTitle', { name: user.name }) : t('reactivateTitle', { name: user.name })}
            confirmLabel={deactivating ? t('deactivate') : t('reactivate')}
            confirmColor={deactivating ? 'orange' : 'teal'}
            onClose={() => setModal(null)}
            onConfirm={toggleActive}
            loading={setActive.isPending}
            confirmDisabled={deactivating && handover.isPending}
            error={error}
          >
            <Text size="sm">
              {deactivating
                ? comments > 0
                  ? t('deactivateBodyComments', { name: user.name, count: comments })
                  : t('deactivateBody', { name: user.name })
                : t('reactivateBody', { name: user.name, role: user.roleName })}
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
            {t('delete')}
          </Title>
          <Text size="sm" c="dimmed" mb="xs">
            {t('deleteHelp')}
          </Text>
          <Button variant="outline" color="red" onClick={() => open('delete')}>
            {t('deleteUser')}
          </Button>
          <ConfirmModal
            opened={modal === 'delete'}
            title={t('deleteTitle', { name: user.name })}
            confirmLabel={t('deleteConfirm')}
            onClose={() => setModal(null)}
            onConfirm={remove}
            loading={del.isPending}
            confirmDisabled={handover.isPending}
            error={error}
          >
            <Text size="sm" fw={500}>
              {t('cannotUndo')}
            </Text>
            <List size="sm" spacing={4} data-testid="delete-consequences">
              <List.Item>{t('accountRemoved', { name: user.name })}</List.Item>
              <List.Item>{t('openTasks')}</List.Item>
              <List.Item>{comments > 0 ? t('commentsStayCount', { count: comments }) : t('commentsStay')}</List.Item>
              <List.Item>{t('files')}</List.Item>
              <List.Item>{t('messages')}</List.Item>
              <List.Item>{t('log')}</List.Item>
            </List>
            <Text size="sm" c="dimmed">
              {t('better')}
            </Text>
            <HandoverFields user={user} handover={handover} deleting plan={plan} onChange={changePlan} errors={planErrors} />
          </ConfirmModal>
        </div>
      )}
    </Stack>
  );
}
