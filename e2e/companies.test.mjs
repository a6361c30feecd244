// Client companies in the browser: the owner makes a company, adds a client account to it
// and a project for it; someone whose role only lists client accounts sees the company with
// its person on the Clients page, and can neither make nor change one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, navLinks, pick, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const ACME = 'Acme Corp';
const CARL = { name: 'Carl Client', email: 'carl@acme.example' };
const BEA = { name: 'Bea Books', email: 'bea@example.test', password: 'first-password-for-bea', next: 'beas-own-passphrase-42' };

test('companies: the owner makes one with a client and a project; the client list sees it and changes nothing', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'companies-owner-company', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();

    // A company, from the Users page's Client companies tab.
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await owner.getByRole('tab', { name: 'Client companies' }).click();
    assert.match(owner.url(), /tab=companies/);
    await owner.getByText('No client companies yet').waitFor();
    await owner.getByRole('button', { name: 'New company' }).first().click();
    const dialog = owner.getByRole('dialog', { name: 'New client company' });
    await dialog.getByLabel('Name').fill(ACME);
    await dialog.getByLabel('Email').fill('accounts@acme.example');
    await dialog.getByLabel('Phone').fill('+1 555 0100');
    await dialog.getByLabel('Address').fill('1 Main St\nSpringfield');
    await dialog.getByRole('button', { name: 'Create company' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = owner.getByRole('table', { name: 'Client companies' }).getByRole('row').filter({ hasText: ACME });
    await row.getByText('accounts@acme.example').waitFor();

    // The same name again is refused on the name field.
    await owner.getByRole('button', { name: 'New company' }).first().click();
    await dialog.getByLabel('Name').fill('acme corp');
    await dialog.getByRole('button', { name: 'Create company' }).click();
    await dialog.getByText('A client company of that name exists already.').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }, server);

  await withScreenshot(owner, 'companies-owner-client', async () => {
    // A client account in that company.
    await owner.getByRole('tab', { name: 'People' }).click();
    await owner.getByRole('button', { name: 'Add user' }).first().click();
    const drawer = owner.getByRole('dialog', { name: 'Add user' });
    await drawer.getByLabel('Full name').fill(CARL.name);
    await drawer.getByLabel('Email').fill(CARL.email);
    assert.equal(await drawer.getByLabel('Company', { exact: true }).count(), 0, 'a company asked for before a client role');
    await pick(owner, drawer, 'Role', 'Client');
    assert.equal(await drawer.getByLabel('Company', { exact: true }).inputValue(), 'A new company named after this person');
    await pick(owner, drawer, 'Company', ACME);
    await drawer.getByRole('button', { name: 'Add user' }).click();
    const details = owner.getByRole('dialog', { name: 'Save these sign-in details now' });
    await details.getByRole('button', { name: 'I have saved it' }).click();
    await details.waitFor({ state: 'hidden' });
    const carlRow = owner.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: CARL.email });
    await carlRow.getByText(ACME).waitFor();
  }, server);

  await withScreenshot(owner, 'companies-owner-project', async () => {
    // A project for the company.
    await owner.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await owner.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'New project' }).first().click();
    const drawer = owner.getByRole('dialog');
    await drawer.getByLabel('Name').fill('Website');
    await pick(owner, drawer, 'Client company', ACME);
    await drawer.getByRole('button', { name: 'Create project' }).click();
    await drawer.waitFor({ state: 'hidden' });

    // The company lists its person and its project, which opens on the company's name.
    await owner.goto(`${server.url}/#/users?tab=companies`);
    const row = owner.getByRole('table', { name: 'Client companies' }).getByRole('row').filter({ hasText: ACME });
    await row.getByText(CARL.name).waitFor();
    await row.getByRole('link', { name: 'Website' }).click();
    await owner.getByRole('heading', { name: 'Website' }).waitFor();
    await owner.getByTitle('Client company').getByText(ACME).waitFor();
  }, server);

  // A role that only lists client accounts (as a bookkeeper's might), and someone holding it.
  const role = await apiCall(owner, 'POST', '/api/roles', {
    name: 'Client list',
    kind: 'internal',
    permissions: [{ key: 'users.view', scope: 'clients' }],
  });
  await apiCall(owner, 'POST', '/api/users', { name: BEA.name, email: BEA.email, roleId: role.id, password: BEA.password, sendWelcome: false });

  const { page: bea, problems: beaProblems } = await openPage(browser);
  await withScreenshot(bea, 'companies-client-list', async () => {
    await bea.goto(server.url);
    await firstSignIn(bea, BEA);
    assert.ok((await navLinks(bea)).includes('Clients'), 'the menu has Clients');
    await bea.getByRole('navigation').getByRole('link', { name: 'Clients', exact: true }).click();
    await bea.getByRole('heading', { name: 'Clients', exact: true }).waitFor();
    assert.equal(await bea.getByRole('tab', { name: 'Companies' }).getAttribute('aria-selected'), 'true');
    const row = bea.getByRole('table', { name: 'Client companies' }).getByRole('row').filter({ hasText: ACME });
    await row.getByText(CARL.name).waitFor();
    assert.equal(await bea.getByRole('button', { name: 'New company' }).count(), 0, 'the client list offers New company');
    assert.equal(await bea.getByRole('button', { name: `Edit ${ACME}` }).count(), 0, 'the client list offers Edit');
    const refused = await bea.evaluate(async () => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch('/api/companies', {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name: 'Mine' }),
      });
      return r.status;
    });
    assert.equal(refused, 403, 'making a company without users.create');
    // The accounts tab names the client's company too.
    await bea.getByRole('tab', { name: 'Accounts' }).click();
    await bea.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: CARL.email }).getByText(ACME).waitFor();
  }, server);

  assert.deepEqual(ownerProblems, []);
  // Bea's one refusal (403) was asked for on purpose.
  assert.deepEqual(beaProblems.filter((p) => !p.includes('403')), []);
});
