import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { ReportsPage } from './ReportsPage';

const g = (id: string, name: string, open: number, review: number, done: number, overdue: number) => ({ id, name, open, review, done, overdue });
const report = {
  today: '2026-11-22',
  scope: 'team',
  total: { open: 3, review: 1, done: 2, overdue: 1 },
  stages: [{ name: 'To do', kind: 'open', count: 3 }],
  people: [g('u1', 'Sam Staff', 3, 1, 2, 1)],
  projects: [g('p1', 'Website', 3, 1, 2, 1)],
  teams: [g('t1', 'Design', 3, 1, 2, 1)],
  weeks: [{ start: '2026-11-16', count: 2 }],
};

describe('ReportsPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });
  it('shows the totals, per project and per team, for a leader’s teams', async () => {
    mockFetch(() => ({ body: report }));
    renderWithProviders(<ReportsPage />);
    expect(await screen.findByText(/teams you lead/)).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Overdue' })).getByText('1')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Per team' })).getByText('Design')).toBeTruthy();
    expect(within(screen.getByRole('table', { name: 'Per project' })).getByText('Website')).toBeTruthy();
  });
  it('says what to do with no tasks, in Portuguese too', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch(() => ({ body: { ...report, scope: 'all', total: { open: 0, review: 0, done: 0, overdue: 0 }, stages: [], people: [], projects: [], teams: [] } }));
    renderWithProviders(<ReportsPage />);
    expect(await screen.findByText(/Nenhuma tarefa ainda/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Baixar CSV' })).toBeTruthy();
  });
});
