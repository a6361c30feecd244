import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../App';
import { getToken, setToken } from '../../api/client';
import type { PasswordLink } from '../../api/email';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { RESET_SENT } from './ForgotPasswordPage';

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };

const status = { setupRequired: false, version: 't' };
const welcome: PasswordLink = { purpose: 'welcome', email: 'nina@example.test', name: 'Nina New', expiresAt: '2030-01-02T10:00:00Z' };
const me = makeMe({ user: { name: 'Nina New', email: 'nina@example.test' }, permissions: [], nav: ['overview'] });
const gone = { status: 404, body: { error: { code: 'link_invalid', message: 'This link has expired or was already used.' } } };

/** The signed-out server: status, the given answers by path, and a signed-in /api/me. */
function serve(answers: Record<string, (req: Request) => Answer | Promise<Answer>>) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (answers[path]) return answers[path](req);
    if (path === '/api/status') return { body: status };
    if (path === '/api/me') return { body: me };
    return { body: { areas: [], items: [] } };
  });
}

const sent = (calls: Request[], path: string) => calls.filter((c) => c.method === 'POST' && new URL(c.url).pathname === path);
const input = (label: string) => screen.getByLabelText(label, { selector: 'input' });

describe('Forgot password', () => {
  afterEach(() => setToken(null));

  it('is a link on the sign-in form that takes the address typed so far', async () => {
    const { calls } = serve({ '/api/auth/forgot-password': () => ({ status: 202, body: { message: 'queued' } }) });
    const user = userEvent.setup();
    renderWithProviders(<App />);
    await user.type(await screen.findByLabelText('Email'), 'ada@example.test');
    await user.click(screen.getByRole('link', { name: 'Forgot password?' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
    expect((input('Email') as HTMLInputElement).value).toBe('ada@example.test');
    await user.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect((await screen.findByRole('status')).textContent).toBe(RESET_SENT);
    expect(await sent(calls, '/api/auth/forgot-password')[0].json()).toEqual({ email: 'ada@example.test' });
    // From there: back to sign-in, or on to the code from the mail.
    expect(screen.getByRole('link', { name: 'I have a code from an email' })).toBeTruthy();
    await user.click(screen.getByRole('link', { name: 'Back to sign-in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
  });

  it('checks the address first, and shows the server’s 422 on the field', async () => {
    const { calls } = serve({
      '/api/auth/forgot-password': () => ({
        status: 422,
        body: { error: { code: 'invalid', field: 'email', message: 'An email address is at most 254 characters.' } },
      }),
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/forgot-password' });
    await user.click(await screen.findByRole('button', { name: 'Send reset link' }));
    expect(errorOf(input('Email'))).toBe('Enter an email address');
    await user.type(input('Email'), 'nope');
    await user.keyboard('{Enter}');
    expect(errorOf(input('Email'))).toMatch(/valid email address/);
    expect(sent(calls, '/api/auth/forgot-password')).toHaveLength(0);
    await user.clear(input('Email'));
    await user.type(input('Email'), 'ada@example.test{Enter}');
    await waitFor(() => expect(errorOf(input('Email'))).toBe('An email address is at most 254 characters.'));
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('counts down after 429 and sends nothing until then', async () => {
    const { calls } = serve({
      '/api/auth/forgot-password': () => ({
        status: 429,
        headers: { 'Retry-After': '3' },
        body: { error: { code: 'throttled', message: 'Too many requests.' } },
      }),
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/forgot-password' });
    await user.type(await screen.findByLabelText('Email'), 'ada@example.test{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Too many attempts. Try again in 3 seconds.');
    const button = screen.getByRole('button', { name: /Send reset link/ });
    expect(button.hasAttribute('disabled') || button.getAttribute('data-disabled') === 'true').toBe(true);
    await user.keyboard('{Enter}');
    expect(sent(calls, '/api/auth/forgot-password')).toHaveLength(1);
    await act(() => new Promise((r) => setTimeout(r, 1300)));
    expect(screen.getByRole('alert').textContent).toMatch(/Try again in [12] seconds?\./);
  });
});

describe('Set-password links', () => {
  afterEach(() => setToken(null));

  it('checks the link, sets the password, signs in the way the sign-in form does, and lands in the app', async () => {
    const { calls } = serve({
      '/api/auth/password-link': () => ({ body: welcome }),
      '/api/auth/set-password': () => ({ body: { email: 'nina@example.test' } }),
      '/api/sessions': () => ({ status: 201, body: { token: 'tok-nina', user: me.user } }),
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/set-password?token=k7x2q' });
    expect(await screen.findByRole('heading', { name: 'Welcome, Nina New' })).toBeTruthy();
    expect(screen.getByText('nina@example.test')).toBeTruthy();
    expect(await sent(calls, '/api/auth/password-link')[0].json()).toEqual({ token: 'k7x2q' });

    // The client's checks first: at least 12 characters, and the same twice.
    await user.type(input('New password'), 'short');
    await user.type(input('Confirm new password'), 'other');
    await user.click(screen.getByRole('button', { name: 'Set password and sign in' }));
    expect(errorOf(input('New password'))).toBe('Use at least 12 characters');
    expect(errorOf(input('Confirm new password'))).toBe('Passwords do not match');
    expect(sent(calls, '/api/auth/set-password')).toHaveLength(0);

    await user.clear(input('New password'));
    await user.clear(input('Confirm new password'));
    await user.type(input('New password'), 'a long new password');
    await user.type(input('Confirm new password'), 'a long new password{Enter}');
    expect(await screen.findByRole('heading', { name: 'Welcome, Nina New', level: 1 })).toBeTruthy();
    expect(getToken()).toBe('tok-nina');
    expect(await sent(calls, '/api/auth/set-password')[0].json()).toEqual({ token: 'k7x2q', password: 'a long new password' });
    expect(await sent(calls, '/api/sessions')[0].json()).toEqual({ email: 'nina@example.test', password: 'a long new password' });
    expect(screen.getByRole('navigation')).toBeTruthy();
    // The link was checked once.
    expect(sent(calls, '/api/auth/password-link')).toHaveLength(1);
  });

  it('says when the link has expired or was used, and offers a new one', async () => {
    serve({ '/api/auth/password-link': () => gone, '/api/auth/forgot-password': () => ({ status: 202, body: { message: 'ok' } }) });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/set-password?token=old' });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('This link has expired or was already used. Ask for a new one.');
    await user.click(screen.getByRole('link', { name: 'Send me a new link' }));
    expect(await screen.findByRole('heading', { name: 'Forgot your password?' })).toBeTruthy();
  });

  it("shows the server's password rule on the field", async () => {
    serve({
      '/api/auth/password-link': () => ({ body: { ...welcome, purpose: 'reset' } }),
      '/api/auth/set-password': () => ({
        status: 422,
        body: { error: { code: 'invalid', field: 'password', message: 'The password must not contain your name.' } },
      }),
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/set-password?token=k7x2q' });
    expect(await screen.findByRole('heading', { name: 'Choose a new password' })).toBeTruthy();
    await user.type(input('New password'), 'nina new password');
    await user.type(input('Confirm new password'), 'nina new password{Enter}');
    await waitFor(() => expect(errorOf(input('New password'))).toBe('The password must not contain your name.'));
    expect(getToken()).toBeNull();
  });

  it('when the link was used meanwhile, says so instead of the form', async () => {
    let checks = 0;
    serve({
      '/api/auth/password-link': () => (checks++ === 0 ? { body: welcome } : gone),
      '/api/auth/set-password': () => gone,
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/set-password?token=k7x2q' });
    await user.type(await screen.findByLabelText('New password', { selector: 'input' }), 'a long new password');
    await user.type(input('Confirm new password'), 'a long new password{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/expired or was already used/);
  });

  it('takes a code typed on the sign-in screen (the desktop window), or the whole link pasted', async () => {
    const { calls } = serve({
      '/api/auth/password-link': async (req) => {
        const { token } = (await req.clone().json()) as { token: string };
        if (token === 'bad') return { status: 422, body: { error: { code: 'invalid', field: 'token', message: 'Paste the whole link or code from the mail.' } } };
        return token === 'k7x2q' ? { body: welcome } : gone;
      },
    });
    const user = userEvent.setup();
    renderWithProviders(<App />);
    await user.click(await screen.findByRole('link', { name: 'I have a code from an email' }));
    expect(await screen.findByRole('heading', { name: 'Enter the code from your email' })).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(errorOf(input('Code'))).toBe('Paste the code from the mail');
    expect(sent(calls, '/api/auth/password-link')).toHaveLength(0);

    await user.type(input('Code'), 'bad{Enter}');
    await waitFor(() => expect(errorOf(input('Code'))).toBe('Paste the whole link or code from the mail.'));

    await user.clear(input('Code'));
    await user.type(input('Code'), 'expired{Enter}');
    expect((await screen.findByRole('alert')).textContent).toBe('This code has expired or was already used. Ask for a new one.');
    await user.click(screen.getByRole('button', { name: 'Enter another code' }));

    await user.type(await screen.findByLabelText('Code', { selector: 'input' }), ' http://office:8787/set-password?token=k7x2q ');
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: 'Welcome, Nina New' })).toBeTruthy();
    const tokens = await Promise.all(sent(calls, '/api/auth/password-link').map((c) => c.json()));
    expect(tokens).toEqual([{ token: 'bad' }, { token: 'expired' }, { token: 'k7x2q' }]);
  });

  it('when signing in after setting the password fails, sends to the sign-in form with the email filled in', async () => {
    serve({
      '/api/auth/password-link': () => ({ body: welcome }),
      '/api/auth/set-password': () => ({ body: { email: 'nina@example.test' } }),
      '/api/sessions': () => ({ status: 503, body: { error: { code: 'unavailable', message: 'Gatehouse is busy.' } } }),
    });
    const user = userEvent.setup();
    renderWithProviders(<App />, { route: '/set-password?token=k7x2q' });
    await user.type(await screen.findByLabelText('New password', { selector: 'input' }), 'a long new password');
    await user.type(input('Confirm new password'), 'a long new password{Enter}');
    expect(await screen.findByRole('heading', { name: 'Your password is set' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('Gatehouse is busy.');
    await user.click(screen.getByRole('button', { name: 'Go to sign-in' }));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect((input('Email') as HTMLInputElement).value).toBe('nina@example.test');
    expect(screen.getByRole('status').textContent).toContain('Your password is set');
  });
});
