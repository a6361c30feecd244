import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../App';
import { setToken } from '../api/client';
import { makeMe } from '../test/fixtures';
import { mockFetch, renderWithProviders } from '../test/render';

const CODES = Array.from({ length: 10 }, (_, i) => `abcd-efgh-ijkl-mn${i}a`);

describe('A role that requires two-factor sign-in', () => {
  afterEach(() => setToken(null));

  it('shows only the setup until it is done and the recovery codes are saved, then the app', async () => {
    setToken('tok');
    let enrolled = false;
    const { calls } = mockFetch(async (req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/me')
        return { body: { ...makeMe({ permissions: [], nav: ['overview'] }), twoFactorSetupRequired: !enrolled } };
      if (path === '/api/status') return { body: { setupRequired: false, version: 't', passwordMinLength: 12 } };
      if (path === '/api/me/two-factor/enrolment')
        return { status: 201, body: { secret: 'JBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrCode: 'data:image/png;base64,AA==' } };
      if (path === '/api/me/two-factor/enrolment/confirm') {
        enrolled = true;
        return { body: { recoveryCodes: CODES } };
      }
      return { body: { items: [], areas: [], next: null, total: 0 } };
    });
    const user = userEvent.setup();
    renderWithProviders(<App />);
    expect(await screen.findByRole('heading', { name: 'Set up two-factor sign-in' })).toBeTruthy();
    // Nothing of the app: no menu.
    expect(screen.queryByRole('navigation')).toBeNull();
    await user.type(await screen.findByLabelText('Code from the app'), '123456{Enter}');
    await screen.findByTestId('recovery-codes');
    // The codes stay until saved: /api/me is not asked again meanwhile.
    const meCalls = () => calls.filter((c) => new URL(c.url).pathname === '/api/me').length;
    expect(meCalls()).toBe(1);
    await user.click(screen.getByLabelText('I have saved my recovery codes'));
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await waitFor(() => expect(screen.getByRole('navigation')).toBeTruthy());
    expect(meCalls()).toBe(2);
  });
});
