import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { getToken, setToken } from '../../api/client';
import { mockFetch, renderWithProviders } from '../../test/render';
import { SignInPage } from '../SignInPage';

const session = { token: 'tok-g', user: { id: 'u1' } };

describe('sign-in options', () => {
  afterEach(() => setToken(null));

  it('offers neither Google nor "keep me signed in" unless they apply', () => {
    mockFetch(() => ({ status: 500 }));
    renderWithProviders(<SignInPage />);
    expect(screen.queryByText('Sign in with Google')).toBeNull();
    expect(screen.queryByLabelText('Keep me signed in on this computer')).toBeNull();
  });

  it('in a browser, Sign in with Google goes to the start of the browser flow', () => {
    mockFetch(() => ({ status: 500 }));
    renderWithProviders(<SignInPage google />);
    expect(screen.getByRole('link', { name: 'Sign in with Google' }).getAttribute('href')).toBe('/api/auth/google/start');
    expect(screen.queryByLabelText('Keep me signed in on this computer')).toBeNull();
  });

  it('in the window, "keep me signed in" asks the backend to remember the new session', async () => {
    const { calls } = mockFetch((req) =>
      new URL(req.url).pathname === '/api/sessions' ? { status: 201, body: { token: 'tok-1', user: { id: 'u1' } } } : { status: 204 },
    );
    const user = userEvent.setup();
    renderWithProviders(<SignInPage inWindow />);
    await user.type(screen.getByLabelText('Email'), 'ada@example.test');
    await user.type(screen.getByLabelText('Password'), 'right-password');
    await user.click(screen.getByLabelText('Keep me signed in on this computer'));
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(calls.map((c) => new URL(c.url).pathname)).toEqual(['/api/sessions', '/api/sessions/remembered']));
    expect(calls[1].headers.get('Authorization')).toBe('Bearer tok-1');
  });

  it('in the window, Google opens in the browser and the window waits for the answer', async () => {
    let polls = 0;
    const { calls } = mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/auth/google/desktop') return { status: 202, body: { id: 'flow-1', expiresAt: '2030-01-01T00:00:00Z' } };
      if (path === '/api/auth/google/desktop/flow-1') {
        polls++;
        return { body: polls < 2 ? { status: 'pending' } : { status: 'done', session } };
      }
      return { status: 404, body: { error: { code: 'not_found', message: 'no' } } };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage inWindow google />);
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect(await screen.findByText('Continue in your web browser')).toBeTruthy();
    await waitFor(() => expect(getToken()).toBe('tok-g'), { timeout: 4000 });
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/sessions/remembered')).toHaveLength(0);
  });

  it('in the window, a refused Google sign-in says why', async () => {
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/auth/google/desktop') return { status: 202, body: { id: 'flow-2', expiresAt: '2030-01-01T00:00:00Z' } };
      return {
        status: 401,
        body: { error: { code: 'google_registrations_off', message: 'New registrations through Google are turned off.' } },
      };
    });
    const user = userEvent.setup();
    renderWithProviders(<SignInPage inWindow google />);
    await user.click(screen.getByRole('button', { name: 'Sign in with Google' }));
    expect(await screen.findByText('New registrations through Google are turned off.', {}, { timeout: 4000 })).toBeTruthy();
    expect(getToken()).toBeNull();
  });
});
