import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../api/client';
import type { SignInSettings } from '../../api/signin';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { SignInSettingsForm } from './SignInSettingsPage';
import { checkClientSecret, checkDefaultRole, checkHostedDomain, checkIssuer, toRequest } from './signInForm';

const role = (id: string, name: string, kind: Role['kind'], builtIn = false): Role => ({
  id,
  name,
  kind,
  builtIn,
  description: '',
  permissions: [],
  assignableRoleIds: [],
  userCount: 0,
  mayGive: true,
  actions: ['users.create', 'users.edit'],
});
const roles = [role('admin', 'Admin', 'internal', true), role('staff', 'Staff', 'internal', true), role('client', 'Client', 'client', true), role('guest', 'Portal Guest', 'client')];

const off: SignInSettings = {
  googleClientId: '',
  googleClientSecretSet: false,
  googleIssuer: 'https://accounts.google.com',
  hostedDomain: '',
  allowRegistrations: true,
  linkByEmail: true,
  defaultRoleId: 'client',
};
const on: SignInSettings = { ...off, googleClientId: 'abc.apps.googleusercontent.com', googleClientSecretSet: true };

/** Answers /api/status and /api/roles; `put` answers the save. */
function backend(put: (req: Request) => { status?: number; body?: unknown }) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/status') return { body: { setupRequired: false, version: 't', window: false, googleSignIn: false } };
    if (path === '/api/roles') return { body: { items: roles, next: null } };
    return put(req);
  });
}

const puts = (calls: Request[]) => calls.filter((c) => c.method === 'PUT');

describe('sign-in settings checks', () => {
  it('accepts https issuers, and plain http only on this computer', () => {
    expect(checkIssuer('https://accounts.google.com')).toBeNull();
    expect(checkIssuer('')).toBeNull();
    expect(checkIssuer('http://127.0.0.1:5556')).toBeNull();
    expect(checkIssuer('http://localhost:5556/')).toBeNull();
    expect(checkIssuer('http://accounts.google.com')).toMatch(/https/);
    expect(checkIssuer('ftp://accounts.google.com')).toMatch(/URL/);
    expect(checkIssuer('accounts.google.com')).toMatch(/URL/);
    expect(checkIssuer('https://accounts.google.com?x=1')).toMatch(/URL/);
  });

  it('checks the allowed domain', () => {
    expect(checkHostedDomain('')).toBeNull();
    expect(checkHostedDomain('Example.COM')).toBeNull();
    expect(checkHostedDomain('sub.example.co.uk')).toBeNull();
    expect(checkHostedDomain('not a domain')).toMatch(/domain name/);
    expect(checkHostedDomain('example')).toMatch(/domain name/);
    expect(checkHostedDomain('@example.com')).toMatch(/domain name/);
  });

  it('needs the secret once, then keeps the stored one', () => {
    expect(checkClientSecret('', false)).toMatch(/Enter the client secret/);
    expect(checkClientSecret('', true)).toBeNull();
    expect(checkClientSecret('GOCSPX-abc', false)).toBeNull();
    expect(checkClientSecret('two words', true)).toMatch(/without spaces/);
  });

  it('only takes client roles for new Google users', () => {
    expect(checkDefaultRole('guest', ['client', 'guest'])).toBeNull();
    expect(checkDefaultRole('staff', ['client', 'guest'])).toMatch(/client/);
    expect(checkDefaultRole('', ['client'])).toMatch(/Choose/);
  });

  it('sends the secret only when one was typed', () => {
    const base = { googleClientId: ' id ', googleClientSecret: '', googleIssuer: '', hostedDomain: ' Example.com ', allowRegistrations: false, linkByEmail: true, defaultRoleId: 'client' };
    expect(toRequest(base)).toEqual({
      googleClientId: 'id',
      googleIssuer: 'https://accounts.google.com',
      hostedDomain: 'example.com',
      allowRegistrations: false,
      linkByEmail: true,
      defaultRoleId: 'client',
    });
    expect(toRequest({ ...base, googleClientSecret: 's3cret' }).googleClientSecret).toBe('s3cret');
  });
});

describe('SignInSettingsForm', () => {
  it('asks for the client ID and secret before sending anything', async () => {
    const { calls } = backend(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={off} />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(errorOf(screen.getByLabelText('Client ID'))).toMatch(/Enter the client ID/);
    expect(errorOf(screen.getByLabelText('Client secret'))).toMatch(/Enter the client secret/);
    await user.type(screen.getByLabelText('Allowed domain'), 'not a domain');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(errorOf(screen.getByLabelText('Allowed domain'))).toMatch(/domain name/);
    expect(puts(calls)).toHaveLength(0);
  });

  it('saves, sending the secret once and never showing it', async () => {
    const { calls } = backend(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={off} />);
    await user.type(screen.getByLabelText('Client ID'), 'abc.apps.googleusercontent.com');
    await user.type(screen.getByLabelText('Client secret'), 'GOCSPX-secret');
    await user.click(screen.getByRole('switch', { name: /Allow new registrations through Google/ }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toEqual({
      googleClientId: 'abc.apps.googleusercontent.com',
      googleClientSecret: 'GOCSPX-secret',
      googleIssuer: 'https://accounts.google.com',
      hostedDomain: '',
      allowRegistrations: false,
      linkByEmail: true,
      defaultRoleId: 'client',
    });
  });

  it('keeps the stored secret when the field stays empty', async () => {
    const { calls } = backend(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={on} />);
    expect(screen.getByText(/A secret is stored in the system keychain/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).not.toHaveProperty('googleClientSecret');
  });

  it('offers only client roles for new Google users', async () => {
    backend(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={on} />);
    const input = () => screen.getAllByLabelText('Role for new Google users').find((el) => el.tagName === 'INPUT') as HTMLInputElement;
    await waitFor(() => expect(input().value).toBe('Client (built-in)'));
    await user.click(input());
    const options = (await screen.findAllByRole('option')).map((o) => o.textContent);
    expect(options).toEqual(['Client (built-in)', 'Portal Guest']);
  });

  it('says what to do when the keychain is unavailable', async () => {
    backend(() => ({
      status: 503,
      body: { error: { code: 'keychain_unavailable', message: 'The system keychain is unavailable (could not store a secret). Unlock it.' } },
    }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={off} />);
    await user.type(screen.getByLabelText('Client ID'), 'abc');
    await user.type(screen.getByLabelText('Client secret'), 'GOCSPX-secret');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    // (Notifications of earlier tests may still be on screen: find this alert by its words.)
    const alert = (await screen.findByText(/Nothing was saved/)).closest('[role="alert"]')!;
    expect(alert.textContent).toContain('The system keychain is unavailable');
    expect(alert.textContent).toContain('Unlock it.');
    expect(alert.textContent).toContain('Nothing was saved');
  });

  it("puts the server's field error on the field", async () => {
    backend(() => ({
      status: 422,
      body: { error: { code: 'invalid', field: 'googleIssuer', message: 'The issuer must use https.' } },
    }));
    const user = userEvent.setup();
    renderWithProviders(<SignInSettingsForm settings={on} />);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(errorOf(screen.getByLabelText('Issuer'))).toBe('The issuer must use https.'));
  });

  it('shows the warning about secrets outside the keychain', () => {
    backend(() => ({ body: on }));
    renderWithProviders(<SignInSettingsForm settings={{ ...on, secretsWarning: 'Secrets are kept unencrypted in /x.' }} />);
    expect(screen.getByText('Secrets are kept unencrypted in /x.')).toBeTruthy();
  });
});
