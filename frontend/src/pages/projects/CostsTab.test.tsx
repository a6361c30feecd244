import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Project } from '../../api/client';
import i18n from '../../i18n';
import { formatMoney } from '../../lib/money';
import type { ProjectCost, ProjectCosts } from '../../api/costs';
import { makeMe } from '../../test/fixtures';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { today } from './CostDialogs';
import { CostsTab } from './CostsTab';
import { ProjectDetailPage } from './ProjectDetailPage';

const me = makeMe({ permissions: [{ key: 'projects.view', scope: 'all' }], nav: ['overview', 'projects'] });

const project = (actions: string[], extra: Partial<Project> = {}): Project => ({
  id: 'p1',
  name: 'Website',
  description: '',
  status: 'active',
  members: [],
  teams: [],
  clients: [],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions,
  ...extra,
});

const cost = (id: string, description: string, amount: number, date = '2026-11-02'): ProjectCost => ({
  id,
  description,
  amount,
  date,
  createdAt: '2026-11-02T10:00:00Z',
});

const PHOTOS = cost('c1', 'Stock photos', 12900);
const HOSTING = cost('c2', 'Hosting', 45000, '2026-11-05');

type Answer = { status?: number; body?: unknown };

/** The server: the costs as `costs` says, and `answer` for the changes a test decides. */
function serve(costs: ProjectCosts, answer?: (req: Request, path: string) => Promise<Answer | undefined> | Answer | undefined) {
  setToken('tok');
  return mockFetch(async (req) => {
    const path = new URL(req.url).pathname;
    const own = await answer?.(req, path);
    if (own) return own;
    if (path === '/api/projects/p1/costs' && req.method === 'GET') return { body: costs };
    if (path === '/api/projects/p1') return { body: project(['viewCosts'], { budget: costs.budget, spent: costs.spent }) };
    if (req.method === 'DELETE') return { status: 204 };
    return { body: { items: [], next: null, total: 0 } };
  });
}

const figure = (label: string) => within(screen.getByRole('group', { name: label }));

describe('CostsTab', () => {
  it('shows budget, spent and what remains, and the costs, with no changes without editCosts', async () => {
    serve({ currency: 'EUR', budget: 1_000_000, spent: 57_900, items: [PHOTOS, HOSTING] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts'])} />);
    const table = await screen.findByRole('table', { name: 'Extra costs' });
    expect(figure('Budget').getByText('€10,000.00')).toBeTruthy();
    expect(figure('Spent').getByText('€579.00')).toBeTruthy();
    expect(figure('Remaining').getByText('€9,421.00')).toBeTruthy();
    const bar = screen.getByRole('progressbar', { name: 'Budget used' });
    expect(bar.getAttribute('aria-valuenow')).toBe('5');
    expect(bar.getAttribute('style') ?? '').not.toContain('red');
    expect(screen.getByText('5% of the budget spent.')).toBeTruthy();
    const rows = within(table).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'DateDescriptionAmount',
      expect.stringMatching(/Stock photos€129\.00$/),
      expect.stringMatching(/Hosting€450\.00$/),
      'Total€579.00',
    ]);
    expect(screen.queryByRole('button', { name: /budget/i })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Add cost' })).toBeNull();
    expect(screen.queryByRole('button', { name: /Delete/ })).toBeNull();
    expect(screen.queryByTestId('company-cost')).toBeNull();
  });

  it("names the client's cost per month when the answer carries it", async () => {
    serve({ currency: 'EUR', budget: null, spent: 0, items: [], company: { id: 'c1', name: 'Acme Corp', costPerMonth: 250_000 } });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts'])} />);
    expect((await screen.findByTestId('company-cost')).textContent).toBe('Acme Corp, the client: cost per month €2,500.00');
  });

  it('says when the budget is passed, with a red bar', async () => {
    serve({ currency: 'EUR', budget: 50_000, spent: 57_900, items: [PHOTOS, HOSTING] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts'])} />);
    await screen.findByRole('table', { name: 'Extra costs' });
    expect(figure('Over budget by').getByText('€79.00')).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'Remaining' })).toBeNull();
    const bar = screen.getByRole('progressbar', { name: 'Budget used' });
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(bar.getAttribute('style')).toContain('red');
    expect(screen.getByText('Over budget: €579.00 spent of €500.00.')).toBeTruthy();
  });

  it('without a budget or costs: says so', async () => {
    serve({ currency: 'EUR', budget: null, spent: 0, items: [] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await screen.findByText('No extra costs yet');
    expect(figure('Budget').getByText('Not set')).toBeTruthy();
    expect(figure('Remaining').getByText('—')).toBeTruthy();
    expect(screen.queryByRole('progressbar')).toBeNull();
    expect(screen.getByText('No budget is set for this project.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Set budget' })).toBeTruthy();
  });

  it('sets the budget in minor units, and takes it away when emptied', async () => {
    const sent: unknown[] = [];
    const { calls } = serve({ currency: 'EUR', budget: 1_000_000, spent: 0, items: [] }, async (req, path) => {
      if (path === '/api/projects/p1/budget') {
        sent.push(await req.json());
        return { body: { currency: 'EUR', budget: null, spent: 0, items: [] } };
      }
    });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Edit budget' }));
    const dialog = await screen.findByRole('dialog', { name: 'Project budget' });
    const input = within(dialog).getByLabelText('Budget');
    expect((input as HTMLInputElement).value).toBe('10000.00');
    await userEvent.clear(input);
    await userEvent.type(input, '12,500.10');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save budget' }));
    await waitFor(() => expect(sent).toEqual([{ budget: 1_250_010 }]));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Project budget' })).toBeNull());
    // The costs and the project are asked again.
    await waitFor(() => expect(calls.filter((c) => new URL(c.url).pathname === '/api/projects/p1/costs').length).toBeGreaterThan(1));

    await userEvent.click(screen.getByRole('button', { name: 'Edit budget' }));
    const again = await screen.findByRole('dialog', { name: 'Project budget' });
    await userEvent.clear(within(again).getByLabelText('Budget'));
    await userEvent.click(within(again).getByRole('button', { name: 'Save budget' }));
    await waitFor(() => expect(sent).toEqual([{ budget: 1_250_010 }, { budget: null }]));
  });

  it('refuses what is not an amount before sending', async () => {
    const { calls } = serve({ currency: 'EUR', budget: null, spent: 0, items: [] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Set budget' }));
    const dialog = await screen.findByRole('dialog', { name: 'Project budget' });
    await userEvent.type(within(dialog).getByLabelText('Budget'), '12.345');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save budget' }));
    expect(errorOf(within(dialog).getByLabelText('Budget'))).toBe('Use at most 2 decimals.');
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('adds a cost in minor units, and puts a 422 on its field', async () => {
    const sent: unknown[] = [];
    serve({ currency: 'EUR', budget: 1_000_000, spent: 0, items: [] }, async (req, path) => {
      if (path === '/api/projects/p1/costs' && req.method === 'POST') {
        const body = (await req.json()) as { amount: number };
        sent.push(body);
        return body.amount > 100_000_000
          ? { status: 422, body: { error: { code: 'validation', field: 'amount', message: 'Enter an amount in cents (a whole number) from 1 to 1000000000000.' } } }
          : { status: 201, body: cost('c9', 'Stock photos', body.amount) };
      }
    });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Add cost' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add an extra cost' });
    expect((within(dialog).getByLabelText('Date') as HTMLInputElement).value).toBe(today());
    await userEvent.type(within(dialog).getByLabelText('Description'), '  Stock photos ');
    await userEvent.type(within(dialog).getByLabelText('Amount'), '2,000,000');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add cost' }));
    await waitFor(() =>
      expect(errorOf(within(dialog).getByLabelText('Amount'))).toBe('Enter an amount in cents (a whole number) from 1 to 1000000000000.'),
    );
    await userEvent.clear(within(dialog).getByLabelText('Amount'));
    await userEvent.type(within(dialog).getByLabelText('Amount'), '129.9');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add cost' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Add an extra cost' })).toBeNull());
    expect(sent).toEqual([
      { description: 'Stock photos', amount: 200_000_000, date: today() },
      { description: 'Stock photos', amount: 12_990, date: today() },
    ]);
  });

  it('asks for a description, an amount above zero and a date', async () => {
    const { calls } = serve({ currency: 'EUR', budget: null, spent: 0, items: [] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Add cost' }));
    const dialog = await screen.findByRole('dialog', { name: 'Add an extra cost' });
    await userEvent.type(within(dialog).getByLabelText('Amount'), '0');
    await userEvent.clear(within(dialog).getByLabelText('Date'));
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add cost' }));
    expect(errorOf(within(dialog).getByLabelText('Description'))).toBe('Say what the cost was for.');
    expect(errorOf(within(dialog).getByLabelText('Amount'))).toBe('Enter an amount above zero.');
    expect(errorOf(within(dialog).getByLabelText('Date'))).toBe('Enter the date the cost was spent.');
    expect(calls.filter((c) => c.method === 'POST')).toEqual([]);
  });

  it('deletes a cost once confirmed', async () => {
    const { calls } = serve({ currency: 'EUR', budget: 1_000_000, spent: 57_900, items: [PHOTOS, HOSTING] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Delete Hosting' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete this cost?' });
    expect(dialog.textContent).toContain('“Hosting”, €450.00');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Delete cost' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'DELETE' && new URL(c.url).pathname === '/api/project-costs/c2')).toBe(true));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Delete this cost?' })).toBeNull());
  });
});

describe('CostsTab in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('shows the budget, the costs and the client in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve({ currency: 'EUR', budget: 1_000_000, spent: 57_900, items: [PHOTOS, HOSTING], company: { id: 'c1', name: 'Acme Corp', costPerMonth: null } });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    const table = await screen.findByRole('table', { name: 'Custos extras' });
    // Amounts as the language writes them (lib/money's business; spaces as the queries see them).
    const eur = (v: number) => formatMoney(v, 'EUR').replace(/\s+/g, ' ');
    expect(figure('Orçamento').getByText(eur(1_000_000))).toBeTruthy();
    expect(figure('Gasto').getByText(eur(57_900))).toBeTruthy();
    expect(figure('Restante').getByText(eur(942_100))).toBeTruthy();
    expect(screen.getByRole('progressbar', { name: 'Orçamento usado' })).toBeTruthy();
    expect(screen.getByText('5% do orçamento gasto.')).toBeTruthy();
    expect(within(table).getAllByRole('row')[0].textContent).toBe('DataDescriçãoValor');
    expect(screen.getByTestId('company-cost').textContent).toBe('Acme Corp, o cliente: custo por mês não definido');
    expect(screen.getByRole('button', { name: 'Editar orçamento' })).toBeTruthy();
  });

  it('checks a new cost in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve({ currency: 'EUR', budget: null, spent: 0, items: [] });
    renderWithProviders(<CostsTab me={me} project={project(['viewCosts', 'editCosts'])} />);
    expect(await screen.findByText('Nenhum custo extra ainda')).toBeTruthy();
    expect(figure('Orçamento').getByText('Não definido')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Adicionar custo' }));
    const dialog = await screen.findByRole('dialog', { name: 'Adicionar um custo extra' });
    await userEvent.type(within(dialog).getByLabelText('Valor'), '0');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Adicionar custo' }));
    expect(errorOf(within(dialog).getByLabelText('Descrição'))).toBe('Diga para que foi o custo.');
    expect(errorOf(within(dialog).getByLabelText('Valor'))).toBe('Digite um valor maior que zero.');
  });
});

describe('ProjectDetailPage costs', () => {
  it('has a Costs tab only when the project allows viewCosts', async () => {
    setToken('tok');
    mockFetch((req) =>
      new URL(req.url).pathname === '/api/projects/p1' ? { body: project([]) } : { body: { items: [], next: null, total: 0 } },
    );
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
    await screen.findByRole('heading', { name: 'Website' });
    expect(screen.queryByRole('tab', { name: 'Costs' })).toBeNull();
  });

  it('opens the Costs tab on the budget against what was spent', async () => {
    serve({ currency: 'EUR', budget: 1_000_000, spent: 12_900, items: [PHOTOS] });
    renderWithProviders(<ProjectDetailPage me={me} />, { route: '/projects/p1', path: '/projects/:id' });
    await userEvent.click(await screen.findByRole('tab', { name: 'Costs' }));
    await screen.findByRole('table', { name: 'Extra costs' });
    expect(figure('Spent').getByText('€129.00')).toBeTruthy();
  });
});
