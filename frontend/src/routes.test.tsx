import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Me } from './api/client';
import { AppRoutes } from './routes';
import { mockFetch, renderWithProviders } from './test/render';

const me: Me = {
  user: {
    id: 'u1',
    name: 'Bill Bookkeeper',
    email: 'bill@example.test',
    roleId: 'r1',
    roleName: 'Bookkeeper',
    roleKind: 'internal',
    status: 'active',
    mustChangePassword: false,
    createdAt: '2026-01-01T00:00:00Z',
  },
  role: { id: 'r1', name: 'Bookkeeper', kind: 'internal' },
  permissions: [],
  nav: [{ key: 'overview', label: 'Overview' }],
  emailConfigured: false,
  currency: 'EUR',
};

describe('AppRoutes', () => {
  it('loads a page when it is first opened, saying Loading meanwhile', async () => {
    mockFetch((req) => {
      if (new URL(req.url).pathname === '/api/me/notifications') return { body: { items: [], emailConfigured: false } };
      return { body: { areas: [], items: [] } };
    });
    renderWithProviders(<AppRoutes me={me} />, { route: '/account' });
    // The page's chunk is not in the first load: the fallback shows until it arrives.
    expect(screen.getByLabelText('Loading…').getAttribute('aria-busy')).toBe('true');
    expect(screen.queryByRole('heading', { name: 'My account' })).toBeNull();
    expect(await screen.findByRole('heading', { name: 'My account' })).toBeTruthy();
  });
});
