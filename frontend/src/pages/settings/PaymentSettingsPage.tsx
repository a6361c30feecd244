import { Alert, Anchor, Badge, Button, Code, Group, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { IconCreditCard, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { ApiError, errorMessage } from '../../api/client';
import { type PaymentSettings, type PaymentSettingsRequest, usePaymentSettings, useUpdatePaymentSettings } from '../../api/payments';
import { ConfirmModal } from '../../components/ConfirmModal';
import { ErrorAlert } from '../../components/ErrorAlert';
import { KeychainAlert, SecretsWarningAlert } from '../../components/KeychainAlert';
import { Loading } from '../../components/Loading';
import { applyServerError } from '../../lib/forms';
import { useReadOnly } from '../../lib/readOnly';

type Values = { secretKey: string; webhookSecret: string };

/** What the server will refuse, said before asking it (the server checks again). */
export function checkSecretKey(v: string, stored: boolean): string | null {
  const s = v.trim();
  if (s === '') return stored ? null : 'Paste the secret key from the Stripe dashboard (Developers → API keys).';
  if (/\s/.test(s)) return 'The secret key is one word without spaces.';
  if (!/^(sk|rk)_(test|live)_./.test(s)) return 'That is not a secret key: it starts with sk_test_, sk_live_, rk_test_ or rk_live_ (not pk_, the publishable key).';
  return null;
}

export function checkWebhookSecret(v: string): string | null {
  const s = v.trim();
  if (s === '') return null;
  if (/\s/.test(s)) return 'The signing secret is one word without spaces.';
  if (!/^whsec_./.test(s)) return 'That is not a webhook signing secret: it starts with whsec_.';
  return null;
}

/** Settings → Payments: Stripe Checkout for clients' invoices (settings.integrations). */
export function PaymentSettingsPage() {
  const settings = usePaymentSettings();
  return (
    <Stack gap="md">
      <div>
        <Title order={2} size="h3">
          Payments
        </Title>
        <Text c="dimmed">Let clients pay their invoices online, by card, through Stripe Checkout.</Text>
      </div>
      {settings.isPending ? (
        <Loading />
      ) : settings.isError ? (
        <ErrorAlert message={errorMessage(settings.error)} />
      ) : (
        <PaymentSettingsForm key={settings.dataUpdatedAt} settings={settings.data} />
      )}
    </Stack>
  );
}

export function PaymentSettingsForm({ settings }: { settings: PaymentSettings }) {
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
    if (await send(body, on ? 'Payment settings saved.' : 'Stripe is connected: clients can pay their invoices online.')) form.reset();
  });

  const webhookURL = `${location.protocol.startsWith('http') ? location.origin : 'https://<Gatehouse address>'}${settings.webhookPath}`;

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
                {on ? 'Connected' : 'Not connected'}
              </Text>
              {on && settings.testMode && (
                <Badge color="orange" variant="light" tt="none">
                  Test mode: no real money moves
                </Badge>
              )}
            </Group>
            <Alert variant="light" color="blue" role="note" icon={<IconInfoCircle size={18} />}>
              <Text size="sm">
                A client who opens one of their invoices gets a <b>Pay now</b> button that takes them to Stripe. A payment counts
                only once Stripe confirms it — when the client returns, or through the webhook below — never on the client&apos;s
                word. Without Stripe, clients see the payment instructions of Invoicing → Invoice details.
              </Text>
              <Text size="sm" mt="xs">
                For payments that complete after the client has left Stripe's page, add a webhook endpoint in the Stripe dashboard
                (Developers → Webhooks) for the events <Code>checkout.session.completed</Code> and{' '}
                <Code>checkout.session.async_payment_succeeded</Code> at <Code>{webhookURL}</Code>, and paste its signing secret
                here.
              </Text>
            </Alert>
            {keychainError && <KeychainAlert message={keychainError} />}
            <ErrorAlert message={formError} />
            <PasswordInput
              label="Secret key"
              description={
                settings.secretKeySet
                  ? 'A key is stored in the system keychain. Leave this empty to keep it, or paste a new one.'
                  : 'From the Stripe dashboard, Developers → API keys. Kept in the system keychain, never in the database, and never shown again.'
              }
              placeholder={settings.secretKeySet ? '•••••••• (stored)' : 'sk_live_… or sk_test_…'}
              autoComplete="new-password"
              {...form.getInputProps('secretKey')}
            />
            <PasswordInput
              label="Webhook signing secret"
              description={
                settings.webhookSecretSet
                  ? 'A signing secret is stored. Leave this empty to keep it, or paste a new one.'
                  : 'Optional: without it, a payment counts when the client returns from Stripe.'
              }
              placeholder={settings.webhookSecretSet ? '•••••••• (stored)' : 'whsec_…'}
              autoComplete="new-password"
              {...form.getInputProps('webhookSecret')}
            />
            <Group justify="space-between" mt="sm">
              {on ? (
                <Anchor component="button" type="button" c="red" size="sm" onClick={() => setConfirmOff(true)}>
                  Disconnect Stripe
                </Anchor>
              ) : (
                <span />
              )}
              <Button type="submit" loading={save.isPending} disabled={readOnly}>
                {on ? 'Save' : 'Connect Stripe'}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
      <Text size="sm" c="dimmed">
        Who can use these settings: roles with <Code>settings.integrations</Code>. Every change is in the activity log (which
        secret changed, never its value).
      </Text>
      <ConfirmModal
        opened={confirmOff}
        title="Disconnect Stripe?"
        confirmLabel="Disconnect"
        loading={save.isPending}
        onClose={() => setConfirmOff(false)}
        onConfirm={async () => {
          if (await send({ enabled: false }, 'Stripe is disconnected.')) setConfirmOff(false);
        }}
      >
        <Text size="sm">
          Clients can no longer pay online; they see your payment instructions instead. The secret key and the signing secret are
          removed from the keychain. Payments already received stay recorded.
        </Text>
      </ConfirmModal>
    </Stack>
  );
}
