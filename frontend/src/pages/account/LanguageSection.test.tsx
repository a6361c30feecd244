import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { makeMe } from '../../test/fixtures';
import { mockFetch, renderWithProviders } from '../../test/render';
import { LanguageSection } from './LanguageSection';

describe('LanguageSection', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('chooses one’s own language and speaks it at once', async () => {
    const me = makeMe({ permissions: [], nav: [] });
    const { calls } = mockFetch((req) => (req.method === 'PUT' ? { body: { ...me, language: 'pt-BR', languageChoice: 'pt-BR' } } : { body: me }));
    const user = userEvent.setup();
    renderWithProviders(<LanguageSection me={me} />);
    await user.click(screen.getAllByLabelText('Language').find((el) => el.tagName === 'INPUT') as HTMLElement);
    await user.click(await screen.findByRole('option', { name: 'Português (Brasil)' }));
    await waitFor(() => expect(calls.filter((c) => c.method === 'PUT')).toHaveLength(1));
    expect(await calls.filter((c) => c.method === 'PUT')[0].json()).toEqual({ language: 'pt-BR' });
    await i18n.changeLanguage('pt-BR');
    expect(await screen.findByRole('region', { name: 'Idioma' })).toBeTruthy();
  });
});
