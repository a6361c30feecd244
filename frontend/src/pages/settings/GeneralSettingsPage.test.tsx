import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { GeneralSettings } from '../../api/organisation';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { checkCurrency, GeneralSettingsForm, GeneralSettingsPage } from './GeneralSettingsPage';

const settings: GeneralSettings = {
  name: '',
  accent: 'indigo',
  timezone: 'UTC',
  currency: 'EUR',
  dateFormat: 'locale',
  numberFormat: 'locale',
  language: 'en',
  logoUrl: '',
  choices: {
    accents: ['indigo', 'teal'],
    dateFormats: ['locale', 'YYYY-MM-DD', 'DD/MM/YYYY'],
    numberFormats: ['locale', '1.234,56'],
    languages: ['en', 'pt-BR'],
  },
};

const puts = (calls: Request[]) => calls.filter((c) => c.method === 'PUT');

describe('general settings', () => {
  it('checks the currency code before asking', () => {
    expect(checkCurrency('brl')).toBeNull();
    expect(checkCurrency('EURO')).toMatch(/three-letter/);
    expect(checkCurrency('')).toMatch(/three-letter/);
  });

  it('saves what was changed, the currency in capitals; a refusal lands on its field', async () => {
    const { calls } = mockFetch((req) =>
      req.method === 'PUT'
        ? { status: 422, body: { error: { code: 'invalid', message: 'Amounts are already kept in EUR.', field: 'currency' } } }
        : { body: settings },
    );
    const user = userEvent.setup();
    renderWithProviders(<GeneralSettingsForm settings={settings} />);
    const save = screen.getByRole('button', { name: 'Save' });
    expect(save.hasAttribute('disabled') || save.getAttribute('data-disabled') === 'true').toBe(true);
    await user.type(screen.getByLabelText('Organisation name'), '  Acme Studio ');
    await user.clear(screen.getByLabelText(/^Currency/));
    await user.type(screen.getByLabelText(/^Currency/), 'brl');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(puts(calls)).toHaveLength(1));
    expect(await puts(calls)[0].json()).toMatchObject({ name: 'Acme Studio', currency: 'BRL', timezone: 'UTC' });
    await waitFor(() => expect(errorOf(screen.getByLabelText(/^Currency/))).toMatch(/already kept in EUR/));
  }, 20_000);

  it('says what to do without a logo', async () => {
    mockFetch(() => ({ body: settings }));
    renderWithProviders(<GeneralSettingsPage />);
    expect(await screen.findByText(/No logo yet/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Add logo' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Remove logo' })).toBeNull();
  });
});
