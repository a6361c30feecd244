import { render, waitFor } from '@testing-library/react';
import { afterEach } from 'vitest';
import { keys } from './api/hooks';
import i18n from './i18n';
import { Providers, makeQueryClient } from './Providers';

afterEach(async () => {
  await i18n.changeLanguage('en');
  document.documentElement.lang = 'en';
});

describe('Providers', () => {
  it('speaks the language of /api/me once signed in, though signing in cleared the cache', async () => {
    const client = makeQueryClient();
    client.setQueryData(keys.status, { organisation: { language: 'en' } });
    render(
      <Providers client={client} test>
        <p>app</p>
      </Providers>,
    );
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
    // Signed out, the app removes every cached query but the status (App); signing in,
    // it asks for /api/me: a new query under the same key.
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== keys.status[0] });
    client.setQueryData(keys.me, { language: 'pt-BR' });
    await waitFor(() => expect(document.documentElement.lang).toBe('pt-BR'));
    expect(i18n.language).toBe('pt-BR');
  });

  it('follows the organisation’s default when the person chose none, as soon as it changes', async () => {
    const client = makeQueryClient();
    client.setQueryData(keys.status, { organisation: { language: 'en' } });
    render(
      <Providers client={client} test>
        <p>app</p>
      </Providers>,
    );
    await waitFor(() => expect(document.documentElement.lang).toBe('en'));
    client.setQueryData(keys.status, { organisation: { language: 'pt-BR' } });
    await waitFor(() => expect(document.documentElement.lang).toBe('pt-BR'));
  });
});
