import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me } from '../../api/client';
import { setViewAs } from '../../api/viewAs';
import { readOnlyMe } from '../../lib/permissions';
import type { EmailSettings } from '../../api/email';
import i18n from '../../i18n';
import type { SignInSettings } from '../../api/signin';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { SettingsPage } from './SettingsPage';

const email: EmailSettings = {
  configured: false,
  host: '',
  port: 587,
  security: 'starttls',
  username: '',
  passwordSet: false,
  fromName: '',
  fromAddress: '',
  appUrl: '',
  notifications: { projectAdded: true, taskAssigned: true, taskReviewed: true, mentioned: true },
};
const signIn: SignInSettings = {
  googleClientId: '',
  googleClientSecretSet: false,
  googleIssuer: 'https://accounts.google.com',
  hostedDomain: '',
  allowRegistrations: true,
  linkByEmail: true,
  defaultRoleId: 'client',
};

const holding = (...keys: string[]): Me =>
  makeMe({ permissions: keys.map((key) => ({ key, scope: '' })), nav: ['overview', 'settings'] });

function serve() {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/settings/email') return { body: email };
    if (path === '/api/settings/sign-in') return { body: signIn };
    if (path === '/api/status') return { body: { setupRequired: false, version: 't' } };
    return { body: { items: [], next: null } };
  });
}

const render = (me: Me, route: string) => renderWithProviders(<SettingsPage me={me} />, { route, path: '/settings/:tab?' });
const tabs = () => screen.getAllByRole('tab').map((t) => t.textContent);

describe('SettingsPage', () => {
  afterEach(() => {
    setViewAs(null);
    setToken(null);
  });

  it('shows a tab per permission held, and opens the first one', async () => {
    setToken('tok');
    serve();
    render(holding('settings.email'), '/settings');
    expect(await screen.findByRole('region', { name: 'Email server' })).toBeTruthy();
    expect(tabs()).toEqual(['Email']);
  });

  it('does not open a tab whose permission is not held', async () => {
    setToken('tok');
    const { calls } = serve();
    render(holding('settings.email'), '/settings/sign-in');
    expect(await screen.findByRole('heading', { name: 'Not available' })).toBeTruthy();
    expect(calls).toHaveLength(0);
  });

  it('keeps Sign-in first for holders of both, and switches tabs by mouse or keyboard', async () => {
    setToken('tok');
    serve();
    const user = userEvent.setup();
    render(holding('settings.integrations', 'settings.email'), '/settings');
    expect(await screen.findByRole('region', { name: 'Sign in with Google' })).toBeTruthy();
    // (The browser tests look for this heading.)
    expect(screen.getByRole('heading', { name: 'Sign-in settings' })).toBeTruthy();
    expect(tabs()).toEqual(['Sign-in', 'Email', 'Payments']);
    expect(screen.getByRole('tab', { name: 'Sign-in' }).getAttribute('aria-selected')).toBe('true');

    await user.click(screen.getByRole('tab', { name: 'Email' }));
    expect(await screen.findByRole('region', { name: 'Email server' })).toBeTruthy();
    expect(screen.queryByRole('region', { name: 'Sign in with Google' })).toBeNull();

    screen.getByRole('tab', { name: 'Email' }).focus();
    await user.keyboard('{ArrowLeft}');
    expect(await screen.findByRole('region', { name: 'Sign in with Google' })).toBeTruthy();
  });

  it('while viewing as someone, shows their tabs read-only', async () => {
    setToken('tok');
    setViewAs({ userId: 'u-ann', name: 'Ann Admin' });
    serve();
    render(readOnlyMe(holding('settings.integrations', 'settings.email')), '/settings/email');
    expect(await screen.findByRole('region', { name: 'Email server' })).toBeTruthy();
    expect(tabs()).toEqual(['Sign-in', 'Email', 'Payments']);
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save.hasAttribute('disabled') || save.getAttribute('data-disabled') === 'true').toBe(true);
  });
});

describe('SettingsPage in Brazilian Portuguese', () => {
  afterEach(async () => {
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('names its tabs and the email settings in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve();
    render(holding('settings.email', 'settings.integrations'), '/settings/email');
    expect(await screen.findByRole('heading', { name: 'Configurações de e-mail' })).toBeTruthy();
    expect(tabs()).toEqual(['Login', 'E-mail', 'Pagamentos']);
    expect(await screen.findByRole('textbox', { name: 'Servidor SMTP' })).toBeTruthy();
    expect(screen.getByText(/Quem pode usar estas configurações/).querySelector('code')?.textContent).toBe('settings.email');
  });
});
