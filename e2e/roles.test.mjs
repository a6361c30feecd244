// Owner makes a role from the Bookkeeper template and a user with it; that user signs in
// in a second browser context, must change the password, and sees only what the role allows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiMe, createOwner, navLinks, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const BILL = { name: 'Bill Bookkeeper', email: 'bill@example.test', password: 'first-password-from-owner', next: 'bills-own-secret-42' };

test('roles: Bookkeeper from a template, a user with it, forced password change, narrow navbar', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  // ---- the owner ----------------------------------------------------------------------
  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'roles-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();

    // A role from the Bookkeeper template.
    await owner.getByRole('navigation').getByRole('link', { name: 'Roles', exact: true }).click();
    await owner.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'From template' }).click();
    await owner.getByRole('dialog').getByRole('button', { name: 'Bookkeeper', exact: true }).click();
    await owner.getByRole('heading', { name: 'New role from Bookkeeper' }).waitFor();
    assert.equal(await owner.getByLabel('Name', { exact: true }).inputValue(), 'Bookkeeper');
    const checked = await owner.locator('input[type=checkbox][data-permission]:checked').count();
    assert.ok(checked > 0, 'the template pre-fills some permissions');
    await owner.getByRole('button', { name: 'Create role' }).click();
    await owner.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    const rolesTable = owner.getByRole('table', { name: 'Roles' });
    await rolesTable.getByRole('link', { name: 'Bookkeeper', exact: true }).waitFor();

    // A user with that role and a typed password.
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'Add user' }).first().click();
    const drawer = owner.getByRole('dialog');
    await drawer.getByLabel('Full name').fill(BILL.name);
    await drawer.getByLabel('Email').fill(BILL.email);
    await drawer.getByLabel('Role', { exact: true }).click();
    await owner.getByRole('option', { name: 'Bookkeeper', exact: true }).click();
    await drawer.getByLabel('Generate a strong password').uncheck();
    await drawer.getByLabel('Initial password').fill(BILL.password);
    await drawer.getByRole('button', { name: 'Add user' }).click();
    // Without email set up, the sign-in details to hand over are shown once.
    const details = owner.getByRole('dialog', { name: 'Save these sign-in details now' });
    await details.waitFor();
    assert.match(await details.innerText(), new RegExp(BILL.email.replace('.', '\\.')));
    await details.getByRole('button', { name: 'I have saved it' }).click();
    await owner.getByRole('dialog').first().waitFor({ state: 'hidden' });
    const usersTable = owner.getByRole('table', { name: 'Users' });
    const row = usersTable.getByRole('row').filter({ hasText: BILL.email });
    await row.waitFor();
    assert.match(await row.innerText(), /Bookkeeper/);
  }, server);

  // ---- the new user, in a second browser context ------------------------------------------
  const { page: bill, problems: billProblems } = await openPage(browser);
  await withScreenshot(bill, 'roles-user', async () => {
    await bill.goto(server.url);
    await signIn(bill, BILL);

    // Forced password change: nothing else is reachable.
    await bill.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    assert.equal(await bill.getByRole('navigation').count(), 0);
    await bill.getByLabel('Current password').fill(BILL.password);
    await bill.getByLabel('New password', { exact: true }).fill(BILL.next);
    await bill.getByLabel('Confirm new password').fill(BILL.next);
    await bill.getByRole('button', { name: 'Change password' }).click();

    // The shell, with only what the role allows.
    const header = bill.locator('header');
    await header.getByText(BILL.name).waitFor();
    await header.getByText('Bookkeeper', { exact: true }).waitFor();
    const links = await navLinks(bill);
    // The article: "They will see the Invoicing section and nothing else" (and the client
    // list the template grants): no Overview, no Role comparison.
    assert.equal(links[0], 'Invoicing', `navbar: ${links}`);
    for (const hidden of ['Overview', 'Role comparison', 'Users', 'Roles', 'Settings']) {
      assert.ok(!links.includes(hidden), `${hidden} must not be in the navbar: ${links}`);
    }
    // Whatever else is there follows from the role's permissions. The Bookkeeper template
    // may hold users.view scoped to clients (the spec's "view client list"): that shows as
    // "Clients", never as the full "Users" page.
    const me = await apiMe(bill);
    const grants = new Map(me.permissions.map((p) => [p.key, p.scope ?? '']));
    assert.ok(!grants.has('roles.manage'), `permissions: ${[...grants.keys()]}`);
    assert.ok(!grants.has('users.view') || grants.get('users.view') === 'clients', `users.view: ${grants.get('users.view')}`);
    assert.equal(links.includes('Clients'), grants.has('users.view'), `navbar: ${links}`);
    assert.equal(links.includes('Activity'), grants.has('activity.team'), `navbar: ${links}`);

    // The page itself is not offered either when typed in.
    await bill.goto(`${server.url}/#/roles`);
    await bill.getByRole('heading', { name: 'Not available' }).waitFor();

    // The new password works in a fresh session.
    await bill.getByRole('button', { name: 'Sign out' }).click();
    await signIn(bill, { email: BILL.email, password: BILL.next });
    await bill.locator('header').getByText(BILL.name).waitFor();
  }, server);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(billProblems, [], 'no page errors for the user');
});
