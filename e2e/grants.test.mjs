// The second article's "Admins may grant additional permissions to all or specific users",
// for a while: the owner gives a Staff member a project membership until a date from the
// person's drawer (People → Extra access); the member, in a second browser context, sees
// the project; the owner ends it from the organisation-wide list (People → Extra access
// tab, End now, confirmed); the member no longer sees it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, pick, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const BEA = { name: 'Bea Staff', email: 'bea@example.test', password: 'first-password-from-owner', next: 'beas-own-secret-42' };
const PROJECT = 'Launch plan';

/** The member's Projects page, loaded afresh: the names of the projects listed. */
async function projectNames(page) {
  await page.reload();
  await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
  const table = page.getByRole('table', { name: 'Projects' });
  await table.or(page.getByText('No projects yet')).first().waitFor();
  if ((await table.count()) === 0) return [];
  return (await table.getByRole('link').allInnerTexts()).map((s) => s.trim());
}

test('extra access for a while: given from the drawer, seen by the member, ended from the list', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'grants-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    // What other tests cover, through the API: a project and a Staff member on none.
    await apiCall(owner, 'POST', '/api/projects', { name: PROJECT });
    await apiCall(owner, 'POST', '/api/users', { name: BEA.name, email: BEA.email, roleId: 'staff', password: BEA.password });
  }, server);

  const { page: bea, problems: beaProblems } = await openPage(browser);
  await withScreenshot(bea, 'grants-member-before', async () => {
    await bea.goto(server.url);
    await firstSignIn(bea, BEA);
    assert.deepEqual(await projectNames(bea), [], 'before the grant Bea sees no project');
  }, server);

  // ---- the owner gives Bea the project until a week from now, from her drawer ----------
  const until = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await withScreenshot(owner, 'grants-owner-give', async () => {
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await owner.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: BEA.email }).getByRole('button', { name: BEA.name, exact: true }).click();
    const drawer = owner.getByRole('dialog', { name: `Edit ${BEA.name}` });
    const section = drawer.getByTestId('extra-access');
    await section.getByText('No extra access.', { exact: false }).waitFor();
    await pick(owner, section, 'What to give', 'A project membership');
    await pick(owner, section, 'Project', PROJECT);
    await section.getByLabel('Until').fill(until);
    await section.getByRole('button', { name: 'Give', exact: true }).click();
    await owner.getByText(`Extra access given to ${BEA.name}.`).waitFor();
    const item = section.getByTestId('extra-access-item');
    await item.getByText(`Member of the project ${PROJECT}`).waitFor();
    await item.getByText(`Given by ${OWNER.name}, until`, { exact: false }).waitFor();
    // She is on it now: the picker no longer offers it.
    await section.getByText('There is no project you may add this person to', { exact: false }).waitFor();
    await owner.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, server);

  await withScreenshot(bea, 'grants-member-with', async () => {
    assert.deepEqual(await projectNames(bea), [PROJECT], 'with the grant Bea sees the project');
  }, server);

  // ---- the owner ends it from the organisation-wide list ---------------------------------
  await withScreenshot(owner, 'grants-owner-end', async () => {
    await owner.getByRole('tab', { name: 'Extra access' }).click();
    const row = owner.getByTestId('grant-row').filter({ hasText: BEA.name });
    await row.getByText(`Member of the project ${PROJECT}`).waitFor();
    await row.getByText(OWNER.name).waitFor();
    await row.getByRole('button', { name: 'End now' }).click();
    const confirm = owner.getByRole('dialog', { name: 'End the extra access now?' });
    await confirm.getByText(`What was given to ${BEA.name}`, { exact: false }).waitFor();
    await confirm.getByRole('button', { name: 'End now' }).click();
    await owner.getByText(`The extra access of ${BEA.name} has ended.`).waitFor();
    await owner.getByText('No extra access in force').waitFor();
  }, server);

  await withScreenshot(bea, 'grants-member-after', async () => {
    assert.deepEqual(await projectNames(bea), [], 'after the end Bea no longer sees the project');
  }, server);

  // The activity log has both, in words.
  const audit = await apiCall(owner, 'GET', '/api/audit?limit=50');
  const actions = audit.items.map((e) => e.action);
  assert.ok(actions.includes('grant.create') && actions.includes('grant.revoke'), `audit: ${actions}`);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(beaProblems, [], 'no page errors for the member');
});
