// The second article's "Adding a user … if they permit it, all users on the account may do
// so": the owner makes a People Manager from its template (a role that lists Staff and
// Client as roles its holders may give); a person with it signs in and adds a Staff member,
// offered only the roles the server lets them give; and may look after that person, not
// take their account over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const PETRA = { name: 'Petra People', email: 'petra@example.test', password: 'first-password-from-owner', next: 'petras-own-secret-42' };
const SAM = { name: 'Sam Staffer', email: 'sam@example.test' };

test('roles its holders may give: a People Manager from the template adds a Staff member', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  // ---- the owner: From template → People Manager → Create role ---------------------------
  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'assignable-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();

    await owner.getByRole('navigation').getByRole('link', { name: 'Roles', exact: true }).click();
    await owner.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'From template' }).click();
    await owner.getByRole('dialog').getByRole('button', { name: 'People Manager', exact: true }).click();
    await owner.getByRole('heading', { name: 'New role from People Manager' }).waitFor();
    // The template fills in the roles its holders may give, explained beside them.
    await owner.getByRole('heading', { name: 'Roles its holders may give' }).waitFor();
    await owner.getByText(/even where these roles hold permissions this one does not/).waitFor();
    const listed = await owner.locator('[class*="Pill-label"]').allInnerTexts();
    assert.deepEqual(listed.map((s) => s.trim()).sort(), ['Client', 'Staff'], `listed: ${listed}`);
    await owner.getByRole('button', { name: 'Create role' }).click();
    await owner.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    await owner.getByRole('table', { name: 'Roles' }).getByRole('link', { name: 'People Manager', exact: true }).waitFor();

    // Petra gets the role.
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'Add user' }).first().click();
    const drawer = owner.getByRole('dialog');
    await drawer.getByLabel('Full name').fill(PETRA.name);
    await drawer.getByLabel('Email').fill(PETRA.email);
    await drawer.getByLabel('Role', { exact: true }).click();
    await owner.getByRole('option', { name: 'People Manager', exact: true }).click();
    await drawer.getByLabel('Generate a strong password').uncheck();
    await drawer.getByLabel('Initial password').fill(PETRA.password);
    await drawer.getByRole('button', { name: 'Add user' }).click();
    const details = owner.getByRole('dialog', { name: 'Save these sign-in details now' });
    await details.waitFor();
    await details.getByRole('button', { name: 'I have saved it' }).click();
    await owner.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: PETRA.email }).waitFor();
  }, server);

  // ---- Petra, in a second browser context ------------------------------------------------
  const { page: petra, problems: petraProblems } = await openPage(browser);
  await withScreenshot(petra, 'assignable-people-manager', async () => {
    await petra.goto(server.url);
    await firstSignIn(petra, { ...PETRA, password: PETRA.password });
    await petra.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await petra.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await petra.getByRole('button', { name: 'Add user' }).first().click();
    const drawer = petra.getByRole('dialog');
    await drawer.getByLabel('Full name').fill(SAM.name);
    await drawer.getByLabel('Email').fill(SAM.email);
    await drawer.getByText('Only the roles your role may give are listed.').waitFor();
    await drawer.getByLabel('Role', { exact: true }).click();
    // Staff and Client (her role lists them) and People Manager (within her own); never Admin.
    const options = (await petra.getByRole('option').allInnerTexts()).map((s) => s.trim());
    assert.deepEqual([...options].sort(), ['Client', 'People Manager', 'Staff'], `the role picker offers ${options}`);
    await petra.getByRole('option', { name: 'Staff', exact: true }).click();
    await drawer.getByRole('button', { name: 'Add user' }).click();
    const details = petra.getByRole('dialog', { name: 'Save these sign-in details now' });
    await details.waitFor();
    await details.getByRole('button', { name: 'I have saved it' }).click();
    // A staff member on no project yet: Petra may not put them on one, and says so.
    const added = petra.getByRole('dialog', { name: `${SAM.name} was added` });
    await added.getByText('There is no project whose members you may change.', { exact: false }).waitFor();
    await added.getByRole('button', { name: 'Not now' }).click();
    await added.waitFor({ state: 'hidden' });
    const row = petra.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: SAM.email });
    await row.waitFor();
    assert.match(await row.innerText(), /Staff/);

    // Looking after Sam: the name, deactivation; not the email or the password.
    await row.getByRole('button', { name: SAM.name }).click();
    const edit = petra.getByRole('dialog', { name: `Edit ${SAM.name}` });
    await edit.waitFor();
    assert.equal(await edit.getByLabel('Email').isDisabled(), true, 'the email is locked');
    await edit.getByText(/Only someone whose role holds every permission of this person's role can change their email/).waitFor();
    assert.equal(await edit.getByRole('button', { name: 'Reset password' }).count(), 0, 'no password reset');
    await edit.getByRole('button', { name: 'Deactivate' }).waitFor();
    await edit.getByLabel('Full name').fill('Samuel Staffer');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await petra.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: 'Samuel Staffer' }).waitFor();

    // The server agrees with what the screens offered.
    await assert.rejects(
      apiCall(petra, 'POST', '/api/users', { name: 'Eve', email: 'eve@example.test', roleId: 'admin', generate: true }),
      /403/,
    );
  }, server);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(petraProblems, [], 'no page errors for the People Manager');
});
