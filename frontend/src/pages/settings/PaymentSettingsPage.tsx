import { Alert, Anchor, Badge, Button, Code, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCreditCard, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { type PaymentSettings, type PaymentSettingsRequest, usePaymentSettings, useUpdatePaymentSettings } from '../../api/payments';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import i18n from '../../i18n';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';
import { SettingsTab } from './SettingsTab';

type Values = { secretKey: string; webhookSecret: string };

/** What the server will refuse, said before asking it (the server checks again). */
export function checkSecretKey(v: string, stored: boolean): string | null {
  const s = v.trim();
  if (s === '') return stored ? null : i18n.t('settings:payments.check.keyRequired');
  if (/\s/.test(s)) return i18n.t('settings:payments.check.keySpaces');
  if (!/^(sk|rk)_(test|live)_./.test(s)) return i18n.t('settings:payments.check.keyPrefix');
  return null;
}

export function checkWebhookSecret(v: string): string | null {
  const s = v.trim();
  if (s === '') return null;
  if (/\s/.test(s)) return i18n.t('settings:payments.check.webhookSpaces');
  if (!/^whsec_./.test(s)) return i18n.t('settings:payments.check.webhookPrefix');
  return null;
}

/** Settings → Payments: Stripe Checkout for clients' invoices (settings.integrations). */
export function PaymentSettingsPage() {
  const { t } = useTranslation('settings');
  const settings = usePaymentSettings();
  return (
    <SettingsTab title={t('tabs.payments')} intro={t('payments.intro')} settings={settings}>
      {(data, loadedAt) => <PaymentSettingsForm key={loadedAt} settings={data} />}
    </SettingsTab>
  );
}

export function PaymentSettingsForm({ settings }: { settings: PaymentSettings }) {
  const { t } = useTranslation('settings');
  const readOnly = useReadOnly();
  const save = useUpdatePaymentSettings();
  const [formError, setFormError] = useState<string | null>(null);
  const [keychainError, setKeychainError] = useState<string | null>(null);
  const [confirmOff, setConfirmOff] = useState(false);
  const on = settings.gateway === 'stripe';
  const form = useForm<Values>({
    mode: 'controlled',
    initialValues: { secretKey: '', webhookSecret: '' },
    validate: {
      secretKey: (v) => checkSecretKey(v, settings.secretKeySet),
      webhookSecret: checkWebhookSecret,
    },
  });

  const send = async (body: PaymentSettingsRequest, done: string) => {
    setFormError(null);
    setKeychainError(null);
    try {
      await save.mutateAsync(body);
      notifications.show({ color: 'teal', message: done });
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.status === 503) setKeychainError(e.message);
      else setFormError(applyServerError(form, e));
      return false;
    }
  };

  const submit = form.onSubmit(async (v) => {
    const body: PaymentSettingsRequest = { enabled: true };
    if (v.secretKey.trim()) body.secretKey = v.secretKey.trim();
    if (v.webhookSecret.trim()) body.webhookSecret = v.webhookSecret.trim();
    if (await send(body, on ? t('payments.saved') : t('payments.connected'))) form.reset();
  });

  const webhookURL = `${location.protocol.startsWith('http') ? location.origin : t('payments.addressPlaceholder')}${settings.webhookPath}`;

  return (
    <Stack gap="md">
      <SecretsWarningAlert warning={settings.secretsWarning} />
      <Paper withBorder p="lg" radius="md" component="section" aria-label="Stripe">
        <form onSubmit={submit} noValidate>
          <Stack gap="sm">
            <Group gap="xs">
              <IconCreditCard size={20} />
              <Title order={2} size="h4">
                Stripe
              </Title>
              <Text size="sm" c={on ? 'teal' : 'dimmed'} fw={500}>
                {on ? t('payments.on') : t('payments.off')}
              </Text>
              {on && settings.testMode && (
                <Badge color="orange" variant="light" tt="none">
                  {t('payments.testMode')}
                </Badge>
              )}
            </Group>
            <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
              <Text size="sm">
                <Trans t={t} i18nKey="payments.howItWorks" components={{ b: <b /> }} />
              </Text>
              <Text size="sm" mt="xs">
                <Trans
                  t={t}
                  i18nKey="payments.webhookHelp"
                  values={{ completed: 'checkout.session.completed', asyncSucceeded: 'checkout.session.async_payment_succeeded' }}
                  // The address as a component, not a value: off http it holds "<Gatehouse address>", which would read as markup.
                  components={{ code: <Code />, url: <Code>{webhookURL}</Code> }}
                />
              </Text>
            </Alert>
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <PasswordInput
              label={t('payments.secretKey')}
              description={settings.secretKeySet ? t('payments.keyStored') : t('payments.keyHint')}
              placeholder={settings.secretKeySet ? t('storedPlaceholder') : t('payments.keyPlaceholder')}
              autoComplete="new-password"
              {...form.getInputProps('secretKey')}
            />
            <PasswordInput
              label={t('payments.webhookSecret')}
              description={settings.webhookSecretSet ? t('payments.webhookStored') : t('payments.webhookHint')}
              placeholder={settings.webhookSecretSet ? t('storedPlaceholder') : 'whsec_…'}
              autoComplete="new-password"
              {...form.getInputProps('webhookSecret')}
            />
            <Group justify="space-between" mt="sm">
              {on ? (
                <Anchor component="button" type="button" c="red" size="sm" onClick={() => setConfirmOff(true)}>
                  {t('payments.disconnect')}
                </Anchor>
              ) : (
                <span />
              )}
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                {on ? t('save') : t('payments.connect')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        <Trans t={t} i18nKey="payments.whoCan" values={{ permission: 'settings.integrations' }} components={{ code: <Code /> }} />
      </Text>
      <ConfirmModal
        opened={confirmOff}
        title={t('payments.disconnectConfirm.title')}
        confirmLabel={t('payments.disconnectConfirm.confirm')}
        loading={save.isPending}
        onClose={() => setConfirmOff(false)}
        onConfirm={async () => {
          if (await send({ enabled: false }, t('payments.disconnected'))) setConfirmOff(false);
        }}
      >
        <Text size="sm">{t('payments.disconnectConfirm.body')}</Text>
      </ConfirmModal>
    </Stack>
  );
}
