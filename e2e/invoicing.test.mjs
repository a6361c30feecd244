// Invoicing in the browser, end to end: the owner connects Stripe (stripe-mock on
// 127.0.0.1); a Bookkeeper made from its template sees Invoicing and the client list and
// nothing else, fills in the invoice details, makes an invoice and sends it; the client
// sees it in their portal and pays it through Stripe Checkout — the payment counts when
// Gatehouse reads the session back from Stripe — and the Bookkeeper sees it paid and the
// revenue updated.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, navLinks, signIn } from './flows.mjs';
import { startServer } from './server.mjs';
import { startStripeMock } from './stripe.mjs';

const BEA = { name: 'Bea Books', email: 'bea@example.test', password: 'first-password-for-bea', next: 'beas-own-passphrase-42' };
const CARL = { name: 'Carl Client', email: 'carl@client.example', password: 'first-password-for-carl', next: 'carls-own-passphrase-42' };

// One line of €1,250.00 at 20 % tax: €1,500.00, what stripe-mock's sessions say was paid.
const TOTAL_CENTS = 150_000;

test('invoicing: a Bookkeeper sends an invoice, the client pays it through Stripe, the Bookkeeper sees it paid', async (t) => {
  const stripe = await startStripeMock({ amount: TOTAL_CENTS, currency: 'eur' });
  t.after(() => stripe.stop());
  const server = await startServer({ extraArgs: ['--stripe-api-url', stripe.url] });
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let company;
  await withScreenshot(owner, 'invoicing-owner-stripe', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const { items: templates } = await apiCall(owner, 'GET', '/api/role-templates');
    const tpl = templates.find((x) => x.key === 'bookkeeper');
    const role = await apiCall(owner, 'POST', '/api/roles', { name: tpl.name, kind: tpl.kind, permissions: tpl.permissions });
    await apiCall(owner, 'POST', '/api/users', { name: BEA.name, email: BEA.email, roleId: role.id, password: BEA.password, sendWelcome: false });
    const carl = await apiCall(owner, 'POST', '/api/users', { name: CARL.name, email: CARL.email, roleId: 'client', password: CARL.password, sendWelcome: false });
    company = (await apiCall(owner, 'GET', `/api/users/${carl.id}`)).companyName;
    assert.ok(company, 'the client has a company');
    // Settings → Payments, as the owner would connect Stripe.
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await owner.getByRole('tab', { name: 'Payments' }).click();
    const stripeSection = owner.getByRole('region', { name: 'Stripe' });
    await stripeSection.getByText('Not connected').waitFor();
    await stripeSection.getByLabel('Secret key').fill('pk_test_publishable');
    await stripeSection.getByRole('button', { name: 'Connect Stripe' }).click();
    await stripeSection.getByText(/not a secret key/).waitFor();
    await stripeSection.getByLabel('Secret key').fill('sk_test_123');
    await stripeSection.getByRole('button', { name: 'Connect Stripe' }).click();
    await stripeSection.getByText('Connected', { exact: true }).waitFor();
    await stripeSection.getByText('Test mode: no real money moves').waitFor();
  }, server);

  // Bea, the Bookkeeper: Invoicing and the client list, nothing else.
  const { page: bea, problems: beaProblems } = await openPage(browser);
  let number;
  await withScreenshot(bea, 'invoicing-bookkeeper-send', async () => {
    await bea.goto(server.url);
    await firstSignIn(bea, BEA);
    assert.deepEqual(await navLinks(bea), ['Invoicing', 'Clients']);
    await bea.getByRole('heading', { name: 'Invoicing' }).waitFor();
    await bea.getByText('No invoices yet').waitFor();
    await bea.getByRole('tab', { name: 'Invoice details' }).click();
    const details = bea.getByRole('form', { name: 'Invoice details' });
    await details.getByLabel('Name').fill('Acme Studio Ltd');
    await details.getByLabel('Payment instructions').fill('Bank transfer to IBAN DE00 1234 5678');
    await details.getByRole('button', { name: 'Save' }).click();
    await bea.getByText('Invoice details saved').waitFor();

    await bea.getByRole('tab', { name: 'Invoices' }).click();
    await bea.getByRole('button', { name: 'New invoice' }).click();
    const form = bea.getByRole('form', { name: 'New invoice' });
    await form.getByLabel('Client company').click();
    await bea.getByRole('option', { name: company, exact: true }).click();
    await form.getByLabel('Line 1 description').fill('Website redesign');
    await form.getByLabel('Line 1 quantity').fill('1');
    await form.getByLabel('Line 1 unit price').fill('1250');
    await form.getByLabel('Line 1 tax %').fill('20');
    await form.getByText('€1,500.00').first().waitFor(); // the total, as the server will add it up
    await form.getByRole('button', { name: 'Save draft' }).click();
    await bea.getByRole('button', { name: 'Send', exact: true }).click();
    const confirm = bea.getByRole('dialog', { name: 'Send this invoice?' });
    await confirm.getByRole('button', { name: 'Send invoice' }).click();
    const sent = bea.getByRole('status').filter({ hasText: /Sent as invoice/ });
    await sent.waitFor();
    number = (await sent.innerText()).match(/\d{4}-\d{4}/)[0];
    assert.match(number, /^\d{4}-0001$/);
  }, server);

  // Carl, the client: his invoice in the portal, paid through Stripe Checkout.
  const { page: carl, problems: carlProblems } = await openPage(browser);
  await withScreenshot(carl, 'invoicing-client-pay', async () => {
    await carl.goto(server.url);
    await firstSignIn(carl, CARL);
    await carl.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices', exact: true }).click();
    await carl.getByRole('heading', { name: 'Your invoices' }).waitFor();
    const row = carl.getByRole('table', { name: 'Your invoices' }).getByRole('row').filter({ hasText: number });
    await row.getByText('€1,500.00').first().waitFor();
    // "Stripe": the checkout page the mock names is answered here as Stripe would end it —
    // by sending the payer back to the address Gatehouse gave, with the session's id.
    let session;
    await carl.route('**/api/invoices/*/checkout', async (route) => {
      const answer = await route.fetch();
      session = (await answer.json()).sessionId;
      await route.fulfill({ response: answer });
    });
    await carl.route(
      (url) => !url.href.startsWith(server.url),
      (route) => route.fulfill({ status: 303, headers: { location: `${server.url}/#/invoicing?checkout=${session}` } }),
    );
    await row.getByRole('button', { name: `Pay invoice ${number} now` }).click();
    await carl.getByText('Payment received').waitFor();
    assert.match(session, /^cs_/);
    await carl.getByRole('table', { name: 'Your invoices' }).getByRole('row').filter({ hasText: number }).getByText('Paid').waitFor();
    assert.equal(await carl.getByRole('button', { name: `Pay invoice ${number} now` }).count(), 0, 'a paid invoice offers Pay now');
  }, server);

  // Bea sees it paid, with Stripe's payment, and the revenue updated.
  await withScreenshot(bea, 'invoicing-bookkeeper-paid', async () => {
    await bea.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoicing', exact: true }).click();
    await bea.getByRole('tab', { name: 'Invoices' }).click();
    const row = bea.getByRole('table', { name: 'Invoices' }).getByRole('row').filter({ hasText: number });
    await row.getByText('Paid').waitFor();
    await row.getByText(number).click();
    await bea.getByRole('table', { name: 'Payments' }).getByText('€1,500.00').waitFor();
    await bea.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoicing', exact: true }).click();
    await bea.getByRole('tab', { name: 'Revenue' }).click();
    const revenue = await apiCall(bea, 'GET', '/api/revenue');
    const month = revenue.months.at(-1);
    assert.deepEqual([month.invoiced, month.paid, month.outstanding], [TOTAL_CENTS, TOTAL_CENTS, 0]);
    await bea.getByRole('table', { name: /by client/i }).getByRole('row').filter({ hasText: company }).getByText('€1,500.00').first().waitFor();
  }, server);

  assert.deepEqual(ownerProblems.filter((p) => !p.includes('422')), []); // the refused publishable key, on purpose
  assert.deepEqual(beaProblems, []);
  assert.deepEqual(carlProblems, []);
});
