// Hooks for invoices to client companies, the payments on them, revenue and the invoice
// details (who issues them, how to pay). Amounts are integers in minor units of the
// invoice's currency (lib/money.ts). What may be done to an invoice is its `actions`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, call, type Schemas } from './client';
import { keys } from './hooks';
import type { paths } from './schema';

export type Invoice = Schemas['Invoice'];
export type InvoiceLine = Schemas['InvoiceLine'];
export type InvoiceRequest = Schemas['InvoiceRequest'];
export type InvoiceStatus = Invoice['status'];
export type Payment = Schemas['Payment'];
export type PaymentMethod = 'bank_transfer' | 'cash' | 'card' | 'other';
export type PaymentRequest = { amount: number; method: PaymentMethod; receivedOn?: string; reference?: string };
export type Revenue = paths['/api/revenue']['get']['responses'][200]['content']['application/json'];

/** A sent invoice, with the names of the people it was mailed to (none without email). */
export type SentInvoice = Invoice & { mailedTo: string[] };

/** Who issues the invoices and how a client pays without a gateway; `canEdit` is invoices.edit. */
export type InvoicingSettings = {
  issuerName: string;
  issuerEmail: string;
  issuerPhone: string;
  issuerAddress: string;
  paymentInstructions: string;
  gateway: 'stripe' | '';
  canEdit: boolean;
};
export type InvoicingSettingsRequest = Omit<InvoicingSettings, 'gateway' | 'canEdit'>;
export type Checkout = { url: string; sessionId: string };

// These paths are in the server but not yet in the contract's types (schema.d.ts): they go
// through the same client (session, view-as, errors) with their shapes written here.
type Answer = Promise<{ data?: unknown; error?: unknown; response: Response }>;
const untyped = api as unknown as {
  GET: (path: string, init?: object) => Answer;
  POST: (path: string, init?: object) => Answer;
  PUT: (path: string, init?: object) => Answer;
};

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
    void qc.invalidateQueries({ queryKey: invoiceKeys.all });
    void qc.invalidateQueries({ queryKey: keys.audit });
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
    mutationFn: async (id: string) => {
      const sent = (await call(api.POST('/api/invoices/{id}/send', { params: { path: { id } } }))) as SentInvoice;
      // An older server answers without mailedTo: nobody is named then.
      return { ...sent, mailedTo: sent.mailedTo ?? [] };
    },
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
  return call(untyped.GET(`/api/invoices/${encodeURIComponent(id)}/pdf`, { parseAs: 'blob' })) as Promise<Blob>;
}

export function useInvoicingSettings(enabled = true) {
  return useQuery({
    queryKey: invoiceKeys.settings,
    queryFn: () => call(untyped.GET('/api/invoicing/settings')) as Promise<InvoicingSettings>,
    enabled,
  });
}

export function useUpdateInvoicingSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: InvoicingSettingsRequest) => call(untyped.PUT('/api/invoicing/settings', { body })) as Promise<InvoicingSettings>,
    onSuccess: (s) => {
      qc.setQueryData(invoiceKeys.settings, s);
      void qc.invalidateQueries({ queryKey: keys.audit });
    },
  });
}

/** A client starting to pay an invoice at the gateway: where to go next. */
export function useStartCheckout() {
  return useMutation({
    mutationFn: (id: string) => call(untyped.POST(`/api/invoices/${encodeURIComponent(id)}/checkout`)) as Promise<Checkout>,
  });
}

/** Back from the gateway: the server asks it whether the session was paid, and counts the payment once. */
export function useConfirmCheckout() {
  const store = useStoreInvoice();
  return useMutation({
    mutationFn: (sessionId: string) =>
      call(untyped.POST(`/api/checkout/${encodeURIComponent(sessionId)}/confirm`)) as Promise<Invoice>,
    onSuccess: store,
  });
}
