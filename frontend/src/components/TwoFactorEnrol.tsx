import { Alert, Button, Checkbox, Code, CopyButton, Group, Image, List, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconAlertTriangle, IconCopy, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from '../i18n';
import { ApiError, errorMessage } from '../api/client';
import { type TwoFactorEnrolment, useConfirmEnrolment, useStartEnrolment } from '../api/security';
import { applyServerError } from '../lib/forms';
import { useThrottle } from '../lib/throttle';
import { ErrorAlert } from './ErrorAlert';

/** The secret in groups of four, as people type it into an app by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

/** A six-digit authenticator code, spaces allowed (people copy "123 456"). */
export function totpShape(value: string): string | null {
  return /^\d{6}$/.test(value.replace(/\s/g, '')) ? null : i18next.t('twoFactor:totpShape');
}

/** The recovery codes, shown once, with a way to copy them and a promise to keep them. */
export function RecoveryCodes({ codes, onDone, doneLabel }: { codes: string[]; onDone: () => void; doneLabel: string }) {
  const { t } = useTranslation('twoFactor');
  const [saved, setSaved] = useState(false);
  return (
    <Stack gap="sm" role="region" aria-label={t('recovery.region')}>
      <Alert color="orange" variant="light" icon={<IconAlertTriangle size={18} />} role="note">
        {t('recovery.warning')}
      </Alert>
      <Code block data-testid="recovery-codes">
        {codes.join('\n')}
      </Code>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button variant="default" leftSection={<IconCopy size={16} />} onClick={copy}>
              {copied ? t('recovery.copied') : t('recovery.copy')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <Checkbox label={t('recovery.saved')} checked={saved} onChange={(e) => setSaved(e.currentTarget.checked)} />
      <Group justify="flex-end">
        <Button onClick={onDone} disabled={!saved}>
          {doneLabel}
        </Button>
      </Group>
    </Stack>
  );
}

/**
 * Setting up an authenticator app: a new secret as a QR code (drawn by the server) and as
 * text, then a first code turns two-factor sign-in on, and the ten recovery codes are
 * shown once. `onDone` runs when the person has saved them.
 */
export function TwoFactorEnrol({
  autoStart = false,
  onDone,
  onCancel,
  doneLabel,
  disabled = false,
  footer,
}: {
  /** Start at once (the setup a role requires) instead of offering a button. */
  autoStart?: boolean;
  onDone: () => void;
  onCancel?: () => void;
  doneLabel?: string;
  disabled?: boolean;
  footer?: ReactNode;
}) {
  const { t } = useTranslation('twoFactor');
  const start = useStartEnrolment();
  const confirm = useConfirmEnrolment();
  const throttle = useThrottle();
  const [enrolment, setEnrolment] = useState<TwoFactorEnrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const form = useForm({ mode: 'controlled', initialValues: { code: '' }, validate: { code: totpShape } });

  const begin = async () => {
    setError(null);
    try {
      setEnrolment(await start.mutateAsync());
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  // A required setup starts by itself, once (StrictMode mounts twice).
  const started = useRef(false);
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      void begin();
    }
  }, [autoStart]);

  const submit = form.onSubmit(async ({ code }) => {
    if (throttle.locked) return;
    setError(null);
    try {
      const answer = await confirm.mutateAsync(code.replace(/\s/g, ''));
      setCodes(answer.recoveryCodes);
    } catch (e) {
      if (throttle.caught(e)) return;
      // Another window finished or replaced this setup: start over with a fresh secret.
      if (e instanceof ApiError && e.code === 'no_enrolment') setEnrolment(null);
      setError(applyServerError(form, e));
    }
  });

  if (codes) return <RecoveryCodes codes={codes} onDone={onDone} doneLabel={doneLabel ?? t('done')} />;

  if (!enrolment) {
    return (
      <Stack gap="sm">
        <ErrorAlert message={error} />
        <Group>
          <Button leftSection={<IconShieldCheck size={16} />} onClick={begin} loading={start.isPending} disabled={disabled}>
            {t('setUp')}
          </Button>
          {footer}
        </Group>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="sm" role="region" aria-label={t('title')}>
        <List type="ordered" size="sm" spacing={4}>
          <List.Item>{t('steps.app')}</List.Item>
          <List.Item>{t('steps.scan')}</List.Item>
          <List.Item>{t('steps.code')}</List.Item>
        </List>
        <Image src={enrolment.qrCode} alt={t('qrAlt')} w={200} h={200} fit="contain" />
        <div>
          <Text size="sm" c="dimmed">
            {t('key')}
          </Text>
          <Code data-testid="two-factor-secret" style={{ wordBreak: 'break-all' }}>
            {groupSecret(enrolment.secret)}
          </Code>
        </div>
        <ErrorAlert message={throttle.message ?? error} />
        <TextInput
          label={t('codeFromApp')}
          autoComplete="one-time-code"
          inputMode="numeric"
          autoFocus
          {...form.getInputProps('code')}
        />
        <Group justify="flex-end">
          {onCancel && (
            <Button variant="default" onClick={onCancel}>
              {t('common:cancel')}
            </Button>
          )}
          {footer}
          <Button type="submit" loading={confirm.isPending} disabled={throttle.locked || disabled}>
            {t('turnOn')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
