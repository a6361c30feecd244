import { act, screen, waitFor, cleanup } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { notifications } from '@mantine/notifications';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../api/client';
import i18n from '../i18n';
import type { NotificationPrefs } from '../api/email';
import { makeMe } from '../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../test/render';
import { AccountPage, EMAIL_NOT_SET_UP, OFF_BY_OWNER } from './AccountPage';

type Answer = { status?: number; body?: unknown; headers?: Record<string, string> };

const me = makeMe({ permissions: [{ key: 'tasks.view', scope: 'assigned' }], nav: ['overview', 'tasks'] });

const prefs: NotificationPrefs = {
  emailConfigured: true,
  items: [
    { key: 'projectAdded', label: 'Added to a project', enabled: true, offByOwner: false },
    { key: 'taskAssigned', label: 'A task is assigned to me', enabled: false, offByOwner: false },
    { key: 'taskReviewed', label: 'A client approved or requested changes', enabled: true, offByOwner: true },
  ],
};

const twoFactorOff = { enabled: false, enabledAt: null, recoveryCodesLeft: 0, required: false };

function serve({ password, notifications = () => ({ body: prefs }) }: { password?: () => Answer; notifications?: (req: Request) => Answer }) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/me/password') return password?.() ?? { status: 204 };
    if (path === '/api/me/notifications') return notifications(req);
    if (path === '/api/me/two-factor') return { body: twoFactorOff };
    return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
  });
}

const input = (label: string) => screen.getByLabelText(label, { selector: 'input' });
const posts = (calls: Request[]) => calls.filter((c) => c.method === 'POST');

async function changePassword(current: string, next: string, confirm = next) {
  const user = userEvent.setup();
  if (current) await user.type(input('Current password'), current);
  if (next) await user.type(input('New password'), next);
  if (confirm) await user.type(input('Confirm new password'), confirm);
  await user.click(screen.getByRole('button', { name: /Change password/ }));
}

describe('My account: password', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('checks the fields before sending', async () => {
    const { calls } = serve({});
    renderWithProviders(<AccountPage me={me} />);
    await changePassword('', 'short', 'other');
    expect(errorOf(input('Current password'))).toBe('Enter your current password');
    expect(errorOf(input('New password'))).toBe('Use at least 12 characters');
    expect(errorOf(input('Confirm new password'))).toBe('Passwords do not match');
    expect(posts(calls)).toHaveLength(0);
  });

  it('changes it, says so, and empties the form', async () => {
    setToken('tok');
    const { calls } = serve({});
    renderWithProviders(<AccountPage me={me} />);
    await changePassword('old password!', 'a long new password');
    expect(await screen.findByText('Your password is changed. Your other sessions were signed out.')).toBeTruthy();
    expect(await posts(calls)[0].json()).toEqual({ current: 'old password!', new: 'a long new password' });
    expect((input('Current password') as HTMLInputElement).value).toBe('');
  });

  it('shows a wrong current password on its field', async () => {
    setToken('tok');
    serve({ password: () => ({ status: 422, body: { error: { code: 'invalid', field: 'current', message: 'The current password is wrong.' } } }) });
    renderWithProviders(<AccountPage me={me} />);
    await changePassword('not it at all', 'a long new password');
    await waitFor(() => expect(errorOf(input('Current password'))).toBe('The current password is wrong.'));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('counts down after 429 and keeps the button disabled until then', async () => {
    setToken('tok');
    serve({
      password: () => ({ status: 429, headers: { 'Retry-After': '3' }, body: { error: { code: 'throttled', message: 'Too many attempts.' } } }),
    });
    renderWithProviders(<AccountPage me={me} />);
    await changePassword('guess number 1', 'a long new password');
    expect((await screen.findByRole('alert')).textContent).toContain('Too many attempts. Try again in 3 seconds.');
    const button = screen.getByRole('button', { name: /Change password/ });
    expect(button.hasAttribute('disabled') || button.getAttribute('data-disabled') === 'true').toBe(true);
    await act(() => new Promise((r) => setTimeout(r, 1300)));
    expect(screen.getByRole('alert').textContent).toMatch(/Try again in [12] seconds?\./);
  });
});

describe('My account: email notifications', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('shows each notification as a switch; one the owner turned off cannot be turned on', async () => {
    setToken('tok');
    serve({});
    renderWithProviders(<AccountPage me={me} />);
    const added = (await screen.findByRole('switch', { name: 'Added to a project' })) as HTMLInputElement;
    const assigned = screen.getByRole('switch', { name: 'A task is assigned to me' }) as HTMLInputElement;
    const reviewed = screen.getByRole('switch', { name: /^A client approved or requested changes/ }) as HTMLInputElement;
    expect([added.checked, assigned.checked, reviewed.checked]).toEqual([true, false, false]);
    expect(reviewed.disabled).toBe(true);
    expect(screen.getByText(OFF_BY_OWNER)).toBeTruthy();
    expect(screen.queryByText(EMAIL_NOT_SET_UP)).toBeNull();
  });

  it('saves a switch as soon as it is flipped (with the keyboard too)', async () => {
    setToken('tok');
    const { calls } = serve({
      notifications: (req) =>
        req.method === 'PUT'
          ? { body: { ...prefs, items: prefs.items.map((i) => (i.key === 'taskAssigned' ? { ...i, enabled: true } : i)) } }
          : { body: prefs },
    });
    const user = userEvent.setup();
    renderWithProviders(<AccountPage me={me} />);
    const assigned = (await screen.findByRole('switch', { name: 'A task is assigned to me' })) as HTMLInputElement;
    assigned.focus();
    await user.keyboard(' ');
    await waitFor(() => expect(assigned.checked).toBe(true));
    const puts = calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(await puts[0].json()).toEqual({ taskAssigned: true });
  });

  it('says why nothing is sent while email is not set up, and shows a refused change', async () => {
    setToken('tok');
    serve({
      notifications: (req) =>
        req.method === 'PUT'
          ? { status: 422, body: { error: { code: 'invalid', message: 'Unknown notification.' } } }
          : { body: { ...prefs, emailConfigured: false } },
    });
    const user = userEvent.setup();
    renderWithProviders(<AccountPage me={me} />);
    expect(await screen.findByText(EMAIL_NOT_SET_UP)).toBeTruthy();
    await user.click(screen.getByRole('switch', { name: 'Added to a project' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Unknown notification.');
    expect((screen.getByRole('switch', { name: 'Added to a project' }) as HTMLInputElement).checked).toBe(true);
  });
});

describe('My account: email', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('asks for the password, then changes the email only with the code mailed to the new address', async () => {
    setToken('tok');
    const { calls } = mockFetch(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me/email') {
        const b = (await req.json()) as { email: string; password: string };
        return b.password === 'right passphrase 1'
          ? { status: 202, body: { message: `A confirmation link is on its way to ${b.email}.` } }
          : { status: 422, body: { error: { code: 'invalid', field: 'password', message: 'The password is wrong.' } } };
      }
      if (path === '/api/auth/confirm-email') {
        const b = (await req.json()) as { token: string };
        return b.token === 'abcdefgh'
          ? { body: { email: 'new@example.test' } }
          : { status: 404, body: { error: { code: 'link_invalid', message: 'This link has expired or was already used. Ask for a new one.' } } };
      }
      if (path === '/api/me/notifications') return { body: prefs };
      if (path === '/api/me/two-factor') return { body: twoFactorOff };
      return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<AccountPage me={me} />);
    await user.click(screen.getByRole('button', { name: 'Change email' }));
    expect(errorOf(input('New email'))).toBe('Enter the new email address');
    expect(errorOf(input('Your password'))).toBe('Enter your password');
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/me/email')).toHaveLength(0);

    await user.type(input('New email'), 'new@example.test');
    await user.type(input('Your password'), 'a wrong guess');
    await user.click(screen.getByRole('button', { name: 'Change email' }));
    await waitFor(() => expect(errorOf(input('Your password'))).toBe('The password is wrong.'));

    await user.clear(input('Your password'));
    await user.type(input('Your password'), 'right passphrase 1');
    await user.click(screen.getByRole('button', { name: 'Change email' }));
    expect(await screen.findByText('A confirmation link is on its way to new@example.test.')).toBeTruthy();

    await user.type(input('Code from the mail'), 'wrong');
    await user.click(screen.getByRole('button', { name: 'Confirm the new email' }));
    expect(await screen.findByText('This link has expired or was already used. Ask for a new one.')).toBeTruthy();
    await user.clear(input('Code from the mail'));
    await user.type(input('Code from the mail'), 'http://gh.test/#/confirm-email?token=abcdefgh');
    await user.click(screen.getByRole('button', { name: 'Confirm the new email' }));
    expect(await screen.findByText('Your email is now new@example.test. Sign in with it from now on.')).toBeTruthy();
  });
});

describe('My account in Brazilian Portuguese', () => {
  afterEach(async () => {
    setToken(null);
    cleanup(); // before the language changes back, so no screen redraws outside act
    await i18n.changeLanguage('en');
  });

  it('says everything in Portuguese, the notification mails by their key', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve({});
    renderWithProviders(<AccountPage me={me} />);
    expect(screen.getByRole('heading', { name: 'Minha conta' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Alterar minha senha' })).toBeTruthy();
    expect(await screen.findByRole('switch', { name: 'Uma tarefa é atribuída a mim' })).toBeTruthy();
    expect(screen.getByText('Desativado para todos pelo proprietário')).toBeTruthy();
    await changePasswordPt();
    expect(errorOf(input('Senha atual'))).toBe('Informe a sua senha atual');
    expect(errorOf(input('Nova senha'))).toBe('Use pelo menos 12 caracteres');
  });
});

async function changePasswordPt() {
  const user = userEvent.setup();
  await user.type(input('Nova senha'), 'short');
  await user.click(screen.getByRole('button', { name: 'Alterar senha' }));
}
