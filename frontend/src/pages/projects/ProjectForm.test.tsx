import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { setToken, type Me, type Project } from '../../api/client';
import type { Company } from '../../api/companies';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { ProjectForm } from './ProjectForm';

/** A project manager who may create and edit projects, listing users at `usersScope`. */
const manager = (usersScope: string): Me =>
  makeMe({
    permissions: [
      { key: 'projects.view', scope: 'all' },
      { key: 'projects.create', scope: '' },
      { key: 'projects.edit', scope: '' },
      { key: 'users.view', scope: usersScope },
    ],
    nav: ['projects'],
  });

const company = (id: string, name: string): Company => ({
  id,
  name,
  email: '',
  phone: '',
  address: '',
  createdAt: '2026-01-01T00:00:00Z',
  people: [],
  projects: [],
  actions: [],
});

const website: Project = {
  id: 'p1',
  name: 'Website',
  description: '',
  status: 'active',
  members: [],
  teams: [],
  clients: [],
  taskCount: 0,
  createdAt: '2026-01-01T00:00:00Z',
  actions: ['edit'],
  companyId: 'c-acme',
  companyName: 'Acme Corp',
};

function serve() {
  return mockFetch((req) => {
    const path = new URL(req.url).pathname;
    if (path === '/api/companies') return { body: { items: [company('c-acme', 'Acme Corp'), company('c-glo', 'Globex')], next: null } };
    if (req.method === 'POST') return { status: 201, body: { ...website, id: 'p-new' } };
    if (req.method === 'PATCH') return { body: website };
    return { body: { items: [], next: null, total: 0 } };
  });
}

const companyInput = () => screen.getAllByLabelText('Client company').find((el) => el.tagName === 'INPUT') as HTMLInputElement;
const writes = (calls: Request[]) => calls.filter((c) => c.method !== 'GET');

describe('ProjectForm: the client company', () => {
  it('is chosen at creation by those who list the companies, and sent as companyId', async () => {
    setToken('tok');
    const { calls } = serve();
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ProjectForm me={manager('clients')} onSaved={onSaved} onCancel={() => {}} />);
    await waitFor(() => expect(screen.getAllByLabelText('Client company').length).toBeGreaterThan(0));
    await user.type(screen.getByLabelText(/^Name/), 'Shop');
    await user.click(companyInput());
    await user.click(await screen.findByRole('option', { name: 'Globex' }));
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const [post] = writes(calls);
    expect(new URL(post.url).pathname).toBe('/api/projects');
    expect(await post.json()).toMatchObject({ name: 'Shop', companyId: 'c-glo' });
  });

  it('is not offered without the client list, and nothing is sent for it', async () => {
    setToken('tok');
    const { calls } = serve();
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ProjectForm me={manager('staff')} onSaved={onSaved} onCancel={() => {}} />);
    await user.type(screen.getByLabelText(/^Name/), 'Shop');
    await user.click(screen.getByRole('button', { name: 'Create project' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(screen.queryAllByLabelText('Client company')).toEqual([]);
    expect(calls.map((c) => new URL(c.url).pathname)).not.toContain('/api/companies');
    expect(await writes(calls)[0].json()).not.toHaveProperty('companyId');
  });

  it('on edit, shows the company and sends "" when it is cleared, nothing when it is kept', async () => {
    setToken('tok');
    const { calls } = serve();
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ProjectForm me={manager('all')} project={website} onSaved={onSaved} onCancel={() => {}} />);
    await waitFor(() => expect(companyInput().value).toBe('Acme Corp'));
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    // Mantine's clear button is hidden from the accessibility tree (a mouse shortcut).
    await user.click(screen.getByLabelText('No client company'));
    expect(companyInput().value).toBe('');
    await user.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(2));
    const [kept, cleared] = await Promise.all(writes(calls).map((c) => c.json()));
    expect(kept).not.toHaveProperty('companyId');
    expect(cleared).toMatchObject({ companyId: '' });
  });
});

describe("ProjectForm: what-if of the project's people", () => {
  const membersManager = makeMe({
    permissions: [
      { key: 'projects.view', scope: 'all' },
      { key: 'projects.edit', scope: '' },
      { key: 'projects.members', scope: '' },
      { key: 'users.view', scope: 'all' },
    ],
    nav: ['projects'],
  });
  const bea = { ...membersManager.user, id: 'u-bea', name: 'Bea Staff', email: 'bea@example.test', roleId: 'staff', roleName: 'Staff', roleKind: 'internal' };
  const preview = {
    version: 'v7',
    gained: 2,
    lost: 0,
    people: 1,
    truncated: false,
    changes: [
      { userId: 'u-bea', userName: 'Bea Staff', type: 'project', id: 'p1', name: 'Website', action: 'view', gained: true },
      { userId: 'u-bea', userName: 'Bea Staff', type: 'project', id: 'p1', name: 'Website', action: 'tasks.create', gained: true },
    ],
  };
  const serveMembers = () =>
    mockFetch((req) => {
      const path = new URL(req.url).pathname;
      if (path === '/api/users') return { body: { items: [bea], next: null, total: 1 } };
      if (path === '/api/what-if') return { body: preview };
      if (req.method === 'PATCH') return { body: { ...website, members: ['u-bea'] } };
      return { body: { items: [], next: null, total: 0 } };
    });

  it('shows who gains what before saving a new member, and saves with its version', async () => {
    setToken('tok');
    const { calls } = serveMembers();
    const onSaved = vi.fn();
    const user = userEvent.setup();
    renderWithProviders(<ProjectForm me={membersManager} project={{ ...website, actions: ['edit', 'members'] }} onSaved={onSaved} onCancel={() => {}} />);
    expect(screen.queryByText('What changes')).toBeNull();
    const members = screen.getAllByLabelText('Members').find((el) => el.tagName === 'INPUT')!;
    await user.click(members);
    await user.click(await screen.findByRole('option', { name: 'Bea Staff' }));
    expect(await screen.findByText('1 person gains 2 accesses and loses 0 accesses')).toBeTruthy();
    expect(screen.getByText('gains “view” on project “Website”')).toBeTruthy();
    const asked = calls.find((c) => new URL(c.url).pathname === '/api/what-if')!;
    expect(await asked.json()).toEqual({ project: { id: 'p1', members: ['u-bea'] } });
    const save = screen.getByRole('button', { name: 'Save changes' });
    await waitFor(() => expect((save as HTMLButtonElement).disabled).toBe(false));
    await user.click(save);
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(await patch.json()).toMatchObject({ members: ['u-bea'], expectVersion: 'v7' });
  });

  it('shows no preview to someone who may not change the people', async () => {
    setToken('tok');
    const { calls } = serveMembers();
    renderWithProviders(<ProjectForm me={manager('all')} project={website} onSaved={() => {}} onCancel={() => {}} />);
    await screen.findByLabelText(/^Name/);
    expect(screen.queryByLabelText('Members')).toBeNull();
    expect(screen.queryByText('What changes')).toBeNull();
    expect(calls.some((c) => new URL(c.url).pathname === '/api/what-if')).toBe(false);
  });
});
