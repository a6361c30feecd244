// Settings → Payments: the payment gateway (Stripe), for holders of settings.integrations.
// Its secrets go to the system keychain; the answers only say whether each is set.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call } from './client';
import type { Schemas } from './client';
import { keys } from './hooks';
import { refresh } from './refresh';

export type PaymentSettings = Schemas['PaymentSettings'];
export type PaymentSettingsRequest = { enabled?: boolean; secretKey?: string; webhookSecret?: string };

export const paymentKeys = { settings: ['settings', 'payments'] as const };

export function usePaymentSettings() {
  return useQuery({ queryKey: paymentKeys.settings, queryFn: () => call(api.GET('/api/settings/payments')) });
}

export function useUpdatePaymentSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: PaymentSettingsRequest) => call(api.PUT('/api/settings/payments', { body })),
    onSuccess: (saved) => {
      qc.setQueryData(paymentKeys.settings, saved);
      // The portal's "Pay now" follows the gateway.
      void refresh(qc, ['invoicing']);
      void refresh(qc, keys.audit);
    },
  });
}
