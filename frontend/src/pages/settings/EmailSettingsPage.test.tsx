import { notifications } from '@mantine/notifications';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken } from '../../api/client';
import type { EmailSettings } from '../../api/email';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { checkAppUrl, checkFromAddress, checkHost, checkPort, formValues, toRequest, unencryptedWarning } from './emailForm';
import { EmailSettingsForm, EmailSettingsPage, TestEmail } from './EmailSettingsPage';

type Answer = { status?: number; body?: unknown };

const off: EmailSettings = {
  configured: false,
  host: '',
  port: 587,
  security: 'starttls',
  username: '',
  passwordSet: false,
  fromName: 'Gatehouse',
  fromAddress: '',
  appUrl: '',
  notifications: { projectAdded: true, taskAssigned: true, taskReviewed: true, mentioned: true },
};
const on: EmailSettings = {
  ...off,
  configured: true,
  host: 'smtp.example.com',
  username: 'gatehouse@example.com',
  passwordSet: true,
  fromAddress: 'gatehouse@example.com',
  appUrl: 'http://office-server:8787',
};

const me = makeMe({ permissions: [{ key: 'settings.email', scope: '' }], nav: ['overview', 'settings'] });

function serve(answer: (req: Request) => Answer) {
  return mockFetch((req) => answer(req));
}

const input = (label: string | RegExp) => screen.getByLabelText(label, { selector: 'input' });
const puts = (calls: Request[]) => calls.filter((c) => c.method === 'PUT');
const save = () => userEvent.click(screen.getByRole('button', { name: 'Save' }));

describe('email settings checks', () => {
  it('takes a host name or an address, without scheme or port', () => {
    expect(checkHost('')).toBeNull();
    expect(checkHost('smtp.example.com')).toBeNull();
    expect(checkHost('SMTP.Example.com.')).toBeNull();
    expect(checkHost('127.0.0.1')).toBeNull();
    expect(checkHost('::1')).toBeNull();
    expect(checkHost('smtp://smtp.example.com')).toMatch(/no scheme/);
    expect(checkHost('smtp.example.com:587')).toMatch(/no port/);
    expect(checkHost('two words')).toMatch(/SMTP server/);
  });

  it('takes a port from 1 to 65535', () => {
    expect(checkPort(587)).toBeNull();
    expect(checkPort('')).toMatch(/1 to 65535/);
    expect(checkPort(0)).toMatch(/1 to 65535/);
    expect(checkPort(70000)).toMatch(/1 to 65535/);
  });

  it('needs a sender address once a server is set', () => {
    expect(checkFromAddress('', '')).toBeNull();
    expect(checkFromAddress('', 'smtp.example.com')).toMatch(/address mail is sent from/);
    expect(checkFromAddress('Gatehouse <g@example.com>', '')).toMatch(/one email address/);
    expect(checkFromAddress('g@example.com', 'smtp.example.com')).toBeNull();
  });

  it('takes an http(s) address for links', () => {
    expect(checkAppUrl('')).toBeNull();
    expect(checkAppUrl('http://office-server:8787')).toBeNull();
    expect(checkAppUrl('https://gatehouse.example.com/')).toBeNull();
    expect(checkAppUrl('office-server:8787')).toMatch(/office-server/);
    expect(checkAppUrl('ftp://office-server')).toMatch(/office-server/);
    expect(checkAppUrl('http://office-server:8787/?x=1')).toMatch(/office-server/);
  });

  it('sends the password only when one was typed, and removing it only when asked', () => {
    const values = formValues(on);
    expect(toRequest(values)).toEqual({
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls',
      username: 'gatehouse@example.com',
      fromName: 'Gatehouse',
      fromAddress: 'gatehouse@example.com',
      appUrl: 'http://office-server:8787',
      notifications: { projectAdded: true, taskAssigned: true, taskReviewed: true, mentioned: true },
    });
    expect(toRequest({ ...values, password: 's3cret' }).password).toBe('s3cret');
    expect(toRequest({ ...values, clearPassword: true }).clearPassword).toBe(true);
    expect(toRequest({ ...values, password: 's3cret', clearPassword: true })).not.toHaveProperty('clearPassword');
    expect(toRequest({ ...values, appUrl: ' http://office-server:8787/ ' }).appUrl).toBe('http://office-server:8787');
  });
});

describe('EmailSettingsForm', () => {
  afterEach(() => {
    setToken(null);
    notifications.clean();
  });

  it('asks for the sender once a server is typed, and sends nothing until then', async () => {
    const { calls } = serve(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<EmailSettingsForm settings={off} />);
    expect(screen.getByText(/Email is off/)).toBeTruthy();
    await user.type(input('SMTP server'), 'smtp://mail');
    await user.type(input('Gatehouse address for links'), 'office-server');
    await save();
    expect(errorOf(input('SMTP server'))).toMatch(/no scheme/);
    expect(errorOf(input('Sender address'))).toBe('Enter the address mail is sent from');
    expect(errorOf(input('Gatehouse address for links'))).toMatch(/http:\/\/office-server:8787/);
    expect(puts(calls)).toHaveLength(0);
  });

  it('saves every field, with the password typed and the notification switches', async () => {
    const { calls } = serve(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<EmailSettingsForm settings={off} />);
    await user.type(input('SMTP server'), 'smtp.example.com');
    await user.type(input('User name'), 'gatehouse@example.com');
    await user.type(input('Password'), 'app-password');
    await user.type(input('Sender address'), 'gatehouse@example.com');
    await user.type(input('Gatehouse address for links'), 'http://office-server:8787');
    await user.click(screen.getByRole('switch', { name: 'A task is assigned to me' }));
    await save();
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toEqual({
      host: 'smtp.example.com',
      port: 587,
      security: 'starttls',
      username: 'gatehouse@example.com',
      password: 'app-password',
      fromName: 'Gatehouse',
      fromAddress: 'gatehouse@example.com',
      appUrl: 'http://office-server:8787',
      notifications: { projectAdded: true, taskAssigned: false, taskReviewed: true, mentioned: true },
    });
    expect(await screen.findByText('Email settings saved.')).toBeTruthy();
  });

  it('keeps the stored password when the field stays empty, and removes it when asked', async () => {
    const { calls } = serve(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<EmailSettingsForm settings={on} />);
    expect(screen.getByText(/A password is stored in the keychain/)).toBeTruthy();
    await save();
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    const kept = await puts(calls)[0].json();
    expect(kept).not.toHaveProperty('password');
    expect(kept).not.toHaveProperty('clearPassword');

    await user.click(screen.getByRole('checkbox', { name: /Remove the stored password/ }));
    expect((input('Password') as HTMLInputElement).disabled).toBe(true);
    await save();
    await waitFor(() => expect(puts(calls)).toHaveLength(2));
    expect((await puts(calls)[1].json()).clearPassword).toBe(true);
  });

  it('warns that "none" sends passwords and links unencrypted, and moves the port along with the security', async () => {
    const { calls } = serve(() => ({ body: on }));
    const user = userEvent.setup();
    renderWithProviders(<EmailSettingsForm settings={on} />);
    expect(screen.queryByText(unencryptedWarning())).toBeNull();
    const security = input('Security');
    await user.click(security);
    await user.click(await screen.findByRole('option', { name: /None/ }));
    expect(screen.getByText(unencryptedWarning())).toBeTruthy();
    expect((input('Port') as HTMLInputElement).value).toBe('25');
    await user.click(security);
    await user.click(await screen.findByRole('option', { name: /^TLS/ }));
    expect(screen.queryByText(unencryptedWarning())).toBeNull();
    expect((input('Port') as HTMLInputElement).value).toBe('465');
    // A port typed by hand stays.
    await user.clear(input('Port'));
    await user.type(input('Port'), '2525');
    await user.click(security);
    await user.click(await screen.findByRole('option', { name: /STARTTLS/ }));
    expect((input('Port') as HTMLInputElement).value).toBe('2525');
    await save();
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toMatchObject({ security: 'starttls', port: 2525 });
  });

  it("shows the server's warnings", () => {
    serve(() => ({ body: on }));
    renderWithProviders(
      <EmailSettingsForm
        settings={{ ...on, security: 'none', warning: 'Mail is sent without encryption.', secretsWarning: 'Secrets are kept unencrypted in /x.' }}
      />,
    );
    expect(screen.getByText('Mail is sent without encryption.')).toBeTruthy();
    expect(screen.getByText('Secrets are kept unencrypted in /x.')).toBeTruthy();
    // The server's warning says it already: not twice.
    expect(screen.queryByText(unencryptedWarning())).toBeNull();
  });

  it("puts the server's field error on the field", async () => {
    serve(() => ({ status: 422, body: { error: { code: 'invalid', field: 'host', message: 'Enter the SMTP server’s name.' } } }));
    renderWithProviders(<EmailSettingsForm settings={on} />);
    await save();
    await waitFor(() => expect(errorOf(input('SMTP server'))).toBe('Enter the SMTP server’s name.'));
  });

  it('says clearly when the keychain is unavailable', async () => {
    serve(() => ({
      status: 503,
      body: { error: { code: 'keychain_unavailable', message: 'The system keychain is unavailable (locked). Unlock it.' } },
    }));
    const user = userEvent.setup();
    renderWithProviders(<EmailSettingsForm settings={on} />);
    await user.type(input('Password'), 'new-password');
    await save();
    const alert = (await screen.findByText(/Nothing was saved/)).closest('[role="alert"]')!;
    expect(alert.textContent).toContain('The system keychain is unavailable');
    expect(alert.textContent).toContain('Unlock it.');
  });
});

describe('EmailSettingsPage', () => {
  afterEach(() => setToken(null));

  it('says clearly when the keychain cannot be read', async () => {
    setToken('tok');
    serve(() => ({ status: 503, body: { error: { code: 'keychain_unavailable', message: 'The system keychain is unavailable (locked).' } } }));
    renderWithProviders(<EmailSettingsPage me={me} />);
    const alert = (await screen.findByText(/Unlock the keychain/)).closest('[role="alert"]')!;
    expect(alert.textContent).toContain('The system keychain is unavailable (locked).');
  });
});

describe('Send a test email', () => {
  afterEach(() => setToken(null));

  const section = () => within(screen.getByRole('region', { name: 'Send a test email' }));
  const send = () => userEvent.click(section().getByRole('button', { name: 'Send a test email' }));

  it('sends to one’s own address unless told otherwise, and shows what the server answered', async () => {
    const { calls } = serve(() => ({ body: { ok: true, reply: '250 2.0.0 OK queued as 7F3A' } }));
    renderWithProviders(<TestEmail me={me} settings={on} />);
    expect(section().getByText(/your own address \(sam@example\.test\)/)).toBeTruthy();
    await send();
    const result = await section().findByRole('status');
    expect(result.textContent).toContain('The server accepted the test email');
    expect(result.textContent).toContain('250 2.0.0 OK queued as 7F3A');
    expect(await calls[0].json()).toEqual({});

    await userEvent.type(section().getByLabelText('Send to'), 'ops@example.com');
    await send();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(await calls[1].json()).toEqual({ to: 'ops@example.com' });
  });

  it("shows a refusal in red with the server's answer", async () => {
    serve(() => ({ body: { ok: false, reply: '535 5.7.8 Username and Password not accepted' } }));
    renderWithProviders(<TestEmail me={me} settings={on} />);
    await send();
    const result = await section().findByRole('alert');
    expect(result.textContent).toContain('The test email was not sent');
    expect(result.textContent).toContain('535 5.7.8 Username and Password not accepted');
  });

  it('puts a wrong recipient on its field, and needs saved settings first', async () => {
    serve(() => ({ status: 422, body: { error: { code: 'invalid', field: 'to', message: 'Enter one email address.' } } }));
    const { unmount } = renderWithProviders(<TestEmail me={me} settings={on} />);
    await userEvent.type(section().getByLabelText('Send to'), 'a, b');
    await send();
    await waitFor(() => expect(errorOf(section().getByLabelText('Send to'))).toBe('Enter one email address.'));
    unmount();

    renderWithProviders(<TestEmail me={me} settings={off} />);
    expect(section().getByText('Save a server and a sender address first.')).toBeTruthy();
    const button = section().getByRole('button', { name: 'Send a test email' });
    expect(button.hasAttribute('disabled') || button.getAttribute('data-disabled') === 'true').toBe(true);
  });
});
