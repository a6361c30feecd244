// Hooks for invoices to client companies, the payments on them, revenue and the invoice
// details (who issues them, how to pay). Amounts are integers in minor units of the
// invoice's currency (lib/money.ts). What may be done to an invoice is its `actions`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import type { paths } from './schema';
import { refresh } from './refresh';

export type Invoice = Schemas['Invoice'];
export type InvoiceLine = Schemas['InvoiceLine'];
export type InvoiceRequest = Schemas['InvoiceRequest'];
export type InvoiceStatus = Invoice['status'];
export type Payment = Schemas['Payment'];
/** How money received by hand is recorded (a gateway's payments are 'stripe'). */
export type PaymentMethod = Exclude<Payment['method'], 'stripe'>;
export type PaymentRequest = { amount: number; method: PaymentMethod; receivedOn?: string; reference?: string };
export type Revenue = paths['/api/revenue']['get']['responses'][200]['content']['application/json'];

/** A sent invoice, with the names of the people it was mailed to (none without email). */
export type SentInvoice = paths['/api/invoices/{id}/send']['post']['responses'][200]['content']['application/json'];

/** Who issues the invoices and how a client pays without a gateway; `canEdit` is invoices.edit. */
export type InvoicingSettings = Schemas['InvoicingSettings'];
export type InvoicingSettingsRequest = Omit<InvoicingSettings, 'gateway' | 'canEdit'>;

export const invoiceKeys = {
  all: ['invoices'] as const,
  list: ['invoices', 'list'] as const,
  one: (id: string) => ['invoices', 'one', id] as const,
  payments: (id: string) => ['invoices', 'payments', id] as const,
  revenue: (from: string, to: string) => ['invoices', 'revenue', from, to] as const,
  settings: ['invoices', 'settings'] as const,
};

/** The invoices the asker sees, newest first (the team: all; a client: their company's sent ones). */
export function useInvoices(enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.list,
    queryFn: async () => (await call(api.GET('/api/invoices'))).items,
    enabled,
  });
}

/** One invoice with its lines. */
export function useInvoice(id: string, enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.one(id),
    queryFn: () => call(api.GET('/api/invoices/{id}', { params: { path: { id } } })),
    enabled: enabled && !!id,
  });
}

/** After a change: every invoice figure (lists, the one open, payments, revenue) and the activity log. */
function useInvalidateInvoices() {
  const qc = useQueryClient();
  return () => {
    // Refreshed, not only invalidated: a list still on its first fetch (the page just opened,
    // as when a client comes back from the gateway) would keep that fetch's answer.
    void refresh(qc, invoiceKeys.all);
    void refresh(qc, keys.audit);
  };
}

/** Puts the answer in the cache at once, so the page shows what the server now holds. */
function useStoreInvoice() {
  const qc = useQueryClient();
  const invalidate = useInvalidateInvoices();
  return (inv: Invoice) => {
    qc.setQueryData(invoiceKeys.one(inv.id), inv);
    invalidate();
  };
}

export function useCreateInvoice() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: (body: InvoiceRequest) => call(api.POST('/api/invoices', { body })),
    onSuccess: store,
  });
}

export function useUpdateInvoice() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: InvoiceRequest }) =>
      call(api.PATCH('/api/invoices/{id}', { params: { path: { id } }, body })),
    onSuccess: store,
  });
}

export function useDeleteInvoice() {
  const qc = useQueryClient();
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: (id: string) => call(api.DELETE('/api/invoices/{id}', { params: { path: { id } } })),
    onSuccess: (_, id) => {
      qc.removeQueries({ queryKey: invoiceKeys.one(id) });
      invalidate();
    },
  });
}

/** Sending a draft: it takes the next number and is mailed to the company's people. */
export function useSendInvoice() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: (id: string): Promise<SentInvoice> => call(api.POST('/api/invoices/{id}/send', { params: { path: { id } } })),
    onSuccess: store,
  });
}

export function useVoidInvoice() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/invoices/{id}/void', { params: { path: { id } } })),
    onSuccess: store,
  });
}

/** Payments received on an invoice (payments.view). */
export function usePayments(id: string, enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.payments(id),
    queryFn: async () => (await call(api.GET('/api/invoices/{id}/payments', { params: { path: { id } } }))).items,
    enabled,
  });
}

export function useRecordPayment(id: string) {
  const invalidate = useInvalidateInvoices();
  return useMutation({
    mutationFn: (body: PaymentRequest) => call(api.POST('/api/invoices/{id}/payments', { params: { path: { id } }, body })),
    onSuccess: invalidate,
  });
}

/** Invoiced and paid by month and by client company over from..to (YYYY-MM; both empty: the last twelve months). */
export function useRevenue(from = '', to = '', enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.revenue(from, to),
    queryFn: () => call(api.GET('/api/revenue', { params: { query: from || to ? { from, to } : {} } })),
    enabled,
  });
}

/** The revenue of from..to as CSV text, as the server writes it. */
export function fetchRevenueCsv(from: string, to: string): Promise<string> {
  return call(api.GET('/api/revenue.csv', { params: { query: { from, to } }, parseAs: 'text' })) as Promise<string>;
}

/** An invoice printed as a PDF, fetched with the session (a plain link would carry no token). */
export function fetchInvoicePdf(id: string): Promise<Blob> {
  return call(api.GET('/api/invoices/{id}/pdf', { params: { path: { id } }, parseAs: 'blob' })) as Promise<Blob>;
}

export function useInvoicingSettings(enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.settings,
    queryFn: () => call(api.GET('/api/invoicing/settings')),
    enabled,
  });
}

export function useUpdateInvoicingSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InvoicingSettingsRequest) => call(api.PUT('/api/invoicing/settings', { body })),
    onSuccess: (s) => {
      qc.setQueryData(invoiceKeys.settings, s);
      void refresh(qc, keys.audit);
    },
  });
}

/** A client starting to pay an invoice at the gateway: where to go next. */
export function useStartCheckout() {
  return useMutation({
    mutationFn: (id: string) => call(api.POST('/api/invoices/{id}/checkout', { params: { path: { id } } })),
  });
}

/** Back from the gateway: the server asks it whether the session was paid, and counts the payment once. */
export function useConfirmCheckout() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: (session: string) => call(api.POST('/api/checkout/{session}/confirm', { params: { path: { session } } })),
    onSuccess: store,
  });
}
