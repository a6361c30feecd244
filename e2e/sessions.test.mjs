// What the server decides reaches an open window without a reload: an admin narrows a
// colleague's role and the colleague's menu follows on their next request; the admin then
// deactivates them and the colleague's next request brings the sign-in screen, saying why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, navLinks, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const DANA = { name: 'Dana Deputy', email: 'dana@example.test', password: 'first-password-for-dana', next: 'danas-own-password-42' };

test('sessions: a narrowed role changes the menu at once, a deactivated user is told why', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let dana;
  let roleId;
  await withScreenshot(owner, 'sessions-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const roles = (await apiCall(owner, 'GET', '/api/roles')).items;
    roleId = (name) => roles.find((r) => r.name === name).id;
    dana = await apiCall(owner, 'POST', '/api/users', { name: DANA.name, email: DANA.email, roleId: roleId('Admin'), password: DANA.password });
  }, server);

  const { page, problems } = await openPage(browser);
  await withScreenshot(page, 'sessions-dana', async () => {
    await page.goto(server.url);
    await firstSignIn(page, DANA);
    assert.ok((await navLinks(page)).includes('Users'), 'an Admin has the Users page');
    await page.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    // The page has its list (its own requests answered) before the change below: otherwise
    // its first load may already be refused and the page gone before the search is typed.
    await page.getByRole('table', { name: 'Users' }).getByText(DANA.email).waitFor();
    await page.waitForLoadState('networkidle');

    // The owner makes Dana Staff. Her next request (a search) is refused, and the refusal
    // alone takes the page out of her menu: no reload.
    await apiCall(owner, 'PATCH', `/api/users/${dana.id}`, { roleId: roleId('Staff') });
    await page.getByLabel('Search').fill('someone');
    await page.getByRole('heading', { name: 'Not available' }).waitFor();
    const links = await navLinks(page);
    assert.ok(!links.includes('Users') && !links.includes('Roles'), `navbar after the change: ${links}`);
    assert.ok(links.includes('Projects'), `navbar after the change: ${links}`);

    // The owner deactivates Dana: her next request ends her session, and she is told why.
    await apiCall(owner, 'POST', `/api/users/${dana.id}/deactivate`);
    await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('alert').filter({ hasText: 'An administrator deactivated your account' }).waitFor();
  }, server);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(problems, [], 'no page errors for Dana');
});
