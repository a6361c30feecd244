import { act, screen, waitFor, cleanup } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { getToken, setToken } from '../api/client';
import i18n from '../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../test/render';
import { SignInPage } from './SignInPage';


describe('SignInPage', () => {
  afterEach(() => {
    setToken(null);
    vi.useRealTimers();
  });

  it('asks for both fields and sends nothing when empty', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<SignInPage />);
    await userEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(errorOf(screen.getByLabelText('Email'))).toBe('Enter an email address');
    expect(errorOf(screen.getByLabelText('Password'))).toBe('Enter your password');
    expect(fn).not.toHaveBeenCalled();
  });

  it('rejects an email without the right shape', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<SignInPage />);
    await userEvent.type(screen.getByLabelText('Email'), 'ada');
    await userEvent.type(screen.getByLabelText('Password'), 'whatever{Enter}');
    expect(errorOf(screen.getByLabelText('Email'))).toMatch(/valid email address/);
    expect(fn).not.toHaveBeenCalled();
  });

  it("shows the server's message in an alert on a wrong password", async () => {
    mockFetch(() => ({
      status: 401,
      body: { error: { code: 'invalid_credentials', message: 'Email or password is wrong.' } },
    }));
    renderWithProviders(<SignInPage />);
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.test');
    await userEvent.type(screen.getByLabelText('Password'), 'wrong-password{Enter}');
    expect((await screen.findByRole('alert')).textContent).toContain('Email or password is wrong.');
    expect(getToken()).toBeNull();
  });

  it('stores the token on success', async () => {
    const { calls } = mockFetch(() => ({ status: 201, body: { token: 'tok-1', user: { id: 'u1' } } }));
    renderWithProviders(<SignInPage />);
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.test');
    await userEvent.type(screen.getByLabelText('Password'), 'right-password{Enter}');
    await waitFor(() => expect(getToken()).toBe('tok-1'));
    expect(await calls[0].json()).toEqual({ email: 'ada@example.test', password: 'right-password' });
  });

  it('counts down after 429 and keeps the button disabled until then', async () => {
    mockFetch(() => ({
      status: 429,
      headers: { 'Retry-After': '3' },
      body: { error: { code: 'throttled', message: 'Too many attempts.' } },
    }));
    renderWithProviders(<SignInPage />);
    await userEvent.type(screen.getByLabelText('Email'), 'ada@example.test');
    await userEvent.type(screen.getByLabelText('Password'), 'pw{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Too many attempts. Try again in 3 seconds.');
    const button = screen.getByRole('button', { name: /Sign in/ });
    expect(button.hasAttribute('disabled') || button.getAttribute('data-disabled') === 'true').toBe(true);
    await act(() => new Promise((r) => setTimeout(r, 1300)));
    expect(screen.getByRole('alert').textContent).toMatch(/Try again in [12] seconds?\./);
  });
});

describe('SignInPage in Brazilian Portuguese', () => {
  afterEach(async () => {
    cleanup(); // before the language changes back, so no screen redraws outside act
    await i18n.changeLanguage('en');
  });

  it('asks in Portuguese, its checks too', async () => {
    await i18n.changeLanguage('pt-BR');
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<SignInPage />);
    expect(screen.getByText('Esqueceu a senha?')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Entrar' }));
    expect(errorOf(screen.getByLabelText('E-mail'))).toBe('Informe um endereço de e-mail');
    expect(errorOf(screen.getByLabelText('Senha'))).toBe('Informe a sua senha');
    expect(fn).not.toHaveBeenCalled();
  });
});
