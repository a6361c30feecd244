import { useForm } from '@mantine/form';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../test/render';
import { emptyForm, newLine, type InvoiceFormValues } from './invoiceForm';
import { LinesEditor } from './LinesEditor';

/** The editor on a form of its own, as the invoice page holds it. */
function Harness({ initial }: { initial?: Partial<InvoiceFormValues> }) {
  const form = useForm<InvoiceFormValues>({ mode: 'controlled', initialValues: { ...emptyForm(), ...initial } });
  return (
    <form onSubmit={(e) => e.preventDefault()}>
      <LinesEditor form={form} currency="EUR" />
      <output data-testid="count">{form.getValues().lines.length}</output>
    </form>
  );
}

const field = (line: number, name: string) => screen.getByRole('textbox', { name: `Line ${line} ${name}` }) as HTMLInputElement;
const totals = () => within(screen.getByRole('table', { name: 'Totals' }));
const total = (label: string) => totals().getByRole('rowheader', { name: label }).nextElementSibling?.textContent;

describe('LinesEditor', () => {
  it("shows each line's amount and the totals as the server adds them up, while typing", async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness />);
    expect(field(1, 'quantity').value).toBe('1');
    await user.type(field(1, 'description'), 'Design work');
    await user.clear(field(1, 'quantity'));
    await user.type(field(1, 'quantity'), '1.5');
    await user.type(field(1, 'unit price'), '3.33');
    await user.type(field(1, 'tax %'), '20');
    // 1.5 × 3.33 = 4.995 → 5.00; 20 % → 1.00
    expect(screen.getByTestId('line-1-amount').textContent).toBe('€5.00');
    expect(total('Subtotal')).toBe('€5.00');
    expect(total('Tax 20%')).toBe('€1.00');
    expect(total('Total')).toBe('€6.00');

    // A second line at another rate: the tax is shown per rate.
    await user.click(screen.getByRole('button', { name: 'Add line' }));
    await user.type(field(2, 'description'), 'Hosting');
    await user.type(field(2, 'unit price'), '0.05');
    await user.clear(field(2, 'quantity'));
    await user.type(field(2, 'quantity'), '0.5');
    await user.clear(field(2, 'tax %'));
    await user.type(field(2, 'tax %'), '50');
    // 0.5 × 0.05 = 0.025 → 0.03; 50 % of 0.03 = 0.015 → 0.02
    expect(screen.getByTestId('line-2-amount').textContent).toBe('€0.03');
    expect(total('Subtotal')).toBe('€5.03');
    expect(total('Tax 20%')).toBe('€1.00');
    expect(total('Tax 50%')).toBe('€0.02');
    expect(total('Total')).toBe('€6.05');
  });

  it('leaves a line with a mistake out of the totals, and says so', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <Harness
        initial={{
          lines: [
            { ...newLine(), description: 'Good', quantity: '2', unitPrice: '10', taxRate: '' },
            { ...newLine(), description: 'Bad', quantity: '1.2345', unitPrice: '10', taxRate: '' },
          ],
        }}
      />,
    );
    expect(screen.getByTestId('line-2-amount').textContent).toBe('—');
    expect(total('Total')).toBe('€20.00');
    expect(screen.getByText('A line with a mistake is not counted.')).toBeTruthy();
    await user.clear(field(2, 'quantity'));
    await user.type(field(2, 'quantity'), '1.234');
    expect(total('Total')).toBe('€32.34');
    expect(screen.queryByText(/not counted/)).toBeNull();
  });

  it('moves down with Enter, adding a line after the last one, and carries the tax rate over', async () => {
    const user = userEvent.setup();
    renderWithProviders(<Harness initial={{ lines: [{ ...newLine(), description: 'One', unitPrice: '5', taxRate: '7.5' }] }} />);
    await user.click(field(1, 'unit price'));
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('count').textContent).toBe('2');
    expect(document.activeElement).toBe(field(2, 'unit price'));
    expect(field(2, 'tax %').value).toBe('7.5');
    // From the first line, Enter goes to the line below without adding one.
    await user.click(field(1, 'description'));
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('count').textContent).toBe('2');
    expect(document.activeElement).toBe(field(2, 'description'));
  });

  it('adds a line with the button and puts the cursor in it; removes a line and moves to the next', async () => {
    const user = userEvent.setup();
    renderWithProviders(
      <Harness
        initial={{
          lines: ['First', 'Second', 'Third'].map((description) => ({ ...newLine(), description, unitPrice: '1' })),
        }}
      />,
    );
    await user.click(screen.getByRole('button', { name: 'Remove line 2' }));
    expect(screen.getByTestId('count').textContent).toBe('2');
    expect(field(2, 'description').value).toBe('Third');
    expect(document.activeElement).toBe(field(2, 'description'));

    await user.click(screen.getByRole('button', { name: 'Remove line 2' }));
    await user.click(screen.getByRole('button', { name: 'Remove line 1' }));
    expect(screen.getByTestId('count').textContent).toBe('0');
    // Nothing left to go to: focus is on Add line, which starts a new one.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Add line' }));
    await user.keyboard('{Enter}');
    expect(screen.getByTestId('count').textContent).toBe('1');
    expect(document.activeElement).toBe(field(1, 'description'));
  });
});
