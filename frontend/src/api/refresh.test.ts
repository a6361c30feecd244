import { QueryClient, QueryObserver, type QueryKey } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { refresh } from './refresh';

describe('refresh', () => {
  const unsubscribes: (() => void)[] = [];
  afterEach(() => unsubscribes.splice(0).forEach((u) => u()));

  /**
   * A query shown on a page (an observer makes it active), whose server answers with what it
   * holds when asked, but only once `answer()` is called: its first fetch is in flight.
   */
  function shown(qc: QueryClient, queryKey: QueryKey, server: { holds: string }) {
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    const queryFn = vi.fn(async () => {
      const held = server.holds;
      await answered;
      return held;
    });
    unsubscribes.push(new QueryObserver(qc, { queryKey, queryFn }).subscribe(() => {}));
    return { queryFn, answer };
  }

  it('asks again for a list whose first fetch, asked before the change, is still in flight', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = { holds: 'unpaid' };
    const list = shown(qc, ['invoices', 'list'], server);
    expect(list.queryFn).toHaveBeenCalledTimes(1);

    server.holds = 'paid'; // the change (a mutation) comes back while the list is still asked
    const done = refresh(qc, ['invoices']);
    list.answer();
    await done;

    // Invalidating alone would have kept the first fetch, and 'unpaid' as a fresh answer.
    expect(list.queryFn).toHaveBeenCalledTimes(2);
    expect(qc.getQueryData(['invoices', 'list'])).toBe('paid');
    expect(qc.getQueryState(['invoices', 'list'])?.isInvalidated).toBe(false);
  });

  it('asks again for a list that has an answer, as invalidating does', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = { holds: 'unpaid' };
    const list = shown(qc, ['invoices', 'list'], server);
    list.answer();
    await vi.waitFor(() => expect(qc.getQueryData(['invoices', 'list'])).toBe('unpaid'));

    server.holds = 'paid';
    await refresh(qc, ['invoices']);
    expect(list.queryFn).toHaveBeenCalledTimes(2);
    expect(qc.getQueryData(['invoices', 'list'])).toBe('paid');
  });

  it('leaves queries under other keys alone; without a key, refreshes every one', async () => {
    const qc = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = { holds: 'before' };
    const invoices = shown(qc, ['invoices', 'list'], server);
    const audit = shown(qc, ['audit'], server);

    server.holds = 'after';
    const done = refresh(qc, ['invoices']);
    invoices.answer();
    audit.answer();
    await done;
    await vi.waitFor(() => expect(qc.getQueryData(['audit'])).toBe('before'));
    expect(audit.queryFn).toHaveBeenCalledTimes(1);
    expect(qc.getQueryData(['invoices', 'list'])).toBe('after');

    server.holds = 'later';
    await refresh(qc);
    expect(qc.getQueryData(['invoices', 'list'])).toBe('later');
    expect(qc.getQueryData(['audit'])).toBe('later');
  });
});
