// Starts Stripe's own stripe-mock for the end-to-end tests (e2e/stripe-mock, Go, over
// backend/testkit/stripemock) on 127.0.0.1, its Checkout Sessions answering as paid with
// `amount` (minor units) in `currency`.
import { startHelper } from './helper.mjs';

/** Returns { url, stop() }. stripe-mock loads its specification for a second or two. */
export async function startStripeMock({ amount, currency = 'eur' }) {
  const h = await startHelper('stripe-mock', ['-amount', String(amount), '-currency', currency], /stripe-mock (http:\/\/\S+)/, {
    startMs: 120_000,
  });
  return { url: h.match[1], stop: h.stop };
}
