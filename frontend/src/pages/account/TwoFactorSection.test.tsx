import { notifications } from '@mantine/notifications';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import type { TwoFactorStatus } from '../../api/security';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { TwoFactorSection } from './TwoFactorSection';

const off: TwoFactorStatus = { enabled: false, enabledAt: null, recoveryCodesLeft: 0, required: false };
const on: TwoFactorStatus = { enabled: true, enabledAt: '2026-11-22T09:00:00Z', recoveryCodesLeft: 10, required: false };
const CODES = Array.from({ length: 10 }, (_, i) => `aaaa-bbbb-cccc-dd${String.fromCharCode(97 + i)}${String.fromCharCode(97 + i)}`);
const QR = 'data:image/png;base64,iVBORw0KGgo=';

function serve(initial: TwoFactorStatus) {
  let status = initial;
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/me/two-factor') return { body: status };
    if (path === '/api/me/two-factor/enrolment')
      return { status: 201, body: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', otpauthUri: 'otpauth://totp/x', qrCode: QR } };
    if (path === '/api/me/two-factor/enrolment/confirm') {
      const { code } = (await req.json()) as { code: string };
      if (code !== '123456')
        return { status: 422, body: { error: { code: 'invalid', field: 'code', message: 'That code is not right.' } } };
      status = { ...on };
      return { body: { recoveryCodes: CODES } };
    }
    if (path === '/api/me/two-factor/recovery-codes') return { body: { recoveryCodes: CODES.map((c) => c.replace('aaaa', 'zzzz')) } };
    if (path === '/api/me/two-factor/disable') {
      status = { ...off };
      return { status: 204 };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'No.' } } };
  });
}

const posts = (calls: Request[]) => calls.filter((c) => c.method === 'POST').map((c) => new URL(c.url).pathname);

describe('My account: two-factor sign-in', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('sets it up: QR code and key, a first code, then the recovery codes shown once', async () => {
    setToken('tok');
    const { calls } = serve(off);
    const user = userEvent.setup();
    renderWithProviders(<TwoFactorSection />);
    await user.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    const qr = await screen.findByRole('img', { name: 'QR code for your authenticator app' });
    expect(qr.getAttribute('src')).toBe(QR);
    expect(screen.getByTestId('two-factor-secret').textContent).toBe('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP');

    // Not six digits: said on the field, nothing sent.
    await user.type(screen.getByLabelText('Code from the app'), '12a45{Enter}');
    expect(errorOf(screen.getByLabelText('Code from the app'))).toBe('Enter the 6-digit code your authenticator app shows');
    expect(posts(calls)).toEqual(['/api/me/two-factor/enrolment']);

    // A wrong code: the server's word on the field.
    await user.clear(screen.getByLabelText('Code from the app'));
    await user.type(screen.getByLabelText('Code from the app'), '654321{Enter}');
    await waitFor(() => expect(errorOf(screen.getByLabelText('Code from the app'))).toBe('That code is not right.'));

    await user.clear(screen.getByLabelText('Code from the app'));
    await user.type(screen.getByLabelText('Code from the app'), '123 456{Enter}');
    const shown = await screen.findByTestId('recovery-codes');
    expect(shown.textContent).toBe(CODES.join('\n'));
    const confirmBody = await calls.filter((c) => new URL(c.url).pathname === '/api/me/two-factor/enrolment/confirm').at(-1)!.json();
    expect(confirmBody).toEqual({ code: '123456' });

    // Done only once they say the codes are saved; then the status, and never the codes again.
    const done = screen.getByRole('button', { name: 'Done' });
    expect(done.hasAttribute('disabled')).toBe(true);
    await user.click(screen.getByLabelText('I have saved my recovery codes'));
    await user.click(done);
    expect(await screen.findByText('On')).toBeTruthy();
    expect(screen.getByText(/Recovery codes left: 10/)).toBeTruthy();
    expect(screen.queryByTestId('recovery-codes')).toBeNull();
  });

  it('makes new recovery codes after a code, and turns it off after a code', async () => {
    setToken('tok');
    const { calls } = serve(on);
    const user = userEvent.setup();
    renderWithProviders(<TwoFactorSection />);
    await user.click(await screen.findByRole('button', { name: 'New recovery codes' }));
    const dialog = await screen.findByRole('dialog', { name: 'New recovery codes' });
    await user.click(screen.getByRole('button', { name: 'Make new codes' }));
    expect(errorOf(screen.getByLabelText(/^Code/))).toBe('Enter a code');
    await user.type(screen.getByLabelText(/^Code/), '111222{Enter}');
    expect((await screen.findByTestId('recovery-codes')).textContent).toContain('zzzz-bbbb');
    expect(dialog).toBeTruthy();
    await user.click(screen.getByLabelText('I have saved my recovery codes'));
    await user.click(screen.getByRole('button', { name: 'Done' }));

    await user.click(await screen.findByRole('button', { name: 'Turn off' }));
    await screen.findByRole('dialog', { name: 'Turn off two-factor sign-in?' });
    await user.type(screen.getByLabelText(/^Code/), 'abcd-efgh-ijkl-mnop{Enter}');
    expect(await screen.findByRole('button', { name: 'Set up two-factor sign-in' })).toBeTruthy();
    const off = calls.filter((c) => new URL(c.url).pathname === '/api/me/two-factor/disable');
    expect(await off[0].json()).toEqual({ code: 'abcd-efgh-ijkl-mnop' });
  });

  it('offers no way to turn it off while the role requires it', async () => {
    setToken('tok');
    serve({ ...on, required: true });
    renderWithProviders(<TwoFactorSection />);
    expect(await screen.findByText(/Your role requires two-factor sign-in, so it stays on/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Turn off' })).toBeNull();
  });
});
