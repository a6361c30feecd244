import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { errorOf, mockFetch, renderWithProviders } from '../../test/render';
import { BackupsPage } from './BackupsPage';

const settings = {
  folder: '',
  automatic: false,
  lastAt: null,
  lastFile: '',
  lastError: '',
  dataFolder: '/home/o/.config/Gatehouse',
  mayBackUp: true,
  database: 'sqlite',
  backups: [],
};

describe('BackupsPage', () => {
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('asks for a folder before a daily backup, shows the server refusal under the field, and how to restore', async () => {
    const { calls } = mockFetch((req) => {
      if (req.method === 'PUT')
        return { status: 422, body: { error: { code: 'invalid', field: 'folder', message: 'Give the folder\'s full path, such as /home/ana/Backups.' } } };
      if (req.url.endsWith('/api/status')) return { body: { window: false } };
      return { body: settings };
    });
    renderWithProviders(<BackupsPage />);
    const folder = await screen.findByLabelText(/Backup folder/);
    expect(screen.getByRole('button', { name: 'Back up now' })).toHaveProperty('disabled', true);
    expect(screen.getByText(/gatehouse admin restore --from BACKUP-FILE --data "\/home\/o\/.config\/Gatehouse"/)).toBeTruthy();
    fireEvent.click(screen.getByRole('switch', { name: /every day/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(errorOf(folder)).toMatch(/Choose the folder/));
    expect(calls.some((c) => c.method === 'PUT')).toBe(false);
    fireEvent.change(folder, { target: { value: 'Backups' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(errorOf(folder)).toMatch(/full path/));
    const put = calls.find((c) => c.method === 'PUT');
    expect(await put?.json()).toEqual({ folder: 'Backups', automatic: true });
  });

  it('lists the backups in the folder and says when the last daily one failed', async () => {
    mockFetch((req) => {
      if (req.url.endsWith('/api/status')) return { body: { window: false } };
      return {
        body: {
          ...settings,
          folder: '/media/disk/Backups',
          automatic: true,
          lastAt: '2026-11-30T09:00:00Z',
          lastError: 'no space left on device',
          backups: [{ name: 'gatehouse-auto-20261129-090000.gatehouse-backup', size: 2048, createdAt: '2026-11-29T09:00:00Z', automatic: true }],
        },
      };
    });
    renderWithProviders(<BackupsPage />);
    expect(await screen.findByText('gatehouse-auto-20261129-090000.gatehouse-backup')).toBeTruthy();
    expect(screen.getByText('Daily')).toBeTruthy();
    expect(screen.getByText('no space left on device')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back up now' })).toHaveProperty('disabled', false);
  });

  it('explains why someone without every Admin permission cannot back up, in Portuguese too', async () => {
    await i18n.changeLanguage('pt-BR');
    mockFetch((req) => (req.url.endsWith('/api/status') ? { body: { window: false } } : { body: { ...settings, mayBackUp: false } }));
    renderWithProviders(<BackupsPage />);
    expect(await screen.findByText(/exige todas as permissões da função Admin/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Baixar um backup' })).toHaveProperty('disabled', true);
  });

  it('on PostgreSQL says the database server makes the backups, and offers none', async () => {
    mockFetch((req) => (req.url.endsWith('/api/status') ? { body: { window: false } } : { body: { ...settings, database: 'postgres' } }));
    renderWithProviders(<BackupsPage />);
    expect(await screen.findByText('Backups are made by the database server')).toBeTruthy();
    expect(screen.getByText(/pg_dump/).textContent).toContain('/home/o/.config/Gatehouse');
    expect(screen.queryByRole('button', { name: 'Back up now' })).toBeNull();
    expect(screen.queryByLabelText(/Backup folder/)).toBeNull();
  });
});
