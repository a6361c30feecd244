import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { mockFetch, renderWithProviders } from '../../test/render';
import { AboutPage } from './AboutPage';

const about = { version: '1.2.3', dataFolder: '/home/o/.config/gatehouse', databaseBytes: 2_097_152, filesBytes: 0, schema: 21, schemaKnown: 21 };

describe('AboutPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });
  it('shows the version, the data folder and its size, and how to update', async () => {
    mockFetch(() => ({ body: about }));
    renderWithProviders(<AboutPage />);
    expect(await screen.findByText('1.2.3')).toBeTruthy();
    expect(screen.getByText('/home/o/.config/gatehouse')).toBeTruthy();
    expect(screen.getByText('2 MB')).toBeTruthy();
    expect(screen.getByText(/install a newer build over this one/)).toBeTruthy();
  });
  it('speaks Portuguese', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch(() => ({ body: about }));
    renderWithProviders(<AboutPage />);
    expect(await screen.findByText('Pasta de dados')).toBeTruthy();
  });
});
