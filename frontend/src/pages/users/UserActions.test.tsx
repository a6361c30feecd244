import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type User } from '../../api/client';
import type { Handover } from '../../api/users';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { UserActions } from './UserActions';

const dee = (over: Partial<User> = {}): User => ({
  id: 'u-dee',
  name: 'Dee Parting',
  email: 'dee@example.test',
  roleId: 'staff',
  roleName: 'Staff',
  roleKind: 'internal',
  status: 'active',
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00Z',
  lastSignInAt: '2026-02-01T09:00:00Z',
  actions: ['users.edit', 'users.credentials', 'users.deactivate', 'users.delete'],
  ...over,
});

const person = (id: string, name: string, active = true) => ({ id, name, kind: 'internal' as const, active });

const busy: Handover = {
  openTasks: 5,
  hiddenOpenTasks: 2,
  comments: 3,
  projects: [
    { projectId: 'p-web', projectName: 'Website', openTasks: 3, candidates: [person('u-ann', 'Ann Able'), person('u-bob', 'Bob Builder')] },
    { projectId: 'p-books', projectName: 'Books', openTasks: 2, candidates: [person('u-ann', 'Ann Able'), person('u-dee', 'Dee Parting')] },
  ],
  // Bob cannot see Books: he is no candidate for all of them. A deactivated person never is.
  candidates: [person('u-ann', 'Ann Able'), person('u-old', 'Olly Old', false)],
};

const idle: Handover = { openTasks: 0, hiddenOpenTasks: 0, comments: 0, projects: [], candidates: [] };

type Answer = { status?: number; body?: unknown };

/** The server: the handover, and answers for the writes (204/200 unless given). */
function serve({ handover = busy, write }: { handover?: Handover; write?: (req: Request) => Answer | undefined } = {}) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path.endsWith('/handover')) return { body: handover };
    if (path === '/api/status') return { body: { setupRequired: false, version: 'test' } };
    const custom = write?.(req);
    if (custom) return custom;
    if (req.method === 'DELETE') return { status: 204 };
    return { body: dee({ status: 'deactivated' }) };
  });
}

const writes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET');

/** A Select's text input by its label (its listbox carries the same label). */
const inputIn = (el: HTMLElement, label: string) => within(el).getAllByLabelText(label).find((x) => x.tagName === 'INPUT')!;

async function pick(user: ReturnType<typeof userEvent.setup>, input: HTMLElement, name: string) {
  await user.click(input);
  await user.click(await screen.findByRole('option', { name }));
}

const optionNames = () => screen.getAllByRole('option').map((o) => o.textContent);

describe('UserActions', () => {
  describe('mails', () => {
    it('offers a reset email beside the reset only when email is set up', async () => {
      setToken('tok');
      const { calls } = serve({
        write: (req) => (req.url.endsWith('/reset-email') ? { status: 202, body: { message: 'A reset link is on its way to dee@example.test.' } } : undefined),
      });
      const user = userEvent.setup();
      const { unmount } = renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      expect(screen.getByRole('button', { name: 'Reset password' })).toBeTruthy();
      expect(screen.queryByRole('button', { name: 'Send reset email' })).toBeNull();
      unmount();

      renderWithProviders(<UserActions user={dee()} emailConfigured onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Send reset email' }));
      expect(await screen.findByText('A reset link is on its way to dee@example.test.')).toBeTruthy();
      expect(writes(calls).map((c) => `${c.method} ${new URL(c.url).pathname}`)).toEqual(['POST /api/users/u-dee/reset-email']);
    });

    it('offers no password or mail to someone who may look after the account but not take it over', () => {
      setToken('tok');
      serve();
      // A People Manager on a Staff member: users.edit and users.deactivate, no users.credentials.
      renderWithProviders(<UserActions user={dee({ actions: ['users.edit', 'users.deactivate'] })} emailConfigured onDeleted={() => {}} />);
      expect(screen.queryByRole('button', { name: 'Reset password' })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Send reset email' })).toBeNull();
      expect(screen.getByRole('button', { name: 'Deactivate' })).toBeTruthy();
    });

    it('shows a refusal (409) with its message', async () => {
      setToken('tok');
      serve({
        write: () => ({ status: 409, body: { error: { code: 'conflict', message: 'Email is not set up any more (Settings → Email).' } } }),
      });
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} emailConfigured onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Send reset email' }));
      const message = await screen.findByText('Email is not set up any more (Settings → Email).');
      // In the section, not a passing notification.
      expect(message.closest('[role="alert"]')?.classList.contains('mantine-Alert-root')).toBe(true);
    });

    it('offers a new invitation only to an active person who never signed in, with users.credentials', async () => {
      setToken('tok');
      const { calls } = serve({
        write: (req) => (req.url.endsWith('/invitation') ? { status: 202, body: { message: 'A new welcome email is on its way.' } } : undefined),
      });
      const user = userEvent.setup();
      const cases: [Partial<User>, boolean, boolean][] = [
        [{ lastSignInAt: null }, true, true],
        [{}, true, false], // has signed in
        [{ lastSignInAt: null, status: 'deactivated' }, true, false],
        [{ lastSignInAt: null }, false, false], // email not set up
        [{ lastSignInAt: null, actions: ['users.deactivate'] }, true, false],
        // users.edit alone: the asker may look after the account, not take it over.
        [{ lastSignInAt: null, actions: ['users.edit', 'users.deactivate'] }, true, false],
      ];
      for (const [over, emailConfigured, offered] of cases) {
        const { unmount } = renderWithProviders(<UserActions user={dee(over)} emailConfigured={emailConfigured} onDeleted={() => {}} />);
        expect(!!screen.queryByRole('button', { name: 'Resend invitation' })).toBe(offered);
        unmount();
      }
      renderWithProviders(<UserActions user={dee({ lastSignInAt: null })} emailConfigured onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Resend invitation' }));
      expect(await screen.findByText('A new welcome email is on its way.')).toBeTruthy();
      expect(writes(calls).map((c) => new URL(c.url).pathname)).toEqual(['/api/users/u-dee/invitation']);
    });
  });

  describe('deactivation', () => {
    it('shows their open tasks by project, and leaves them by default (no body)', async () => {
      setToken('tok');
      const { calls } = serve();
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Deactivate' }));
      const dialog = await screen.findByRole('dialog', { name: 'Deactivate Dee Parting?' });
      const handover = await within(dialog).findByTestId('handover');
      expect(handover.textContent).toContain('Dee Parting has 5 open tasks:');
      const byProject = within(handover).getByRole('list', { name: 'Open tasks by project' });
      expect(within(byProject).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Website: 3 open tasks', 'Books: 2 open tasks']);
      expect(handover.textContent).toContain('2 more open tasks you cannot see stay as they are.');
      expect(dialog.textContent).toContain('their 3 comments stay under their name');
      expect((within(dialog).getByLabelText('Leave them with Dee Parting') as HTMLInputElement).checked).toBe(true);

      await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
      await waitFor(() => expect(writes(calls)).toHaveLength(1));
      const post = writes(calls)[0];
      expect(`${post.method} ${new URL(post.url).pathname}`).toBe('POST /api/users/u-dee/deactivate');
      expect(await post.text()).toBe('');
    });

    it('gives them all to one person, chosen among the candidates only', async () => {
      setToken('tok');
      const { calls } = serve();
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Deactivate' }));
      const dialog = await screen.findByRole('dialog');
      await user.click(await within(dialog).findByLabelText('Give them all to one person'));

      // No one chosen: said on the field, nothing sent.
      await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
      expect(errorOf(inputIn(dialog, 'Who takes them over'))).toBe('Choose who takes their open tasks over');
      expect(writes(calls)).toHaveLength(0);

      await user.click(inputIn(dialog, 'Who takes them over'));
      expect(optionNames()).toEqual(['Ann Able']);
      await user.click(screen.getByRole('option', { name: 'Ann Able' }));
      await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
      await waitFor(() => expect(writes(calls)).toHaveLength(1));
      expect(await writes(calls)[0].json()).toEqual({ reassignTo: 'u-ann' });
    });

    it('hands over per project, each among that project’s candidates, leaving the rest', async () => {
      setToken('tok');
      const { calls } = serve();
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Deactivate' }));
      const dialog = await screen.findByRole('dialog');
      await user.click(await within(dialog).findByLabelText('Choose per project'));

      await user.click(inputIn(dialog, 'Books (2 open tasks)'));
      expect(optionNames()).toEqual(['Ann Able']); // never the leaver
      await user.keyboard('{Escape}');
      await pick(user, inputIn(dialog, 'Website (3 open tasks)'), 'Bob Builder');
      await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
      await waitFor(() => expect(writes(calls)).toHaveLength(1));
      expect(await writes(calls)[0].json()).toEqual({ byProject: { 'p-web': 'u-bob' } });
    });

    it('shows a refusal of a per-project choice above the dialog, which stays open', async () => {
      setToken('tok');
      serve({
        write: () => ({
          status: 422,
          body: { error: { code: 'invalid', message: 'That person cannot take over every open task in “Website”.', field: 'byProject' } },
        }),
      });
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Deactivate' }));
      const dialog = await screen.findByRole('dialog');
      await user.click(await within(dialog).findByLabelText('Choose per project'));
      await pick(user, inputIn(dialog, 'Website (3 open tasks)'), 'Bob Builder');
      await user.click(within(dialog).getByRole('button', { name: 'Deactivate' }));
      expect((await within(dialog).findByRole('alert')).textContent).toContain('That person cannot take over every open task in “Website”.');
      expect(screen.getByRole('dialog')).toBeTruthy();
    });
  });

  describe('deletion', () => {
    it('says plainly what happens, and that there are no open tasks', async () => {
      setToken('tok');
      const onDeleted = vi.fn();
      const { calls } = serve({ handover: idle });
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={onDeleted} />);
      await user.click(screen.getByRole('button', { name: 'Delete user' }));
      const dialog = await screen.findByRole('dialog', { name: 'Delete Dee Parting?' });
      const consequences = within(dialog).getByTestId('delete-consequences').textContent;
      expect(consequences).toContain('The account of Dee Parting and its sign-in are removed for good.');
      expect(consequences).toContain('Their open tasks go to whom you choose below, or become unassigned.');
      expect(consequences).toContain('The activity log keeps its entries.');
      expect(consequences).toContain('their 1:1 conversations stay readable to the other person');
      expect((await within(dialog).findByTestId('handover')).textContent).toBe('Dee Parting has no open tasks.');
      expect(within(dialog).queryByRole('radiogroup')).toBeNull();

      const confirm = within(dialog).getByRole('button', { name: 'Delete for good' });
      expect(confirm.getAttribute('style')).toContain('--mantine-color-red-filled');
      await user.click(confirm);
      await waitFor(() => expect(onDeleted).toHaveBeenCalled());
      const del = writes(calls)[0];
      expect(`${del.method} ${new URL(del.url).pathname}`).toBe('DELETE /api/users/u-dee');
      expect(await del.text()).toBe('');
    });

    it('sends the chosen person with the deletion; tasks the asker cannot see become unassigned', async () => {
      setToken('tok');
      const { calls } = serve();
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Delete user' }));
      const dialog = await screen.findByRole('dialog');
      const handover = await within(dialog).findByTestId('handover');
      expect(handover.textContent).toContain('2 more open tasks you cannot see stay as they are (unassigned on delete).');
      expect(within(dialog).getByLabelText('Leave them unassigned')).toBeTruthy();
      expect(within(dialog).getByTestId('delete-consequences').textContent).toContain('Their 3 comments stay under their name.');

      await user.click(within(dialog).getByLabelText('Give them all to one person'));
      await pick(user, inputIn(dialog, 'Who takes them over'), 'Ann Able');
      await user.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
      await waitFor(() => expect(writes(calls)).toHaveLength(1));
      expect(writes(calls)[0].method).toBe('DELETE');
      expect(await writes(calls)[0].json()).toEqual({ reassignTo: 'u-ann' });
    });

    it('puts a refusal of the chosen person on its field', async () => {
      setToken('tok');
      serve({
        write: () => ({
          status: 422,
          body: { error: { code: 'invalid', message: 'Choose someone who can see and be assigned them.', field: 'reassignTo' } },
        }),
      });
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Delete user' }));
      const dialog = await screen.findByRole('dialog');
      await user.click(await within(dialog).findByLabelText('Give them all to one person'));
      await pick(user, inputIn(dialog, 'Who takes them over'), 'Ann Able');
      await user.click(within(dialog).getByRole('button', { name: 'Delete for good' }));
      await waitFor(() => expect(errorOf(inputIn(dialog, 'Who takes them over'))).toBe('Choose someone who can see and be assigned them.'));
    });

    it('with only tasks the asker cannot see, says so', async () => {
      setToken('tok');
      serve({ handover: { ...idle, hiddenOpenTasks: 1 } });
      const user = userEvent.setup();
      renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
      await user.click(screen.getByRole('button', { name: 'Delete user' }));
      const handover = await screen.findByTestId('handover');
      expect(handover.textContent).toContain('Dee Parting has no open tasks you can see.');
      expect(handover.textContent).toContain('1 more open task you cannot see stays as it is (unassigned on delete).');
    });
  });
});

describe('UserActions in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('counts the open tasks and comments of a leaver in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve();
    const user = userEvent.setup();
    renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Desativar' }));
    const dialog = await screen.findByRole('dialog', { name: 'Desativar Dee Parting?' });
    const handover = await within(dialog).findByTestId('handover');
    expect(handover.textContent).toContain('Dee Parting tem 5 tarefas abertas:');
    const byProject = within(handover).getByRole('list', { name: 'Tarefas abertas por projeto' });
    expect(within(byProject).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['Website: 3 tarefas abertas', 'Books: 2 tarefas abertas']);
    expect(handover.textContent).toContain('Mais 2 tarefas abertas que você não pode ver continuam como estão.');
    expect(dialog.textContent).toContain('seus 3 comentários permanecem com o nome dela');
    expect((within(dialog).getByLabelText('Deixá-las com Dee Parting') as HTMLInputElement).checked).toBe(true);
  });
});

describe('UserActions: two-factor sign-in', () => {
  it('resets it only when the actions say so, after a confirmation', async () => {
    setToken('tok');
    const { calls } = serve();
    const user = userEvent.setup();
    const { unmount } = renderWithProviders(<UserActions user={dee()} onDeleted={() => {}} />);
    expect(screen.queryByRole('button', { name: 'Reset two-factor sign-in' })).toBeNull();
    unmount();

    renderWithProviders(<UserActions user={dee({ twoFactor: true, actions: ['users.edit', 'users.reset_two_factor'] })} onDeleted={() => {}} />);
    await user.click(screen.getByRole('button', { name: 'Reset two-factor sign-in' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reset two-factor sign-in of Dee Parting?' });
    expect(within(dialog).getByText(/signed out everywhere/)).toBeTruthy();
    expect(writes(calls)).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Reset two-factor sign-in' }));
    await waitFor(() => expect(writes(calls)).toHaveLength(1));
    expect(writes(calls)[0].method).toBe('DELETE');
    expect(new URL(writes(calls)[0].url).pathname).toBe('/api/users/u-dee/two-factor');
  });
});
