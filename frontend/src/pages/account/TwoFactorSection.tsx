import { Alert, Badge, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useQueryClient } from '@tanstack/react-query';
import { keys } from '../../api/hooks';
import { securityKeys, useDisableTwoFactor, useMyTwoFactor, useRegenerateRecoveryCodes } from '../../api/security';
import { ErrorAlert } from '../../components/ErrorAlert';
import { Loading } from '../../components/Loading';
import { RecoveryCodes, TwoFactorEnrol } from '../../components/TwoFactorEnrol';
import { applyServerError } from '../../lib/forms';
import { formatDate } from '../../lib/format';
import { useThrottle } from '../../lib/throttle';

/** A dialog that asks for a code (authenticator or recovery) before doing something. */
function CodeDialog({
  opened,
  title,
  text,
  confirmLabel,
  confirmColor,
  pending,
  onSubmit,
  onClose,
}: {
  opened: boolean;
  title: string;
  text: string;
  confirmLabel: string;
  confirmColor?: string;
  pending: boolean;
  onSubmit: (code: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation('twoFactor');
  const throttle = useThrottle();
  const [error, setError] = useState<string | null>(null);
  const form = useForm({
    mode: 'controlled',
    initialValues: { code: '' },
    validate: { code: (v) => (v.trim() ? null : t('section.enterCode')) },
  });
  const close = () => {
    form.reset();
    setError(null);
    onClose();
  };
  const submit = form.onSubmit(async ({ code }) => {
    if (throttle.locked) return;
    setError(null);
    try {
      await onSubmit(code.trim());
      form.reset();
    } catch (e) {
      if (!throttle.caught(e)) setError(applyServerError(form, e));
    }
  });
  return (
    <Modal opened={opened} onClose={close} title={title} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">{text}</Text>
          <ErrorAlert message={throttle.message ?? error} />
          <TextInput label={t('section.code')} description={t('section.codeHelp')} autoComplete="one-time-code" autoFocus {...form.getInputProps('code')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common:cancel')}
            </Button>
            <Button type="submit" color={confirmColor} loading={pending} disabled={throttle.locked}>
              {confirmLabel}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** My account → Two-factor sign-in: set it up, new recovery codes, turn it off. */
export function TwoFactorSection({ readOnly = false }: { readOnly?: boolean }) {
  const { t } = useTranslation('twoFactor');
  const status = useMyTwoFactor();
  const regenerate = useRegenerateRecoveryCodes();
  const disable = useDisableTwoFactor();
  const [enrolling, setEnrolling] = useState(false);
  const [dialog, setDialog] = useState<null | 'codes' | 'off'>(null);
  const [fresh, setFresh] = useState<string[] | null>(null);
  const qc = useQueryClient();

  // New recovery codes, and a setup under way, stay on screen until the person is done.
  if (fresh) {
    return <RecoveryCodes codes={fresh} doneLabel={t('done')} onDone={() => setFresh(null)} />;
  }
  if (enrolling) {
    return (
      <TwoFactorEnrol
        autoStart
        onCancel={() => setEnrolling(false)}
        onDone={() => {
          setEnrolling(false);
          void qc.invalidateQueries({ queryKey: securityKeys.myTwoFactor });
          void qc.invalidateQueries({ queryKey: keys.me });
          notifications.show({ color: 'teal', message: t('section.nowOn') });
        }}
      />
    );
  }

  if (status.isPending) return <Loading />;
  if (status.isError) return <ErrorAlert message={errorMessage(status.error)} />;
  const s = status.data;

  if (!s.enabled) {
    return (
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t('section.off')}
        </Text>
        {s.required && (
          <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
            {t('section.roleRequires')}
          </Alert>
        )}
        <Group>
          <Button onClick={() => setEnrolling(true)} disabled={readOnly}>
            {t('setUp')}
          </Button>
        </Group>
      </Stack>
    );
  }

  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Badge color="teal" variant="light">
          {t('section.on')}
        </Badge>
        <Text size="sm" c="dimmed">
          {s.enabledAt ? `${t('section.since', { date: formatDate(s.enabledAt) })} ` : ''}
          {t('section.codesLeft', { count: s.recoveryCodesLeft })}
        </Text>
      </Group>
      {s.recoveryCodesLeft <= 2 && (
        <Alert variant="light" color="orange" role="note">
          {t('section.runningOut')}
        </Alert>
      )}
      <Group>
        <Button variant="default" onClick={() => setDialog('codes')} disabled={readOnly}>
          {t('section.newCodes')}
        </Button>
        {!s.required && (
          <Button variant="default" color="red" onClick={() => setDialog('off')} disabled={readOnly}>
            {t('section.turnOff')}
          </Button>
        )}
      </Group>
      {s.required && (
        <Text size="sm" c="dimmed">
          {t('section.staysOn')}
        </Text>
      )}
      <CodeDialog
        opened={dialog === 'codes'}
        title={t('section.newCodes')}
        text={t('section.newCodesText')}
        confirmLabel={t('section.makeCodes')}
        pending={regenerate.isPending}
        onClose={() => setDialog(null)}
        onSubmit={async (code) => {
          const answer = await regenerate.mutateAsync(code);
          setDialog(null);
          setFresh(answer.recoveryCodes);
        }}
      />
      <CodeDialog
        opened={dialog === 'off'}
        title={t('section.turnOffTitle')}
        text={t('section.turnOffText')}
        confirmLabel={t('section.turnOff')}
        confirmColor="red"
        pending={disable.isPending}
        onClose={() => setDialog(null)}
        onSubmit={async (code) => {
          await disable.mutateAsync(code);
          setDialog(null);
          notifications.show({ color: 'teal', message: t('section.nowOff') });
        }}
      />
    </Stack>
  );
}
