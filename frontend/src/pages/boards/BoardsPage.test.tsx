import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type Board } from '../../api/client';
import i18n from '../../i18n';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { BoardsPage } from './BoardsPage';

const me = makeMe({
  permissions: [
    { key: 'tasks.view', scope: 'all' },
    { key: 'tasks.columns', scope: '' },
  ],
  nav: ['overview', 'boards'],
});

const sprint: Board = {
  id: 'b1',
  name: 'Sprint',
  visibility: 'all',
  stages: [
    { id: 's-todo', name: 'To do', kind: 'open' },
    { id: 's-done', name: 'Done', kind: 'done' },
  ],
  access: [],
  myLevel: 'editor',
  actions: ['work', 'edit'],
};

function serve(boards: Board[]) {
  setToken('tok');
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/boards') return { body: { items: boards, next: null } };
    return { body: { items: [], next: null, total: 0 } };
  });
}

describe('BoardsPage', () => {
  it('lists boards with their stages and one’s level, and offers a new one with the usual stages', async () => {
    serve([sprint]);
    renderWithProviders(<BoardsPage me={me} />);
    const card = await screen.findByTestId('board-card');
    expect(within(card).getByText('2 stages: To do → Done')).toBeTruthy();
    expect(within(card).getByText('Open')).toBeTruthy();
    expect(within(card).getByText('You are an editor')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'New board' }));
    expect(((await screen.findByRole('textbox', { name: 'Stage 1 name' })) as HTMLInputElement).value).toBe('To do');
    expect((screen.getByRole('textbox', { name: 'Stage 3 name' }) as HTMLInputElement).value).toBe('Client review');
  });
});

describe('BoardsPage in Brazilian Portuguese', () => {
  afterEach(() => i18n.changeLanguage('en'));

  it('speaks Portuguese, and a new board starts with stages named in Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    serve([sprint]);
    renderWithProviders(<BoardsPage me={me} />);
    const card = await screen.findByTestId('board-card');
    expect(screen.getByRole('heading', { name: 'Quadros' })).toBeTruthy();
    expect(within(card).getByText('2 etapas: To do → Done')).toBeTruthy();
    expect(within(card).getByText('Aberto')).toBeTruthy();
    expect(within(card).getByText('Você é editor')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Novo quadro' }));
    const first = (await screen.findByRole('textbox', { name: 'Nome da etapa 1' })) as HTMLInputElement;
    expect(first.value).toBe('A fazer');
    expect((screen.getByRole('textbox', { name: 'Nome da etapa 4' }) as HTMLInputElement).value).toBe('Concluído');
    expect(screen.getByRole('radiogroup', { name: 'Quem vê este quadro' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Criar quadro' })).toBeTruthy();
    await userEvent.clear(first);
    await userEvent.click(screen.getByRole('button', { name: 'Criar quadro' }));
    expect(await screen.findByText('Toda etapa precisa de um nome')).toBeTruthy();
  });

  it('says so when there is no board yet', async () => {
    await i18n.changeLanguage('pt-BR');
    serve([]);
    renderWithProviders(<BoardsPage me={me} />);
    expect(await screen.findByText('Nenhum quadro ainda')).toBeTruthy();
  });
});
