import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { setToken, type TaskType } from '../../api/client';
import i18n from '../../i18n';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { TaskTypesPage } from './TaskTypesPage';

const TYPES: TaskType[] = [
  { id: 'tt-design', name: 'Design', access: [{ type: 'team', id: 'team-1', create: true, assign: false }] },
  { id: 'tt-bug', name: 'Bug', access: [] },
];

function open() {
  setToken('tok');
  mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/task-types') return { body: { items: TYPES } };
    if (path === '/api/teams')
      return { body: { items: [{ id: 'team-1', name: 'Studio', description: '', members: [], leaders: [], actions: [] }], next: null } };
    if (path === '/api/people') return { body: { items: [] } };
    return { status: 404, body: { error: 'not found' } };
  });
  renderWithProviders(<TaskTypesPage me={makeMe({ permissions: [{ key: 'tasks.types', scope: '' }], nav: ['overview', 'taskTypes'] })} />);
}

describe('TaskTypesPage', () => {
  afterEach(async () => {
    setToken(null);
    await i18n.changeLanguage('en');
  });

  it('lists each type with who may create or assign it', async () => {
    open();
    const table = await screen.findByRole('table', { name: 'Task types' });
    expect(await within(table).findByText('Studio: create')).toBeTruthy();
    expect(within(table).getByText('Everyone whose role allows')).toBeTruthy();
    expect(within(table).getByRole('button', { name: 'Edit Design' })).toBeTruthy();
  });

  it('speaks Brazilian Portuguese, down to the form and its checks', async () => {
    await i18n.changeLanguage('pt-BR');
    const user = userEvent.setup();
    open();
    const table = await screen.findByRole('table', { name: 'Tipos de tarefa' });
    expect(await within(table).findByText('Studio: criar')).toBeTruthy();
    expect(within(table).getByText('Todos cuja função permite')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Novo tipo de tarefa' }));
    await user.click(await screen.findByRole('button', { name: 'Criar tipo' }));
    expect(await screen.findByText('Dê um nome ao tipo')).toBeTruthy();
  });
});
