import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { useWhatIf, type WhatIf, type WhatIfRequest } from '../api/whatif';
import i18n from '../i18n';
import { mockFetch, renderWithProviders } from '../test/render';
import { WhatIfPanel } from './WhatIfPanel';

function Harness({ proposal, stale }: { proposal: WhatIfRequest | null; stale?: boolean }) {
  return <WhatIfPanel whatIf={useWhatIf(proposal)} stale={stale} />;
}

const proposal: WhatIfRequest = { role: { id: 'r-pm', permissions: [{ key: 'projects.edit', scope: 'all' }] } };

const preview: WhatIf = {
  version: 'v9',
  people: 2,
  gained: 3,
  lost: 1,
  truncated: false,
  changes: [
    { userId: 'u-ana', userName: 'Ana Admin', type: 'project', id: 'p1', name: 'Website', action: 'projects.edit', gained: true },
    { userId: 'u-ana', userName: 'Ana Admin', type: 'permission', id: 'projects.edit', name: '', action: 'hold', gained: true },
    { userId: 'u-bo', userName: 'Bo Builder', type: 'task', id: 't1', name: 'Fix login', action: 'view', gained: true },
    { userId: 'u-bo', userName: 'Bo Builder', type: 'permission', id: 'projects.view', name: '', action: 'scope.all', gained: false },
  ],
};

describe('WhatIfPanel', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('asks for the proposal and shows the counts and the changes by person, in words', async () => {
    const { calls } = mockFetch(() => ({ body: preview }));
    renderWithProviders(<Harness proposal={proposal} />);
    expect(await screen.findByText('2 people gain 3 accesses and lose 1 access')).toBeTruthy();
    expect(calls).toHaveLength(1);
    expect(new URL(calls[0].url).pathname).toBe('/api/what-if');
    expect(await calls[0].json()).toEqual(proposal);
    const ana = screen.getByRole('list', { name: 'Ana Admin' });
    expect(within(ana).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'gains “edit” on project “Website”',
      'gains the permission “Edit projects”',
    ]);
    const bo = screen.getByRole('list', { name: 'Bo Builder' });
    expect(within(bo).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'gains “view” on task “Fix login”',
      'loses “View projects” with scope “all”',
    ]);
    expect(screen.getByText('gains 2')).toBeTruthy();
    expect(screen.getByText('loses 1')).toBeTruthy();
    expect(screen.queryByText(/Only the first/)).toBeNull();
  });

  it('folds a person away and back', async () => {
    mockFetch(() => ({ body: preview }));
    const user = userEvent.setup();
    renderWithProviders(<Harness proposal={proposal} />);
    const toggle = await screen.findByRole('button', { name: /Ana Admin/ });
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    await user.click(toggle);
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
  });

  it("says when no one's access changes", async () => {
    mockFetch(() => ({ body: { ...preview, people: 0, gained: 0, lost: 0, changes: [] } }));
    renderWithProviders(<Harness proposal={proposal} />);
    expect(await screen.findByText(/^Nobody gains or loses access/)).toBeTruthy();
    expect(screen.queryByRole('list')).toBeNull();
  });

  it('says when the list is cut short (the counts cover all)', async () => {
    mockFetch(() => ({ body: { ...preview, people: 40, gained: 3000, lost: 0, truncated: true } }));
    renderWithProviders(<Harness proposal={proposal} />);
    expect(await screen.findByText('40 people gain 3000 accesses and lose 0 accesses')).toBeTruthy();
    expect(screen.getByText('Only the first 4 changes are listed; the counts above cover them all.')).toBeTruthy();
  });

  it("shows the server's refusal", async () => {
    mockFetch(() => ({ status: 403, body: { error: { code: 'forbidden', message: 'You cannot give permissions you do not hold.' } } }));
    renderWithProviders(<Harness proposal={proposal} />);
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not preview this change: You cannot give permissions you do not hold.',
    );
  });

  it('says it is working before the preview arrives, and the stale notice when asked', async () => {
    mockFetch(() => new Promise(() => {}));
    renderWithProviders(<Harness proposal={proposal} stale />);
    expect(screen.getByText('Working out who gains and who loses access…')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('Access changed meanwhile: check the new preview and save again.');
  });

  it('shows nothing and asks nothing without a proposal', async () => {
    const { fn } = mockFetch(() => ({ body: preview }));
    renderWithProviders(<Harness proposal={null} />);
    await new Promise((r) => setTimeout(r, 400));
    expect(fn).not.toHaveBeenCalled();
    expect(screen.queryByText('What changes')).toBeNull();
  });

  it('speaks Brazilian Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch(() => ({ body: preview }));
    renderWithProviders(<Harness proposal={proposal} />);
    expect(await screen.findByText('2 pessoas ganham 3 acessos e perdem 1 acesso')).toBeTruthy();
    expect(screen.getByText('O que muda')).toBeTruthy();
    const ana = screen.getByRole('list', { name: 'Ana Admin' });
    expect(within(ana).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'ganha “editar” no projeto “Website”',
      'ganha a permissão “Editar projetos”',
    ]);
  });
});
