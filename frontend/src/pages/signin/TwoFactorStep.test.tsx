import { notifications } from '@mantine/notifications';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { getToken, setToken } from '../../api/client';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { SignInPage } from '../SignInPage';

const challenge = { twoFactorRequired: true, challenge: 'ghc_abc', expiresAt: '2026-11-22T09:05:00Z' };

async function password(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Email'), 'ada@example.test');
  await user.type(screen.getByLabelText('Password'), 'right-password{Enter}');
  await screen.findByRole('heading', { name: 'Two-factor sign-in' });
}

describe('Sign-in with two-factor', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('asks for the code after the password, and signs in with it', async () => {
    const { calls } = mockFetch(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/sessions') return { status: 200, body: challenge };
      if (path === '/api/sessions/two-factor') {
        const b = (await req.json()) as { code: string };
        return b.code === '123456'
          ? { status: 201, body: { token: 'tok-2fa', user: { id: 'u1' } } }
          : { status: 422, body: { error: { code: 'invalid', field: 'code', message: 'That code is not right.' } } };
      }
      return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage />);
    await password(user);
    // The password alone signed nobody in.
    expect(getToken()).toBeNull();
    expect(screen.getByText('Signing in as ada@example.test.')).toBeTruthy();
    const code = () => screen.getByLabelText('Code from your authenticator app');
    await user.click(screen.getByRole('button', { name: 'Verify' }));
    expect(errorOf(code())).toBe('Enter the 6-digit code from your authenticator app');
    await user.type(code(), '000000{Enter}');
    // The refusal stays on the field, which is emptied for the next code.
    await waitFor(() => expect((code() as HTMLInputElement).value).toBe(''));
    await waitFor(() => expect(errorOf(code())).toBe('That code is not right.'));
    await user.type(code(), '123456{Enter}');
    await waitFor(() => expect(getToken()).toBe('tok-2fa'));
    const sent = calls.filter((c) => new URL(c.url).pathname === '/api/sessions/two-factor');
    expect(await sent.at(-1)!.json()).toEqual({ challenge: 'ghc_abc', code: '123456' });
  });

  it('takes a recovery code, and says how many are left', async () => {
    mockFetch(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/sessions') return { status: 200, body: challenge };
      return { status: 201, body: { token: 'tok-rc', user: { id: 'u1' }, recoveryCodesLeft: 2 } };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage />);
    await password(user);
    await user.click(screen.getByRole('button', { name: 'Use a recovery code' }));
    await user.type(screen.getByLabelText('Recovery code'), 'abcd-efgh-ijkl-mnop{Enter}');
    await waitFor(() => expect(getToken()).toBe('tok-rc'));
    expect(await screen.findByText(/Recovery codes left: 2\./)).toBeTruthy();
  });

  it('goes back to the password, saying why, when the sign-in has ended', async () => {
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/sessions') return { status: 200, body: challenge };
      return { status: 401, body: { error: { code: 'two_factor_expired', message: 'This sign-in has ended. Enter your email and password again.' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage />);
    await password(user);
    await user.type(screen.getByLabelText('Code from your authenticator app'), '123456{Enter}');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('This sign-in has ended.');
    expect(getToken()).toBeNull();
  });

  it('counts down when code guesses are throttled', async () => {
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/sessions') return { status: 200, body: challenge };
      return { status: 429, headers: { 'Retry-After': '30' }, body: { error: { code: 'throttled', message: 'Too many wrong codes.' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage />);
    await password(user);
    await user.type(screen.getByLabelText('Code from your authenticator app'), '123456{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/Try again in (30|29) seconds/);
    expect(screen.getByRole('button', { name: /Verify \(\d+s\)/ })).toBeTruthy();
  });
});

describe('Sign-in with two-factor in Brazilian Portuguese', () => {
  afterEach(async () => {
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('asks for the code in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch((req) =>
      new URL(req.url).pathname === '/api/sessions'
        ? { status: 200, body: challenge }
        : { status: 404, body: { error: { code: 'not_found', message: 'No.' } } },
    );
    const user = userEvent.setup();
    renderWithProviders(<SignInPage />);
    await user.type(screen.getByLabelText('E-mail'), 'ada@example.test');
    await user.type(screen.getByLabelText('Senha'), 'right-password{Enter}');
    expect(await screen.findByRole('heading', { name: 'Verificação em duas etapas' })).toBeTruthy();
    expect(screen.getByText('Entrando como ada@example.test.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Verificar' }));
    expect(errorOf(screen.getByLabelText('Código do seu aplicativo autenticador'))).toBe(
      'Digite o código de 6 dígitos do seu aplicativo autenticador',
    );
    await user.click(screen.getByRole('button', { name: 'Usar um código de recuperação' }));
    expect(screen.getByLabelText('Código de recuperação')).toBeTruthy();
  });
});
