import { notifications } from '@mantine/notifications';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setToken, type Me } from '../api/client';
import { OUTBOX_REFRESH_MS, type Mail } from '../api/email';
import { makeMe } from '../test/fixtures';
import { mockFetch, renderWithProviders } from '../test/render';
import { EMPTY_LOG, EmailLogPage } from './EmailLogPage';

type Answer = { status?: number; body?: unknown };

const me: Me = {
  ...makeMe({ permissions: [{ key: 'settings.email', scope: '' }], nav: [] }),
  nav: [
    { key: 'overview', label: 'Overview' },
    { key: 'settings', label: 'Settings' },
    { key: 'emailLog', label: 'Email log' },
  ],
  emailConfigured: true,
};

const mail = (id: string, state: Mail['state'], more: Partial<Mail> = {}): Mail => ({
  id,
  kind: 'welcome',
  to: `${id}@example.test`,
  subject: `Subject ${id}`,
  state,
  attempts: 0,
  lastError: '',
  createdAt: '2026-11-30T10:00:00Z',
  nextAttemptAt: null,
  sentAt: null,
  ...more,
});

const page = (items: Mail[], next: string | null = null, total = items.length) => ({ body: { items, next, total } });

function serve(outbox: (url: URL) => Answer, retry: (id: string) => Answer = (id) => ({ body: mail(id, 'queued') })) {
  return mockFetch((req) => {
    const url = new URL(req.url);
    const m = url.pathname.match(/^\/api\/email\/outbox\/([^/]+)\/retry$/);
    if (m && req.method === 'POST') return retry(m[1]);
    if (url.pathname === '/api/email/outbox') return outbox(url);
    return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
  });
}

const lists = (calls: Request[]) => calls.filter((c) => new URL(c.url).pathname === '/api/email/outbox').map((c) => new URL(c.url));
const rows = () => screen.getAllByTestId('mail-row');

describe('EmailLogPage', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
    vi.useRealTimers();
  });

  it('lists mails with their state, attempts, the server’s answer and the next attempt', async () => {
    setToken('tok');
    serve(() =>
      page([
        mail('m1', 'failed', { kind: 'reset', attempts: 10, lastError: '550 5.1.1 User unknown' }),
        mail('m2', 'queued', { attempts: 2, lastError: '421 Try again later', nextAttemptAt: '2026-11-30T10:05:00Z' }),
        mail('m3', 'sent', { kind: 'taskAssigned', attempts: 1, sentAt: '2026-11-30T10:01:00Z' }),
        mail('m4', 'cancelled'),
      ]),
    );
    renderWithProviders(<EmailLogPage me={me} />);
    await waitFor(() => expect(rows()).toHaveLength(4));
    const [failed, queued, sent, cancelled] = rows();
    expect(within(failed).getByText('Failed')).toBeTruthy();
    expect(within(failed).getByText('Password reset')).toBeTruthy();
    expect(within(failed).getByText('550 5.1.1 User unknown')).toBeTruthy();
    expect(within(failed).getByText('10')).toBeTruthy();
    expect(within(queued).getByText('Queued')).toBeTruthy();
    expect(within(queued).getByText('421 Try again later')).toBeTruthy();
    expect(within(queued).getByText(/^Next attempt/)).toBeTruthy();
    expect(within(sent).getByText('Sent')).toBeTruthy();
    expect(within(sent).getByText('Task assigned')).toBeTruthy();
    expect(within(cancelled).getByText('Cancelled')).toBeTruthy();
    // "Retry now" on queued and failed mails only.
    expect(rows().map((r) => !!within(r).queryByRole('button', { name: /Retry now/ }))).toEqual([true, true, false, false]);
    expect(screen.getByText('4 mails')).toBeTruthy();
  });

  it('retries a mail now and asks for the log again', async () => {
    setToken('tok');
    let retried = false;
    const { calls } = serve(
      () => page([mail('m1', retried ? 'queued' : 'failed', { lastError: '550 no' })]),
      (id) => {
        retried = true;
        return { body: mail(id, 'queued') };
      },
    );
    const user = userEvent.setup();
    renderWithProviders(<EmailLogPage me={me} />);
    await user.click(await screen.findByRole('button', { name: /Retry now/ }));
    await waitFor(() => expect(within(rows()[0]).getByText('Queued')).toBeTruthy());
    expect(calls.filter((c) => c.method === 'POST').map((c) => new URL(c.url).pathname)).toEqual(['/api/email/outbox/m1/retry']);
    expect(await screen.findByText('The mail to m1@example.test is being sent again.')).toBeTruthy();
  });

  it('shows why a retry was refused', async () => {
    setToken('tok');
    serve(
      () => page([mail('m1', 'failed')]),
      () => ({ status: 409, body: { error: { code: 'conflict', message: 'This mail was already sent.' } } }),
    );
    const user = userEvent.setup();
    renderWithProviders(<EmailLogPage me={me} />);
    await user.click(await screen.findByRole('button', { name: /Retry now/ }));
    expect((await screen.findByRole('alert')).textContent).toContain('This mail was already sent.');
  });

  it('filters by state and pages on with the cursor', async () => {
    setToken('tok');
    const { calls } = serve((url) => {
      const state = url.searchParams.get('state');
      if (state === 'failed') return page([mail('f1', 'failed')]);
      return url.searchParams.get('cursor') === 'c2' ? page([mail('m2', 'sent')], null, 2) : page([mail('m1', 'sent')], 'c2', 2);
    });
    const user = userEvent.setup();
    renderWithProviders(<EmailLogPage me={me} />);
    await waitFor(() => expect(rows()).toHaveLength(1));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(lists(calls)[1].searchParams.get('cursor')).toBe('c2');

    await user.click(screen.getByLabelText('State', { selector: 'input' }));
    await user.click(await screen.findByRole('option', { name: 'Failed' }));
    await waitFor(() => expect(within(rows()[0]).getByText('f1@example.test')).toBeTruthy());
    expect(rows()).toHaveLength(1);
    expect(lists(calls).at(-1)!.searchParams.get('state')).toBe('failed');
  });

  it('says what to do next when there is no mail, and when a filter matches none', async () => {
    setToken('tok');
    serve(() => page([]));
    const user = userEvent.setup();
    renderWithProviders(<EmailLogPage me={{ ...me, emailConfigured: false }} />);
    expect(await screen.findByText('No mail yet')).toBeTruthy();
    expect(screen.getByText(EMPTY_LOG)).toBeTruthy();
    // Email is not set up: the way to Settings → Email.
    expect(screen.getByRole('link', { name: /Set up SMTP in Settings → Email/ }).getAttribute('href')).toBe('/settings/email');
    await user.click(screen.getByLabelText('State', { selector: 'input' }));
    await user.click(await screen.findByRole('option', { name: 'Queued' }));
    expect(await screen.findByText('No mail matches')).toBeTruthy();
  });

  it('asks again every few seconds while a mail is queued, and stops once none is', async () => {
    setToken('tok');
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let asked = 0;
    serve(() => {
      asked++;
      return page([mail('m1', asked < 2 ? 'queued' : 'sent')]);
    });
    renderWithProviders(<EmailLogPage me={me} />);
    await waitFor(() => expect(within(rows()[0]).getByText('Queued')).toBeTruthy());
    await act(() => vi.advanceTimersByTimeAsync(OUTBOX_REFRESH_MS));
    await waitFor(() => expect(within(rows()[0]).getByText('Sent')).toBeTruthy());
    await act(() => vi.advanceTimersByTimeAsync(OUTBOX_REFRESH_MS * 3));
    expect(asked).toBe(2);
  });
});
