import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockFetch, renderWithProviders } from '../../test/render';
import { ConfirmEmailPage } from './ConfirmEmailPage';

describe('ConfirmEmailPage', () => {
  it('opens the link once and says the new email', async () => {
    const { calls } = mockFetch(async (req) => {
      expect(await req.json()).toEqual({ token: 'abc' });
      return { body: { email: 'new@example.test' } };
    });
    renderWithProviders(<ConfirmEmailPage token="abc" />);
    expect(await screen.findByText('Your email is now new@example.test. Sign in with it from now on.')).toBeTruthy();
    expect(calls.filter((c) => new URL(c.url).pathname === '/api/auth/confirm-email')).toHaveLength(1);
  });

  it('says when the link is used or expired', async () => {
    mockFetch(() => ({ status: 404, body: { error: { code: 'link_invalid', message: 'This link has expired or was already used. Ask for a new one.' } } }));
    renderWithProviders(<ConfirmEmailPage token="old" />);
    expect(await screen.findByText('This link has expired or was already used')).toBeTruthy();
  });
});
