// Google sign-in in serve mode against a local OpenID Connect provider: the owner sets it up
// in Settings → Sign-in; a new person signs in with "Google" and lands as a Client on an
// empty portal; the owner then sees them in Users, with their linked Google account, and
// changes their role. It needs a keychain for the client secret: `make test` runs it inside
// scripts/with-desktop.sh (a private, unlocked gnome-keyring).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiMe, createOwner, navLinks, signIn } from './flows.mjs';
import { startProvider } from './oidc.mjs';
import { startServer } from './server.mjs';

const CLIENT = { id: 'e2e-gatehouse.apps.googleusercontent.com', secret: 'GOCSPX-e2e-secret-4d1f' };
const NINA = { name: 'Nina Newcomer', email: 'nina@example.test' };

test('google: a new person signs in with Google, lands as a Client, the owner changes their role', async (t) => {
  const provider = await startProvider({ clientId: CLIENT.id, clientSecret: CLIENT.secret });
  t.after(() => provider.stop());
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  // ---- the owner sets up Google sign-in -------------------------------------------------
  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'google-owner-settings', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    // No Google button until it is set up.
    assert.equal(await owner.getByText('Sign in with Google').count(), 0);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    // Settings opens on General; Google sign-in is under the Sign-in tab.
    await owner.getByRole('tab', { name: 'Sign-in' }).click();
    await owner.getByRole('heading', { name: 'Sign-in settings' }).waitFor();
    // The redirect URI to register at Google is this server's callback.
    await owner.getByText(`${server.url}/api/auth/google/callback`).waitFor();
    await owner.getByLabel('Client ID').fill(CLIENT.id);
    await owner.getByLabel('Client secret').fill(CLIENT.secret);
    await owner.getByLabel('Issuer').fill(provider.issuer);
    await owner.getByRole('button', { name: 'Save' }).click();
    await owner.getByText('Sign in with Google is on.').waitFor();
    // The secret is never shown again: the field is empty and says one is stored.
    await owner.getByText(/A secret is stored in the system keychain|A secret is stored/).waitFor();
    assert.equal(await owner.getByLabel('Client secret').inputValue(), '');
  }, server);

  // ---- a new person, in a second browser context ------------------------------------------
  const { page: nina, problems: ninaProblems } = await openPage(browser);
  await withScreenshot(nina, 'google-new-person', async () => {
    await nina.goto(server.url);
    await nina.getByRole('heading', { name: 'Sign in' }).waitFor();
    await nina.getByRole('link', { name: 'Sign in with Google' }).click();
    // The provider's page (Google's, here a local stand-in).
    await nina.getByRole('heading', { name: 'Choose an account' }).waitFor();
    assert.ok(nina.url().startsWith(provider.issuer), nina.url());
    const challenge = new URL(nina.url()).searchParams;
    assert.equal(challenge.get('code_challenge_method'), 'S256');
    await nina.getByLabel('Email').fill(NINA.email);
    await nina.getByLabel('Name').fill(NINA.name);
    await nina.getByRole('button', { name: 'Continue' }).click();

    // Back in Gatehouse, signed in as a Client; the one-time code is gone from the address.
    const header = nina.locator('header');
    await header.getByText(NINA.name).waitFor();
    await header.getByText('Client', { exact: true }).waitFor();
    assert.ok(!nina.url().includes('result='), nina.url());
    const me = await apiMe(nina);
    assert.equal(me.role.id, 'client');
    assert.equal(me.role.kind, 'client');
    // An empty portal: nothing of the team's, no projects yet.
    const links = await navLinks(nina);
    for (const hidden of ['Users', 'Roles', 'Settings', 'Activity', 'Role comparison']) {
      assert.ok(!links.includes(hidden), `${hidden} must not be in the navbar: ${links}`);
    }
    const projects = await nina.evaluate(async () => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch('/api/projects', { headers: { Authorization: `Bearer ${token}` } });
      return r.ok ? (await r.json()).items : [];
    });
    assert.deepEqual(projects, []);
    // Their profile shows the linked Google account.
    await nina.getByRole('navigation').getByRole('link', { name: 'Overview' }).click();
    await nina.getByRole('region', { name: 'Sign-in methods' }).getByText(`Google: ${NINA.email}`).waitFor();
  }, server);

  // ---- the owner finds them in Users and changes their role -------------------------------
  await withScreenshot(owner, 'google-owner-users', async () => {
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    const row = owner.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: NINA.email });
    await row.waitFor();
    assert.match(await row.innerText(), /Client/);
    await row.getByRole('button', { name: NINA.name, exact: true }).click();
    const drawer = owner.getByRole('dialog');
    await drawer.getByRole('region', { name: 'Linked Google accounts' }).getByText(`Google: ${NINA.email}`).waitFor();
    await drawer.getByLabel('Role', { exact: true }).click();
    await owner.getByRole('option', { name: 'Staff', exact: true }).click();
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    await drawer.waitFor({ state: 'hidden' });
    await owner.waitForFunction(
      (email) => [...document.querySelectorAll('table[aria-label="Users"] tr')].some((tr) => tr.textContent.includes(email) && tr.textContent.includes('Staff')),
      NINA.email,
    );
  }, server);

  // The change is in force for Nina's very next request.
  const after = await apiMe(nina);
  assert.equal(after.role.id, 'staff');

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(ninaProblems, [], 'no page errors for the new person');
});
