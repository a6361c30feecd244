// Invoices, companies and a server for the invoicing pages' tests.
import type { Me } from '../api/client';
import type { Company } from '../api/companies';
import type { Invoice, InvoicingSettings } from '../api/invoices';
import { makeMe } from './fixtures';
import { mockFetch } from './render';

export const ACME: Company = {
  id: 'c-acme',
  name: 'Acme Corp',
  email: 'accounts@acme.example',
  phone: '',
  address: '',
  createdAt: '2026-01-01T00:00:00Z',
  people: [],
  projects: [],
  actions: [],
};
export const GLOBEX: Company = { ...ACME, id: 'c-globex', name: 'Globex' };

export function invoice(over: Partial<Invoice> = {}): Invoice {
  return {
    id: 'inv-1',
    number: '',
    companyId: ACME.id,
    currency: 'EUR',
    status: 'draft',
    issueDate: '',
    dueDate: '',
    notes: '',
    subtotal: 0,
    tax: 0,
    total: 0,
    paid: 0,
    balance: 0,
    createdAt: '2026-11-01T10:00:00Z',
    actions: [],
    ...over,
  };
}

/** A sent invoice of Acme's: 2026-0007, €1,200.00 (€1,000.00 + 20 % tax), nothing paid. */
export function sentInvoice(over: Partial<Invoice> = {}): Invoice {
  return invoice({
    id: 'inv-7',
    number: '2026-0007',
    status: 'sent',
    issueDate: '2026-11-02',
    dueDate: '2026-12-02',
    subtotal: 100_000,
    tax: 20_000,
    total: 120_000,
    balance: 120_000,
    lines: [{ description: 'Design work', quantityMilli: 10_000, unitPrice: 10_000, taxRateBP: 2000 }],
    ...over,
  });
}

export const SETTINGS: InvoicingSettings = {
  issuerName: 'Studio North',
  issuerEmail: 'billing@north.example',
  issuerPhone: '',
  issuerAddress: '1 Harbour Road',
  paymentInstructions: '',
  gateway: '',
  canEdit: true,
};


/** A team member (a bookkeeper) holding `keys` at scope all, with Invoicing in the menu. */
export function teamMe(keys: string[]): Me {
  return makeMe({
    user: { name: 'Bea Books' },
    role: { id: 'r-books', name: 'Bookkeeper', kind: 'internal' },
    permissions: keys.map((key) => ({ key, scope: 'all' })),
    nav: ['invoicing'],
  });
}

/** A client of Acme's, with invoices.view and invoices.pay at scope own. */
export function clientMe(): Me {
  return makeMe({
    user: { id: 'u-carl', name: 'Carl Client', companyId: ACME.id, companyName: ACME.name },
    role: { id: 'client', name: 'Client', kind: 'client' },
    permissions: [
      { key: 'invoices.view', scope: 'own' },
      { key: 'invoices.pay', scope: 'own' },
    ],
    nav: ['invoicing'],
  });
}

export type Answer = { status?: number; body?: unknown; text?: string; headers?: Record<string, string> };

/**
 * The server for the invoicing pages: the invoices `invoices` (GET one by id too), the
 * companies, the settings and an empty list for anything else; `answer` decides first.
 */
export function serveInvoicing({
  invoices = [],
  companies = [ACME, GLOBEX],
  settings = SETTINGS,
  window = false,
  answer,
}: {
  invoices?: Invoice[];
  companies?: Company[];
  settings?: InvoicingSettings;
  window?: boolean;
  answer?: (req: Request, path: string) => Answer | undefined | Promise<Answer | undefined>;
} = {}) {
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    const own = await answer?.(req, path);
    if (own) return own;
    if (req.method === 'GET') {
      if (path === '/api/status') return { body: { setupRequired: false, window, googleSignIn: false } };
      if (path === '/api/invoices') return { body: { items: invoices, next: null } };
      if (path === '/api/companies') return { body: { items: companies, next: null } };
      if (path === '/api/invoicing/settings') return { body: settings };
      const one = /^\/api\/invoices\/([^/]+)$/.exec(path);
      if (one) {
        const inv = invoices.find((i) => i.id === one[1]);
        return inv ? { body: inv } : { status: 404, body: { error: { code: 'not_found', message: 'No such invoice.' } } };
      }
      if (/^\/api\/invoices\/[^/]+\/payments$/.test(path)) return { body: { items: [], next: null } };
    }
    return { body: { items: [], next: null } };
  });
}

export const pathOf = (r: Request) => new URL(r.url).pathname;
/** The changes asked for, as "METHOD path". */
export const changes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${pathOf(c)}`);
