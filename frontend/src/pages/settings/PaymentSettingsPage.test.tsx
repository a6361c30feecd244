import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { PaymentSettings } from '../../api/payments';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { checkSecretKey, checkWebhookSecret, PaymentSettingsForm } from './PaymentSettingsPage';

const off: PaymentSettings = { gateway: '', secretKeySet: false, webhookSecretSet: false, testMode: false, webhookPath: '/api/payments/stripe/webhook' };
const on: PaymentSettings = { ...off, gateway: 'stripe', secretKeySet: true, testMode: true };

const puts = (calls: Request[]) => calls.filter((c) => c.method === 'PUT');

describe('payment settings checks', () => {
  it('takes secret and restricted keys, never the publishable one', () => {
    expect(checkSecretKey('sk_test_abc', false)).toBeNull();
    expect(checkSecretKey('rk_live_abc', false)).toBeNull();
    expect(checkSecretKey('pk_test_abc', false)).toMatch(/publishable/);
    expect(checkSecretKey('sk_test_ab c', false)).toMatch(/without spaces/);
    expect(checkSecretKey('', false)).toMatch(/Paste the secret key/);
    expect(checkSecretKey('', true)).toBeNull();
  });

  it('takes an empty or whsec_ signing secret', () => {
    expect(checkWebhookSecret('')).toBeNull();
    expect(checkWebhookSecret('whsec_abc')).toBeNull();
    expect(checkWebhookSecret('abc')).toMatch(/whsec_/);
  });
});

describe('PaymentSettingsForm', () => {
  it('asks for the key before connecting, then sends it once', async () => {
    const { calls } = mockFetch(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<PaymentSettingsForm settings={off} />);
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));
    expect(errorOf(screen.getByLabelText('Secret key'))).toMatch(/Paste the secret key/);
    expect(puts(calls)).toHaveLength(0);
    await user.type(screen.getByLabelText('Secret key'), 'sk_test_123');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toEqual({ enabled: true, secretKey: 'sk_test_123' });
  });

  it('shows the field the server refused', async () => {
    mockFetch(() => ({ status: 422, body: { error: { code: 'invalid', message: 'That is not a Stripe secret key.', field: 'secretKey' } } }));
    const user = userEvent.setup();
    renderWithProviders(<PaymentSettingsForm settings={off} />);
    await user.type(screen.getByLabelText('Secret key'), 'sk_test_123');
    await user.click(screen.getByRole('button', { name: 'Connect Stripe' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText('Secret key'))).toMatch(/not a Stripe secret key/));
  });

  it('disconnects only after confirming', async () => {
    const { calls } = mockFetch(() => ({ body: off }));
    const user = userEvent.setup();
    renderWithProviders(<PaymentSettingsForm settings={on} />);
    expect(screen.getByText(/Test mode/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Disconnect Stripe' }));
    expect(puts(calls)).toHaveLength(0);
    await user.click(screen.getByRole('button', { name: 'Disconnect' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toEqual({ enabled: false });
  });
});

describe('PaymentSettingsForm in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('explains Stripe in Portuguese, with the webhook address and events as code', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch(() => ({ body: on }));
    renderWithProviders(<PaymentSettingsForm settings={off} />);
    expect(screen.getByRole('button', { name: 'Conectar o Stripe' })).toBeTruthy();
    const help = screen.getByText(/adicione um endpoint de webhook/);
    expect([...help.querySelectorAll('code')].map((c) => c.textContent)).toEqual([
      'checkout.session.completed',
      'checkout.session.async_payment_succeeded',
      `${location.origin}/api/payments/stripe/webhook`,
    ]);
    expect(screen.getByText('Pagar agora').tagName).toBe('B');
  });
});
