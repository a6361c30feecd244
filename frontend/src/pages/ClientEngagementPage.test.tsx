import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { makeMe } from '../test/fixtures';
import { mockFetch, renderWithProviders } from '../test/render';
import { ClientEngagementPage } from './ClientEngagementPage';

const weeks = ['2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16', '2026-11-23', '2026-11-30', '2026-12-07'];
const carl = {
  userId: 'c1',
  name: 'Carl Client',
  active: true,
  companyId: 'co1',
  company: 'Customer Ltd',
  lastSignIn: { at: '2026-12-07T12:00:00Z', address: '203.0.113.9' },
  signIns: 4,
  weeks: [0, 0, 0, 0, 2, 1, 0, 1],
  weeklyAverage: 0.5,
  downloads: 2,
  lastDownload: { at: '2026-12-07T12:00:00Z', name: 'brief.pdf' },
  invoiceViews: 1,
  lastInvoiceView: { at: '2026-12-07T12:00:00Z', name: '2026-0001' },
};
const dora = {
  ...carl,
  userId: 'c2',
  name: 'Dora Client',
  active: false,
  company: '',
  companyId: '',
  lastSignIn: null,
  signIns: 0,
  weeks: [0, 0, 0, 0, 0, 0, 0, 0],
  weeklyAverage: 0,
  downloads: 0,
  lastDownload: null,
  invoiceViews: 0,
  lastInvoiceView: null,
};
const report = (items: unknown[]) => ({ today: '2026-12-10', from: '2026-11-11', days: 30, weeks, items });
const me = (nav: ('users' | 'clientActivity')[] = ['clientActivity']) =>
  makeMe({ permissions: [{ key: 'activity.clients', scope: '' }], nav });

const signIn = (id: string, at: string, outcome: string, extra: Record<string, string> = {}) => ({
  id,
  at,
  outcome,
  address: '203.0.113.9',
  method: '',
  secondFactor: '',
  step: '',
  reason: '',
  ...extra,
});

describe('ClientEngagementPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('shows each client’s sign-ins, downloads and invoice views, sorted and filtered by the server', async () => {
    const { calls } = mockFetch((req) => {
      const u = new URL(req.url);
      if (u.pathname.endsWith('.csv')) return { text: 'client,company\n', headers: { 'Content-Type': 'text/csv' } };
      return { body: report(u.searchParams.get('sort') === 'name' ? [carl, dora] : [dora, carl]) };
    });
    renderWithProviders(<ClientEngagementPage me={me()} />);
    const table = await screen.findByRole('table', { name: 'Client activity' });
    expect(within(table).getByLabelText('Sign-ins of Carl Client').textContent).toBe('4');
    expect(within(table).getByLabelText('Files downloaded by Carl Client').textContent).toBe('2');
    expect(within(table).getByLabelText('Invoices viewed by Carl Client').textContent).toBe('1');
    expect(within(table).getByText(/Last: brief\.pdf/)).toBeTruthy();
    expect(within(table).getByText('203.0.113.9')).toBeTruthy();
    expect(within(table).getByText('Customer Ltd')).toBeTruthy();
    expect(within(table).getByText('Deactivated')).toBeTruthy();
    expect(within(table).getByText('Never signed in')).toBeTruthy();
    expect(within(table).getByText('0.5 a week')).toBeTruthy();
    expect(within(table).getByRole('img', { name: /Carl Client's sign-ins per week: .*week of Nov 16, 2026: 2 sign-ins/ })).toBeTruthy();
    // The first request for the list (the download button's hook also reads the server's status).
    expect(new URL(calls.find((c) => new URL(c.url).pathname === '/api/activity/clients')!.url).search).toBe('?days=30&sort=lastSignIn&order=desc');

    // Sorting by name asks the server, A to Z first; again, Z to A.
    await userEvent.click(screen.getByRole('button', { name: 'Sort by Client' }));
    await waitFor(() => expect(new URL(calls.at(-1)!.url).search).toBe('?days=30&sort=name&order=asc'));
    await waitFor(() => expect(within(table).getAllByRole('row')[1].textContent).toContain('Carl Client'));
    await userEvent.click(screen.getByRole('button', { name: 'Sort by Client' }));
    await waitFor(() => expect(new URL(calls.at(-1)!.url).search).toBe('?days=30&sort=name&order=desc'));

    // The period.
    await userEvent.click(screen.getAllByLabelText('Period').find((el) => el.tagName === 'INPUT')!);
    await userEvent.click(await screen.findByRole('option', { name: 'Last 90 days' }));
    await waitFor(() => expect(new URL(calls.at(-1)!.url).search).toBe('?days=90&sort=name&order=desc'));

    // The CSV asks for the same rows.
    await userEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(calls.some((c) => new URL(c.url).pathname === '/api/activity/clients.csv' && new URL(c.url).search === '?days=90&sort=name&order=desc')).toBe(true));
  });

  it('opens a client’s login history, a page at a time', async () => {
    const { calls } = mockFetch((req) => {
      const u = new URL(req.url);
      if (u.pathname === '/api/activity/clients/c1/sign-ins') {
        if (!u.searchParams.get('cursor'))
          return {
            body: {
              items: [
                signIn('9', '2026-12-07T12:00:00Z', 'signedIn', { method: 'password', secondFactor: 'totp' }),
                signIn('8', '2026-11-23T04:00:00Z', 'failed', { step: 'password' }),
              ],
              next: '8',
            },
          };
        return { body: { items: [signIn('3', '2026-11-22T09:00:00Z', 'refused', { reason: 'deactivated' })], next: null } };
      }
      return { body: report([carl]) };
    });
    renderWithProviders(<ClientEngagementPage me={me()} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Login history of Carl Client' }));
    const history = await screen.findByRole('table', { name: 'Login history of Carl Client' });
    expect(within(history).getByText('Signed in · with a password · with an authenticator code')).toBeTruthy();
    expect(within(history).getByText('Wrong password')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(await within(history).findByText('Refused: the account is deactivated')).toBeTruthy();
    expect(calls.some((c) => new URL(c.url).search === '?limit=25&cursor=8')).toBe(true);
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('says what to do with no client account, in Portuguese too', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch(() => ({ body: report([]) }));
    renderWithProviders(<ClientEngagementPage me={me(['users', 'clientActivity'])} />);
    expect(await screen.findByText('Nenhuma conta de cliente ainda')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Ir para Usuários' }).getAttribute('href')).toBe('/users');
    expect(screen.getByRole('button', { name: 'Baixar CSV' })).toHaveProperty('disabled', true);
  });

  it('says when no client has signed in yet', async () => {
    mockFetch(() => ({ body: report([dora]) }));
    renderWithProviders(<ClientEngagementPage me={me()} />);
    expect(await screen.findByRole('status')).toHaveProperty('textContent', expect.stringContaining('No client has signed in yet'));
    expect(screen.queryByRole('link', { name: 'Go to Users' })).toBeNull();
  });

  it('shows the server’s refusal', async () => {
    mockFetch(() => ({ status: 403, body: { error: { code: 'forbidden', message: 'Your role does not allow this (activity.clients: View client activity).' } } }));
    renderWithProviders(<ClientEngagementPage me={me()} />);
    expect(await screen.findByText(/activity\.clients/)).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
  });
});
