import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../i18n';
import { makeMe } from '../test/fixtures';
import { areaLabel, coversClients, groupGrants, navLabel, pageLabel, pageName, permissionDescription, permissionLabel, scopeLabel, templateName } from './permissions';

describe('groupGrants', () => {
  const grants = [
    { key: 'invoices.view', scope: 'all' },
    { key: 'projects.view', scope: 'assigned' },
    { key: 'payments.view', scope: '' },
    { key: 'roles.manage', scope: '' },
  ];

  it('uses the catalog areas, labels and order when at hand', () => {
    const groups = groupGrants(grants, {
      areas: [
        { key: 'projects', label: 'Projects' },
        { key: 'users', label: 'Users' },
        { key: 'invoicing', label: 'Invoicing' },
      ],
      items: [
        { key: 'projects.view', area: 'projects', label: 'View projects', description: '', scopes: ['assigned', 'all'] },
        { key: 'roles.manage', area: 'users', label: 'Manage roles', description: '', scopes: [] },
        { key: 'invoices.view', area: 'invoicing', label: 'View invoices', description: '', scopes: ['own', 'all'] },
        { key: 'payments.view', area: 'invoicing', label: 'View payments', description: '', scopes: [] },
      ],
    });
    expect(groups.map((g) => g.label)).toEqual(['Projects', 'Users', 'Invoicing']);
    expect(groups[2].items.map((i) => [i.label, i.scope])).toEqual([
      ['View invoices', 'all'],
      ['View payments', undefined],
    ]);
  });

  it('falls back to the key prefix, folding known prefixes into their area', () => {
    const groups = groupGrants(grants);
    expect(groups.map((g) => g.label)).toEqual(['Invoicing', 'Projects', 'Users']);
    expect(groups[0].items.map((i) => i.key)).toEqual(['invoices.view', 'payments.view']);
  });
});

describe('planned permissions', () => {
  it('are left out, so the UI never promises a feature Gatehouse does not have yet', () => {
    const catalog = {
      areas: [{ key: 'chat', label: 'Chat / Communication' }],
      items: [
        { key: 'chat.team', area: 'chat', label: 'Team chat', description: 'Use the team chat.', scopes: [], planned: true },
        { key: 'chat.task_comments', area: 'chat', label: 'Task comments', description: 'Comment on tasks.', scopes: [] },
      ],
    };
    const [group] = groupGrants([{ key: 'chat.team' }, { key: 'chat.task_comments' }], catalog);
    expect(group.items.map((i) => i.key)).toEqual(['chat.task_comments']);
  });
});

describe('coversClients', () => {
  const me = (scope: string, kind: 'internal' | 'client' = 'internal') =>
    makeMe({ role: { id: 'r', name: 'R', kind }, permissions: [{ key: 'users.view', scope }], nav: [] });

  it('holds for users.* at scope clients or all, for team roles only', () => {
    expect(coversClients(me('clients'), 'users.view')).toBe(true);
    expect(coversClients(me('all'), 'users.view')).toBe(true);
    expect(coversClients(me('staff'), 'users.view')).toBe(false);
    expect(coversClients(me('all'), 'users.create')).toBe(false);
    expect(coversClients(me('all', 'client'), 'users.view')).toBe(false);
    expect(coversClients(undefined, 'users.view')).toBe(false);
  });
});

describe('texts the server sends, in the UI language', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('are the server English in English', () => {
    expect(permissionLabel({ key: 'projects.view', label: 'See projects (server)' })).toBe('See projects (server)');
    expect(navLabel({ key: 'users', label: 'Clients' })).toBe('Clients');
  });

  it('are translated by key in Brazilian Portuguese, and left as the server says when the key is unknown', async () => {
    await i18n.changeLanguage('pt-BR');
    expect(permissionLabel({ key: 'projects.view', label: 'View projects' })).toBe('Ver projetos');
    expect(permissionDescription({ key: 'chat.direct', description: 'Send direct messages.' })).toBe('Enviar mensagens diretas.');
    expect(permissionLabel({ key: 'brand.new', label: 'A brand new permission' })).toBe('A brand new permission');
    expect(areaLabel({ key: 'invoicing', label: 'Invoicing / Financial' })).toBe('Faturamento / Financeiro');
    expect(templateName({ key: 'bookkeeper', name: 'Bookkeeper' })).toBe('Contador');
    expect(templateName({ key: 'my-own', name: 'My own' })).toBe('My own');
    expect(scopeLabel('all')).toBe('todos');
    // The users page is named by what the role sees: translated by the server's name.
    expect(navLabel({ key: 'users', label: 'Clients' })).toBe('Clientes');
    expect(navLabel({ key: 'users', label: 'Team' })).toBe('Equipe');
    expect(navLabel({ key: 'invoicing', label: 'Invoices' })).toBe('Faturas');
    expect(pageName(makeMe({ permissions: [], nav: ['overview'] }), 'overview')).toBe('Visão geral');
    // pageLabel stays the server's word, to tell the users page's variants apart.
    expect(pageLabel(makeMe({ permissions: [], nav: ['users'] }), 'users')).toBe('Team');
    const [group] = groupGrants([{ key: 'chat.team' }], {
      areas: [{ key: 'chat', label: 'Chat / Communication' }],
      items: [{ key: 'chat.team', area: 'chat', label: 'Team chat', description: 'Use the team chat.', scopes: [] }],
    });
    expect([group.label, group.items[0].label]).toEqual(['Chat / Comunicação', 'Chat da equipe']);
  });
});
