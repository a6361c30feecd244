import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Me } from '../../api/client';
import type { Company } from '../../api/companies';
import i18n from '../../i18n';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { CompaniesPanel } from './CompaniesPanel';

const acme: Company = {
  id: 'c-acme',
  name: 'Acme Corp',
  email: 'accounts@acme.example',
  phone: '+1 555 0100',
  address: '1 Main St\nSpringfield',
  createdAt: '2026-01-01T00:00:00Z',
  people: [
    { id: 'u-carl', name: 'Carl Client', kind: 'client', active: true },
    { id: 'u-cora', name: 'Cora Client', kind: 'client', active: false },
  ],
  projects: [{ id: 'p-web', name: 'Website' }],
  actions: ['users.edit'],
};
const dora: Company = { ...acme, id: 'c-dora', name: 'Dora Client', email: '', phone: '', address: '', people: [], projects: [], actions: ['users.edit'] };

/** An account manager over clients: users.view, and the given users.* permissions, at scope clients. */
const manager = (keys: string[] = ['users.create', 'users.edit']): Me =>
  makeMe({ permissions: ['users.view', ...keys].map((key) => ({ key, scope: 'clients' })), nav: ['users'] });

type Answer = { status?: number; body?: unknown };

/** GET /api/companies answers `companies`; writes answer `write` (a function of the request). */
function serve(companies: Company[], write: (req: Request) => Answer = () => ({ status: 204 })) {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (req.method === 'GET' && path === '/api/companies') return { body: { items: companies, next: null } };
    if (req.method !== 'GET') return write(req);
    return { body: { items: [], next: null } };
  });
}

const rowOf = (name: string) => screen.getByRole('row', { name: new RegExp(name) });

describe('CompaniesPanel', () => {
  it('lists each company with its contact details, its people and its projects as links; search filters by name', async () => {
    setToken('tok');
    serve([acme, dora]);
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager()} />);
    const row = await screen.findByRole('row', { name: /Acme Corp/ });
    expect(within(row).getByText('accounts@acme.example')).toBeTruthy();
    expect(within(row).getByText('+1 555 0100')).toBeTruthy();
    expect(row.textContent).toContain('Carl Client, Cora Client (deactivated)');
    expect(within(row).getByRole('link', { name: 'Website' }).getAttribute('href')).toBe('/projects/p-web');
    expect(within(rowOf('Dora Client')).getByText('Nobody')).toBeTruthy();
    expect(screen.getByText('2 companies')).toBeTruthy();

    await user.type(screen.getByLabelText('Search companies'), 'acm');
    expect(screen.queryByRole('row', { name: /Dora Client/ })).toBeNull();
    expect(screen.getByText('1 company of 2')).toBeTruthy();
    await user.clear(screen.getByLabelText('Search companies'));
    await user.type(screen.getByLabelText('Search companies'), 'zzz');
    expect(screen.getByText('No companies match')).toBeTruthy();
  });

  it('says how companies come about when there are none', async () => {
    setToken('tok');
    serve([]);
    renderWithProviders(<CompaniesPanel me={manager()} />);
    expect(await screen.findByText('No client companies yet')).toBeTruthy();
    expect(screen.getByText('Create one, or add a client account and it gets a company of its own.')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'New company' })).toHaveLength(2);
  });

  it('offers no change to a role that only lists client accounts, nor on a company without users.edit', async () => {
    setToken('tok');
    serve([{ ...acme, actions: [] }]);
    renderWithProviders(<CompaniesPanel me={manager([])} />);
    await screen.findByRole('row', { name: /Acme Corp/ });
    expect(screen.queryByRole('button', { name: 'New company' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit Acme Corp' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Delete Acme Corp' })).toBeNull();
  });

  it("creates a company, showing a 422 on its field and a 409 name_taken on the name", async () => {
    setToken('tok');
    const answers: Answer[] = [
      { status: 422, body: { error: { code: 'invalid', message: 'Enter one email address, such as accounts@example.com, or leave it empty.', field: 'email' } } },
      { status: 409, body: { error: { code: 'name_taken', message: 'A client company of that name exists already.' } } },
      { status: 201, body: { ...acme, id: 'c-new', name: 'Initech' } },
    ];
    const { calls } = serve([acme], () => answers.shift()!);
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager()} />);
    await user.click(await screen.findByRole('button', { name: 'New company' }));
    const dialog = await screen.findByRole('dialog', { name: 'New client company' });
    await user.type(within(dialog).getByLabelText(/^Name/), 'acme corp');
    await user.type(within(dialog).getByLabelText(/^Email/), 'not an email');
    await user.type(within(dialog).getByLabelText('Address'), '2 Side St');
    await user.click(within(dialog).getByRole('button', { name: 'Create company' }));
    await waitFor(() => expect(errorOf(within(dialog).getByLabelText(/^Email/))).toMatch(/Enter one email address/));

    await user.clear(within(dialog).getByLabelText(/^Email/));
    await user.click(within(dialog).getByRole('button', { name: 'Create company' }));
    await waitFor(() => expect(errorOf(within(dialog).getByLabelText(/^Name/))).toBe('A client company of that name exists already.'));
    expect(within(dialog).queryByRole('alert')).toBeNull();

    await user.clear(within(dialog).getByLabelText(/^Name/));
    await user.type(within(dialog).getByLabelText(/^Name/), 'Initech');
    await user.click(within(dialog).getByRole('button', { name: 'Create company' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'New client company' })).toBeNull());
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => new URL(c.url).pathname)).toEqual(['/api/companies', '/api/companies', '/api/companies']);
    expect(await posts[0].json()).toEqual({ name: 'acme corp', email: 'not an email', phone: '', address: '2 Side St' });
    expect(await posts[2].json()).toEqual({ name: 'Initech', email: '', phone: '', address: '2 Side St' });
  });

  it('edits a company in the same form', async () => {
    setToken('tok');
    const { calls } = serve([acme], () => ({ body: { ...acme, phone: '+1 555 0199' } }));
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager()} />);
    await user.click(await screen.findByRole('button', { name: 'Edit Acme Corp' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit Acme Corp' });
    expect((within(dialog).getByLabelText('Address') as HTMLTextAreaElement).value).toBe('1 Main St\nSpringfield');
    await user.clear(within(dialog).getByLabelText('Phone'));
    await user.type(within(dialog).getByLabelText('Phone'), '+1 555 0199');
    await user.click(within(dialog).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Edit Acme Corp' })).toBeNull());
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(new URL(patch.url).pathname).toBe('/api/companies/c-acme');
    expect(await patch.json()).toEqual({ name: 'Acme Corp', email: 'accounts@acme.example', phone: '+1 555 0199', address: '1 Main St\nSpringfield' });
  });

  it('says in the modal why a company with people is not deleted, and that its projects stay', async () => {
    setToken('tok');
    const { calls } = serve([acme], () => ({
      status: 409,
      body: { error: { code: 'company_has_people', message: 'Acme Corp still has 2 portal account(s): move them to another company or delete them first.' } },
    }));
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager()} />);
    await user.click(await screen.findByRole('button', { name: 'Delete Acme Corp' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete Acme Corp?' });
    expect(within(dialog).getByText('Its project stays, without a company.')).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Delete company' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Acme Corp still has 2 portal account(s)');
    const del = calls.find((c) => c.method === 'DELETE')!;
    expect(new URL(del.url).pathname).toBe('/api/companies/c-acme');
  });

  it('shows no cost per month to someone whose answer does not carry it', async () => {
    setToken('tok');
    serve([acme, dora]);
    renderWithProviders(<CompaniesPanel me={manager()} />);
    await screen.findByRole('row', { name: /Acme Corp/ });
    expect(screen.queryByRole('columnheader', { name: 'Cost per month' })).toBeNull();
    expect(screen.queryByRole('button', { name: /cost per month/ })).toBeNull();
  });

  it('shows the cost per month where the answer carries it, changed only with costs.edit', async () => {
    setToken('tok');
    serve([
      { ...acme, actions: ['costs.view'], costPerMonth: 250_000 },
      { ...dora, actions: ['costs.view'], costPerMonth: null },
    ]);
    renderWithProviders(<CompaniesPanel me={manager([])} />);
    await screen.findByRole('row', { name: /Acme Corp/ });
    expect(screen.getByRole('columnheader', { name: 'Cost per month' })).toBeTruthy();
    expect(within(rowOf('Acme Corp')).getByText('€2,500.00')).toBeTruthy();
    expect(within(rowOf('Dora Client')).getByText('Not set')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /cost per month/ })).toBeNull();
  });

  it('sets the cost per month in minor units with costs.edit (without users.edit), and clears it when emptied', async () => {
    setToken('tok');
    let puts = 0;
    const { calls } = serve([{ ...acme, actions: ['costs.view', 'costs.edit'], costPerMonth: 250_000 }], () =>
      puts++ === 0
        ? { status: 422, body: { error: { code: 'validation', field: 'costPerMonth', message: 'Enter an amount in cents (a whole number) from 0 to 1000000000000.' } } }
        : { body: { ...acme, costPerMonth: null } },
    );
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager([])} />);
    // No Edit or Delete: those follow users.edit.
    await screen.findByRole('row', { name: /Acme Corp/ });
    expect(screen.queryByRole('button', { name: 'Edit Acme Corp' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Set the cost per month of Acme Corp' }));
    const dialog = await screen.findByRole('dialog', { name: 'Cost per month of Acme Corp' });
    const input = within(dialog).getByLabelText('Cost per month');
    expect((input as HTMLInputElement).value).toBe('2500.00');
    await user.clear(input);
    await user.type(input, '3,000.5');
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(errorOf(input)).toBe('Enter an amount in cents (a whole number) from 0 to 1000000000000.'));
    await user.clear(input);
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Cost per month of Acme Corp' })).toBeNull());
    const sent = calls.filter((c) => c.method === 'PUT');
    expect(sent.map((c) => new URL(c.url).pathname)).toEqual(['/api/companies/c-acme/cost', '/api/companies/c-acme/cost']);
    expect(await Promise.all(sent.map((c) => c.json()))).toEqual([{ costPerMonth: 300_050 }, { costPerMonth: null }]);
  });
});

describe('CompaniesPanel in Brazilian Portuguese', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('lists, counts and deletes companies in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    setToken('tok');
    serve([acme, dora]);
    const user = userEvent.setup();
    renderWithProviders(<CompaniesPanel me={manager()} />);
    const row = await screen.findByRole('row', { name: /Acme Corp/ });
    expect(row.textContent).toContain('Carl Client, Cora Client (desativado)');
    expect(within(rowOf('Dora Client')).getByText('Ninguém')).toBeTruthy();
    expect(screen.getByText('2 empresas')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'Telefone' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Nova empresa' })).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Excluir Acme Corp' }));
    const dialog = await screen.findByRole('dialog', { name: 'Excluir Acme Corp?' });
    expect(within(dialog).getByText('O projeto dela permanece, sem empresa.')).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'Excluir empresa' })).toBeTruthy();
  });
});
