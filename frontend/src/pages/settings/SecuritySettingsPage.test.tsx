import { notifications } from '@mantine/notifications';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import i18n from '../../i18n';
import type { SecuritySettings } from '../../api/security';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { SettingsPage } from './SettingsPage';

const saved: SecuritySettings = {
  minPasswordLength: 12,
  idleTimeoutMinutes: 480,
  sessionLifetimeHours: 168,
  throttleAccount: 5,
  throttleAccountWide: 10,
  throttleAddress: 20,
  twoFactorRoles: [],
  activityRetentionDays: 0,
  roles: [
    { id: 'admin', name: 'Admin', kind: 'internal' },
    { id: 'staff', name: 'Staff', kind: 'internal' },
    { id: 'client', name: 'Client', kind: 'client' },
  ],
};

const me = makeMe({
  role: { id: 'admin', name: 'Admin', kind: 'internal' },
  permissions: [{ key: 'settings.security', scope: '' }],
  nav: ['overview', 'settings'],
});

function serve(put?: (body: Record<string, unknown>) => { status?: number; body?: unknown }) {
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/settings/security' && req.method === 'PUT') {
      const body = (await req.json()) as Record<string, unknown>;
      return put?.(body) ?? { body: { ...saved, ...body } };
    }
    if (path === '/api/settings/security') return { body: saved };
    return { body: { setupRequired: false, version: 't' } };
  });
}

const field = (label: string) => screen.getByLabelText(label);
// A MultiSelect labels its hidden value too: the one typed into is the visible input.
const rolesPicker = async () =>
  (await screen.findAllByLabelText('Require two-factor sign-in for these roles')).find(
    (el) => el.tagName === 'INPUT' && (el as HTMLInputElement).type !== 'hidden',
  )!;
const puts = (calls: Request[]) => calls.filter((c) => c.method === 'PUT');
/** The Select's text input (its listbox carries the same label). */
const retention = () => screen.getAllByLabelText('Keep the activity log').find((el) => el.tagName === 'INPUT')!;

describe('Settings → Security', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('is a tab for holders of settings.security, showing the policies in force', async () => {
    setToken('tok');
    serve();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings', path: '/settings/:tab?' });
    expect(await screen.findByRole('region', { name: 'Policies' })).toBeTruthy();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Security']);
    expect((field('Minimum password length') as HTMLInputElement).value).toBe('12');
    expect((field('Idle timeout (minutes)') as HTMLInputElement).value).toBe('480');
    expect((field('Session lifetime (hours)') as HTMLInputElement).value).toBe('168');
    expect((field('One address, any accounts') as HTMLInputElement).value).toBe('20');
  });

  it('states the range of a value out of it and sends nothing', async () => {
    setToken('tok');
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings/security', path: '/settings/:tab?' });
    await screen.findByRole('region', { name: 'Policies' });
    await user.clear(field('Minimum password length'));
    await user.type(field('Minimum password length'), '6');
    await user.clear(field('Idle timeout (minutes)'));
    await user.type(field('Idle timeout (minutes)'), '9000');
    await user.clear(field('Session lifetime (hours)'));
    await user.type(field('Session lifetime (hours)'), '100');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(errorOf(field('Minimum password length'))).toBe('From 8 to 64');
    expect(errorOf(field('Idle timeout (minutes)'))).toBe('At most the session lifetime');
    expect(puts(calls)).toHaveLength(0);
  });

  it('saves every policy with the roles chosen, and shows the server refusal where it belongs', async () => {
    setToken('tok');
    let refuse = true;
    const { calls } = serve(() =>
      refuse
        ? ((refuse = false),
          { status: 403, body: { error: { code: 'escalation', message: 'Weakening a security policy needs every permission of the Admin role.' } } })
        : undefined as never,
    );
    const user = userEvent.setup();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings/security', path: '/settings/:tab?' });
    await screen.findByRole('region', { name: 'Policies' });
    await user.clear(field('Minimum password length'));
    await user.type(field('Minimum password length'), '14');
    await user.clear(field('One account, one address'));
    await user.type(field('One account, one address'), '4');
    await user.click(await rolesPicker());
    await user.click(await screen.findByRole('option', { name: 'Staff' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toContain('needs every permission of the Admin role');
    expect(await puts(calls)[0].json()).toEqual({
      minPasswordLength: 14,
      idleTimeoutMinutes: 480,
      sessionLifetimeHours: 168,
      throttleAccount: 4,
      throttleAccountWide: 10,
      throttleAddress: 20,
      twoFactorRoles: ['staff'],
      activityRetentionDays: 0,
    });
  });

  it('keeps the activity log for ever, or a number of days no shorter than a month', async () => {
    setToken('tok');
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings/security', path: '/settings/:tab?' });
    await screen.findByRole('region', { name: 'Policies' });
    expect((retention() as HTMLInputElement).value).toBe('For ever');
    expect(screen.queryByLabelText('Days to keep')).toBeNull();
    await user.click(retention());
    await user.click(await screen.findByRole('option', { name: 'For a number of days' }));
    await user.clear(field('Days to keep'));
    await user.type(field('Days to keep'), '7');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(errorOf(field('Days to keep'))).toBe('From 30 to 3650');
    expect(puts(calls)).toHaveLength(0);
    await user.clear(field('Days to keep'));
    await user.type(field('Days to keep'), '90');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect((await puts(calls)[0].json()).activityRetentionDays).toBe(90);
  });

  it('warns an Admin who requires two-factor of their own role that they will set it up next', async () => {
    setToken('tok');
    serve();
    const user = userEvent.setup();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings/security', path: '/settings/:tab?' });
    await screen.findByRole('region', { name: 'Policies' });
    await user.click(await rolesPicker());
    await user.click(await screen.findByRole('option', { name: 'Admin' }));
    await waitFor(() => expect(screen.getByText(/you will set up two-factor sign-in right after saving/)).toBeTruthy());
  });
});

describe('Settings → Security in Brazilian Portuguese', () => {
  afterEach(async () => {
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('names the tab, the policies and their ranges in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    const { calls } = serve();
    const user = userEvent.setup();
    renderWithProviders(<SettingsPage me={me} />, { route: '/settings', path: '/settings/:tab?' });
    expect(await screen.findByRole('region', { name: 'Políticas' })).toBeTruthy();
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Segurança']);
    await user.clear(field('Tamanho mínimo da senha'));
    await user.type(field('Tamanho mínimo da senha'), '70');
    await user.click(screen.getByRole('button', { name: 'Salvar' }));
    expect(errorOf(field('Tamanho mínimo da senha'))).toBe('De 8 a 64');
    expect(screen.getByText('Quem tem essas funções configura um aplicativo autenticador na próxima solicitação, antes de qualquer outra coisa. A entrada com o Google não pede duas vezes.')).toBeTruthy();
    expect(puts(calls)).toHaveLength(0);
  });
});
