// What-if before saving: the owner edits a custom role's permissions, sees who gains what
// before saving, and saves; when access moves between the preview and the save, the save
// is refused, nothing is saved, and the refreshed preview is saved on the second try. The
// same for a project's members and a board's invitations.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, pick, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const BILL = { name: 'Bill Reviewer', email: 'bill@example.test', password: 'bills-first-password-1' };
const BEA = { name: 'Bea Staff', email: 'bea@example.test', password: 'beas-first-password-1' };

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

test("what-if: a project's new member and a board's invitation show who gains what, before saving", async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems } = await openPage(browser);
  await withScreenshot(owner, 'whatif-project-board', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const bea = await apiCall(owner, 'POST', '/api/users', { name: BEA.name, email: BEA.email, roleId: 'staff', password: BEA.password, sendWelcome: false });
    const project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website' });

    // The project's members: Bea, picked, gains the project — shown before saving.
    await owner.goto(`${server.url}/#/projects/${project.id}`);
    await owner.getByRole('heading', { name: 'Website' }).waitFor();
    await owner.getByRole('button', { name: 'Edit', exact: true }).click();
    const drawer = owner.getByRole('dialog', { name: 'Edit Website' });
    assert.equal(await drawer.getByRole('region', { name: 'What changes' }).count(), 0, 'no preview before a change');
    await pick(owner, drawer, 'Members', BEA.name);
    const panel = drawer.getByRole('region', { name: 'What changes' });
    await panel.getByText(/^1 person gains \d+ accesses? and loses 0 accesses$/).waitFor();
    const beas = panel.getByRole('list', { name: BEA.name });
    assert.ok((await beas.getByRole('listitem').allInnerTexts()).map((s) => s.trim()).includes('gains “view” on project “Website”'));

    // Access moves before the save: refused, nothing saved, the preview refreshed.
    await apiCall(owner, 'POST', '/api/teams', { name: 'Meanwhile' });
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    await panel.getByText('Access changed meanwhile: check the new preview and save again.').waitFor();
    assert.deepEqual((await apiCall(owner, 'GET', `/api/projects/${project.id}`)).members, []);
    await panel.getByText(/^1 person gains \d+ accesses? and loses 0 accesses$/).waitFor();
    await drawer.getByRole('button', { name: 'Save changes' }).click();
    await drawer.waitFor({ state: 'hidden' });
    assert.deepEqual((await apiCall(owner, 'GET', `/api/projects/${project.id}`)).members, [bea.id]);

    // A board's invitations: on an invite-only board, Bea invited as a member gains it.
    const board = await apiCall(owner, 'POST', '/api/boards', { name: 'Sprint', visibility: 'invited' });
    await owner.goto(`${server.url}/#/boards/${board.id}`);
    await owner.getByRole('tab', { name: 'Settings' }).click();
    await owner.getByRole('button', { name: 'Save board' }).waitFor();
    assert.equal(await owner.getByRole('region', { name: 'What changes' }).count(), 0, 'no preview before a change');
    await owner.getByRole('combobox', { name: 'Invite' }).click();
    await owner.getByRole('option', { name: BEA.name, exact: true }).click();
    await owner.getByRole('button', { name: 'Add', exact: true }).click();
    const boardPanel = owner.getByRole('region', { name: 'What changes' });
    await boardPanel.getByText(/^1 person gains \d+ accesses? and loses 0 accesses$/).waitFor();
    const invited = boardPanel.getByRole('list', { name: BEA.name });
    assert.ok((await invited.getByRole('listitem').allInnerTexts()).map((s) => s.trim()).includes('gains “view” on board “Sprint”'));
    await owner.getByRole('button', { name: 'Save board' }).click();
    await owner.getByText('Board saved.').first().waitFor();
    await boardPanel.waitFor({ state: 'detached' });
    const saved = await apiCall(owner, 'GET', `/api/boards/${board.id}`);
    assert.ok(saved.access.some((g) => g.type === 'user' && g.id === bea.id && g.level === 'member'), JSON.stringify(saved.access));
  }, server);
  assert.deepEqual(problems, []);
});
