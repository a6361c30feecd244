// What-if before saving: the owner edits a custom role's permissions, sees who gains what
// before saving, and saves; when access moves between the preview and the save, the save
// is refused, nothing is saved, and the refreshed preview is saved on the second try.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const BILL = { name: 'Bill Reviewer', email: 'bill@example.test', password: 'bills-first-password-1' };

test('what-if: a role edit shows who gains what, a stale preview is refreshed, then saved', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems } = await openPage(browser);
  await withScreenshot(owner, 'whatif-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();

    // A custom role that sees its projects, one person holding it, one project they are on.
    const role = await apiCall(owner, 'POST', '/api/roles', {
      name: 'Reviewer',
      kind: 'internal',
      permissions: [{ key: 'projects.view', scope: 'assigned' }],
    });
    const bill = await apiCall(owner, 'POST', '/api/users', { name: BILL.name, email: BILL.email, roleId: role.id, password: BILL.password, sendWelcome: false });
    await apiCall(owner, 'POST', '/api/projects', { name: 'Website', members: [bill.id] });

    await owner.goto(`${server.url}/#/roles/${role.id}`);
    await owner.getByRole('heading', { name: 'Reviewer' }).waitFor();
    assert.equal(await owner.getByRole('heading', { name: 'What changes' }).count(), 0, 'no preview before a change');

    // Editing projects: Bill gains the permission, and editing the project he is on.
    await owner.getByLabel('Edit projects', { exact: true }).check();
    const panel = owner.getByRole('region', { name: 'What changes' });
    await panel.getByText('1 person gains 2 accesses and loses 0 accesses').waitFor();
    const bills = panel.getByRole('list', { name: BILL.name });
    assert.deepEqual((await bills.getByRole('listitem').allInnerTexts()).map((s) => s.trim()), [
      'gains the permission “Edit projects”',
      'gains “edit” on project “Website”',
    ]);

    // Access moves before the save: the save is refused and nothing is saved.
    await apiCall(owner, 'POST', '/api/projects', { name: 'Intranet' });
    await owner.getByRole('button', { name: 'Save role' }).click();
    await panel.getByText('Access changed meanwhile: check the new preview and save again.').waitFor();
    const unchanged = (await apiCall(owner, 'GET', '/api/roles')).items.find((r) => r.id === role.id);
    assert.deepEqual(unchanged.permissions.map((g) => g.key), ['projects.view']);

    // The refreshed preview, saved.
    await panel.getByText('1 person gains 2 accesses and loses 0 accesses').waitFor();
    await owner.getByRole('button', { name: 'Save role' }).click();
    await owner.getByRole('heading', { name: 'Roles', exact: true }).waitFor();
    const saved = (await apiCall(owner, 'GET', '/api/roles')).items.find((r) => r.id === role.id);
    assert.deepEqual(saved.permissions.map((g) => g.key).sort(), ['projects.edit', 'projects.view']);
  }, server);
  assert.deepEqual(problems, []);
});
