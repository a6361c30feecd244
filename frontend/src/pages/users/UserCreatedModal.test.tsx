import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken, type Project } from '../../api/client';
import type { UserWithPassword } from '../../api/users';
import { APP_ON_THIS_COMPUTER } from '../../components/GeneratedPasswordModal';
import { mockFetch, renderWithProviders } from '../../test/render';
import { UserCreatedModal } from './UserCreatedModal';

const bill: UserWithPassword = {
  id: 'u-bill',
  name: 'Bill Bookkeeper',
  email: 'bill@example.test',
  roleId: 'staff',
  roleName: 'Staff',
  roleKind: 'internal',
  status: 'active',
  mustChangePassword: true,
  createdAt: '2026-01-01T00:00:00Z',
};

const project = (id: string, name: string, actions: string[], members: string[] = [], status: Project['status'] = 'active'): Project => ({
  id,
  name,
  description: '',
  status,
  members,
  teams: [],
  clients: [],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions,
});

const projects = [
  project('p-web', 'Website', ['edit', 'members'], ['u-ann']),
  project('p-books', 'Books', ['members']),
  project('p-look', 'Look only', []),
  project('p-old', 'Old site', ['members'], [], 'archived'),
];

/** The server: a status (in the window or not), the projects, and adding one person to each. */
function serve({ window = false, refuse = '' }: { window?: boolean; refuse?: string } = {}) {
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/status') return { body: { setupRequired: false, version: 'test', window } };
    if (path === '/api/projects') return { body: { items: projects, next: null, total: projects.length } };
    const one = /^\/api\/projects\/([^/]+)\/people$/.exec(path);
    if (one && req.method === 'POST') {
      const p = projects.find((x) => x.id === one[1])!;
      if (p.id === refuse) return { status: 403, body: { error: { code: 'forbidden', message: 'You may no longer change its members.' } } };
      const body = (await req.json()) as { userId: string };
      return { body: { ...p, members: [...p.members, body.userId] } };
    }
    return { status: 404, body: { error: { code: 'not_found', message: 'Not found' } } };
  });
}

/** The projects picker's text input (its listbox carries the same label). */
const pickerIn = (el: HTMLElement) => within(el).getAllByLabelText('Add them to projects').find((x) => x.tagName === 'INPUT')!;

describe('UserCreatedModal', () => {
  it('hands over everything needed to sign in, once, with one copy of it all', async () => {
    setToken('tok');
    serve();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserCreatedModal created={{ user: { ...bill, welcome: 'not_configured', generatedPassword: 'Gen-1' }, password: 'Gen-1' }} onClose={onClose} />);
    const dialog = await screen.findByRole('dialog', { name: 'Save these sign-in details now' });
    const details = within(dialog).getByRole('table', { name: 'Sign-in details' });
    expect(within(details).getByText(window.location.origin)).toBeTruthy();
    expect(within(details).getByText('bill@example.test')).toBeTruthy();
    expect(within(details).getByTestId('generated-password').textContent).toBe('Gen-1');
    expect(dialog.textContent).toMatch(/must choose their own password when they first sign in/);

    await user.click(within(dialog).getByRole('button', { name: 'Copy all' }));
    const copied = await navigator.clipboard.readText();
    expect(copied).toContain(`Where: ${window.location.origin}`);
    expect(copied).toContain('Email: bill@example.test');
    expect(copied).toContain('Password: Gen-1');
    expect(copied).toContain('choose your own password');

    // On a project already: nothing else to do.
    expect(within(dialog).queryByTestId('add-to-projects')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'I have saved it' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('in the desktop window, says to open the app instead of an address', async () => {
    setToken('tok');
    serve({ window: true });
    renderWithProviders(<UserCreatedModal created={{ user: bill, password: 'typed-password-1' }} onClose={() => {}} />);
    const details = await screen.findByRole('table', { name: 'Sign-in details' });
    expect(await within(details).findByText(APP_ON_THIS_COMPUTER)).toBeTruthy();
    expect(within(details).queryByText(window.location.origin)).toBeNull();
    expect(within(details).getByTestId('generated-password').textContent).toBe('typed-password-1');
  });

  it('after the password, offers the projects whose members the asker may change, and adds them', async () => {
    setToken('tok');
    const { calls } = serve();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(
      <UserCreatedModal created={{ user: { ...bill, withoutProjects: true, welcome: 'not_configured' }, password: 'Gen-1' }} onClose={onClose} />,
    );
    await user.click(await screen.findByRole('button', { name: 'I have saved it' }));
    expect(onClose).not.toHaveBeenCalled();

    const dialog = screen.getByRole('dialog', { name: 'Bill Bookkeeper was added' });
    expect(within(dialog).queryByTestId('generated-password')).toBeNull();
    expect(within(dialog).getByText('Bill Bookkeeper is not on any project yet, so they will see an empty dashboard.')).toBeTruthy();

    // Nothing chosen: said on the field, nothing sent.
    const submit = await within(dialog).findByRole('button', { name: 'Add to project' });
    await user.click(submit);
    const input = pickerIn(dialog);
    expect(screen.getByText('Choose at least one project')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);

    // Active projects with the members action only.
    await user.click(input);
    const options = screen.getAllByRole('option').map((o) => o.textContent);
    expect(options).toEqual(['Website', 'Books']);
    await user.click(screen.getByRole('option', { name: 'Website' }));
    await user.click(screen.getByRole('option', { name: 'Books' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add to 2 projects' }));

    expect(await within(dialog).findByText('Bill Bookkeeper is now on Website and Books.')).toBeTruthy();
    const adds = calls.filter((c) => c.method === 'POST');
    expect(adds.map((c) => new URL(c.url).pathname).sort()).toEqual(['/api/projects/p-books/people', '/api/projects/p-web/people']);
    const web = adds.find((c) => c.url.endsWith('p-web/people'))!;
    // One person added; the other members are the server's to keep.
    expect(await web.json()).toEqual({ userId: 'u-bill' });
    await user.click(within(dialog).getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('with a welcome email on its way, says so beside the offer, and "Not now" closes', async () => {
    setToken('tok');
    const { calls } = serve();
    const onClose = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<UserCreatedModal created={{ user: { ...bill, withoutProjects: true, welcome: 'queued' } }} onClose={onClose} />);
    const dialog = await screen.findByRole('dialog', { name: 'Bill Bookkeeper was added' });
    expect(within(dialog).getByText('A welcome email is on its way to bill@example.test.')).toBeTruthy();
    expect(within(dialog).queryByTestId('generated-password')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Not now' }));
    expect(onClose).toHaveBeenCalled();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it('shows which projects could not be changed, and keeps them chosen', async () => {
    setToken('tok');
    serve({ refuse: 'p-books' });
    const user = userEvent.setup();
    renderWithProviders(<UserCreatedModal created={{ user: { ...bill, withoutProjects: true, welcome: 'queued' } }} onClose={() => {}} />);
    const dialog = await screen.findByRole('dialog');
    await user.click(await waitFor(() => pickerIn(dialog)));
    await user.click(screen.getByRole('option', { name: 'Website' }));
    await user.click(screen.getByRole('option', { name: 'Books' }));
    await user.click(within(dialog).getByRole('button', { name: 'Add to 2 projects' }));
    expect(await within(dialog).findByText('Bill Bookkeeper is now on Website.')).toBeTruthy();
    expect(within(dialog).getByRole('alert').textContent).toContain('Books: You may no longer change its members.');
    await waitFor(() => expect(within(dialog).getByRole('button', { name: 'Add to project' })).toBeTruthy());
  });
});
