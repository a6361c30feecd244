import { afterEach, describe, expect, it, vi } from 'vitest';
import { saveBlob, toCsv } from './download';

describe('saveBlob', () => {
  afterEach(() => {
    delete (window as unknown as { go?: unknown }).go;
  });

  it('in the window, hands the text to the Go side, which asks where to save it', async () => {
    const SaveFile = vi.fn(async () => '/home/owner/gatehouse-users.csv');
    (window as unknown as { go: unknown }).go = { main: { App: { SaveFile } } };
    const path = await saveBlob(new Blob(['name,email\r\n'], { type: 'text/csv' }), 'gatehouse-users.csv');
    expect(SaveFile).toHaveBeenCalledWith('gatehouse-users.csv', 'name,email\r\n');
    expect(path).toBe('/home/owner/gatehouse-users.csv');
  });

  it('in a browser, downloads through a link', async () => {
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    URL.createObjectURL = vi.fn(() => 'blob:x');
    URL.revokeObjectURL = vi.fn();
    expect(await saveBlob(new Blob(['a']), 'a.csv')).toBeNull();
    expect(click).toHaveBeenCalled();
    click.mockRestore();
  });
});

describe('toCsv', () => {
  it('keeps cells a spreadsheet would run as formulas as text', () => {
    expect(toCsv(['a'], [['=HYPERLINK("x")'], ['+1'], ['-2'], ['@SUM(A1)'], ['plain']])).toBe(
      'a\r\n"\'=HYPERLINK(""x"")"\r\n\'+1\r\n\'-2\r\n\'@SUM(A1)\r\nplain\r\n',
    );
  });
  it('quotes what needs quoting', () => {
    expect(toCsv(['a', 'b'], [['x,y', 'say "hi"']])).toBe('a,b\r\n"x,y","say ""hi"""\r\n');
  });
});
