import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { errorOf, mockFetch, renderWithProviders } from '../test/render';
import { SetupPage } from './SetupPage';


async function fill(values: Partial<Record<'name' | 'email' | 'password' | 'confirm', string>>) {
  const user = userEvent.setup();
  if (values.name) await user.type(screen.getByLabelText('Full name'), values.name);
  if (values.email) await user.type(screen.getByLabelText('Email'), values.email);
  if (values.password) await user.type(screen.getByLabelText('Password'), values.password);
  if (values.confirm) await user.type(screen.getByLabelText('Confirm password'), values.confirm);
  await user.click(screen.getByRole('button', { name: 'Create owner account' }));
}

describe('SetupPage', () => {
  it('shows what is missing and sends nothing when the form is empty', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<SetupPage onDone={() => {}} />);
    await fill({});
    expect(errorOf(screen.getByLabelText('Full name'))).toBe('Enter your full name');
    expect(errorOf(screen.getByLabelText('Email'))).toBe('Enter an email address');
    expect(errorOf(screen.getByLabelText('Password'))).toBe('Enter a password');
    expect(screen.getByLabelText('Full name').getAttribute('aria-invalid')).toBe('true');
    expect(fn).not.toHaveBeenCalled();
  });

  it('checks the email shape, the password length and the confirmation', async () => {
    const { fn } = mockFetch(() => ({ status: 201, body: {} }));
    renderWithProviders(<SetupPage onDone={() => {}} />);
    await fill({ name: 'Ada Owner', email: 'not-an-email', password: 'short', confirm: 'different' });
    expect(errorOf(screen.getByLabelText('Email'))).toMatch(/valid email address/);
    expect(errorOf(screen.getByLabelText('Password'))).toBe('Use at least 12 characters');
    expect(errorOf(screen.getByLabelText('Confirm password'))).toBe('Passwords do not match');
    expect(fn).not.toHaveBeenCalled();
  });

  it('shows a 422 with a field under that field', async () => {
    const { calls } = mockFetch(() => ({
      status: 422,
      body: { error: { code: 'invalid', message: 'Use an address with a domain we can reach.', field: 'email' } },
    }));
    const done = vi.fn();
    renderWithProviders(<SetupPage onDone={done} />);
    await fill({ name: 'Ada Owner', email: 'ada@example.test', password: 'a-long-password-1', confirm: 'a-long-password-1' });
    await waitFor(() => expect(errorOf(screen.getByLabelText('Email'))).toBe('Use an address with a domain we can reach.'));
    expect(calls).toHaveLength(1);
    expect(await calls[0].json()).toEqual({ name: 'Ada Owner', email: 'ada@example.test', password: 'a-long-password-1' });
    expect(done).not.toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows an error without a field above the form', async () => {
    mockFetch(() => ({ status: 409, body: { error: { code: 'conflict', message: 'The owner already exists.' } } }));
    renderWithProviders(<SetupPage onDone={() => {}} />);
    await fill({ name: 'Ada Owner', email: 'ada@example.test', password: 'a-long-password-1', confirm: 'a-long-password-1' });
    expect((await screen.findByRole('alert')).textContent).toContain('The owner already exists.');
  });

  it('calls onDone with the email after 201', async () => {
    mockFetch(() => ({ status: 201, body: { id: 'u1' } }));
    const done = vi.fn();
    renderWithProviders(<SetupPage onDone={done} />);
    await fill({ name: 'Ada Owner', email: 'ada@example.test', password: 'a-long-password-1', confirm: 'a-long-password-1' });
    await waitFor(() => expect(done).toHaveBeenCalledWith('ada@example.test'));
  });
});
