// Costs and rates in the browser, as the second article has them: the owner sets a
// project's budget and a team member's hour rate; a Manager adds an extra cost and sees the
// budget against what was spent, sees the hour rate and is offered no way to change it; a
// Staff member of the project sees no Costs tab and no figure.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const MIA = { name: 'Mia Manager', email: 'mia@example.test', password: 'first-password-for-mia', next: 'mias-own-passphrase-42' };
const SAM = { name: 'Sam Staff', email: 'sam@example.test', password: 'first-password-for-sam', next: 'sams-own-passphrase-42' };

async function openProject(page, name) {
  await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name }).first().click();
  await page.getByRole('heading', { name }).waitFor();
}

const figure = (page, label) => page.getByRole('group', { name: label, exact: true });

test('costs: the owner sets a budget and a rate; a Manager adds a cost and cannot change the rate; Staff sees none of it', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let project, sam;
  await withScreenshot(owner, 'costs-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    // A Manager role made from its template, as an owner would pick it.
    const { items: templates } = await apiCall(owner, 'GET', '/api/role-templates');
    const tpl = templates.find((x) => x.key === 'manager');
    assert.ok(tpl, 'a manager template');
    const role = await apiCall(owner, 'POST', '/api/roles', { name: tpl.name, kind: tpl.kind, permissions: tpl.permissions });
    await apiCall(owner, 'POST', '/api/users', { name: MIA.name, email: MIA.email, roleId: role.id, password: MIA.password, sendWelcome: false });
    sam = await apiCall(owner, 'POST', '/api/users', { name: SAM.name, email: SAM.email, roleId: 'staff', password: SAM.password, sendWelcome: false });
    project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website', members: [sam.id] });
  }, server);

  await withScreenshot(owner, 'costs-owner-budget', async () => {
    await openProject(owner, 'Website');
    await owner.getByRole('tab', { name: 'Costs' }).click();
    await figure(owner, 'Budget').getByText('Not set').waitFor();
    await owner.getByText('No extra costs yet').waitFor();
    await owner.getByRole('button', { name: 'Set budget' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Project budget' });
    await dialog.getByLabel('Budget').fill('10,000');
    await dialog.getByRole('button', { name: 'Save budget' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await figure(owner, 'Budget').getByText('€10,000.00').waitFor();
    await figure(owner, 'Remaining').getByText('€10,000.00').waitFor();
    const costs = await apiCall(owner, 'GET', `/api/projects/${project.id}/costs`);
    assert.equal(costs.budget, 1_000_000, 'the budget in cents');
  }, server);

  await withScreenshot(owner, 'costs-owner-rate', async () => {
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('heading', { name: 'Users', exact: true }).waitFor();
    await owner.getByRole('table', { name: 'Users' }).getByRole('button', { name: SAM.name, exact: true }).click();
    const section = owner.getByRole('dialog').getByRole('region', { name: 'Hour rate' });
    await section.getByText('Hour rate: Not set').waitFor();
    await section.getByRole('button', { name: 'Change hour rate' }).click();
    await section.getByLabel('Hour rate').fill('65');
    await section.getByRole('button', { name: 'Save hour rate' }).click();
    await section.getByText('Hour rate: €65.00').waitFor();
    await owner.keyboard.press('Escape');
    const row = owner.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: SAM.email });
    await row.getByText('€65.00').waitFor();
  }, server);

  // Mia, a Manager, records an extra cost and sees it against the budget.
  const { page: mia, problems: miaProblems } = await openPage(browser);
  await withScreenshot(mia, 'costs-manager-cost', async () => {
    await mia.goto(server.url);
    await firstSignIn(mia, MIA);
    await openProject(mia, 'Website');
    await mia.getByRole('tab', { name: 'Costs' }).click();
    await figure(mia, 'Budget').getByText('€10,000.00').waitFor();
    await mia.getByRole('button', { name: 'Add cost' }).click();
    const dialog = mia.getByRole('dialog', { name: 'Add an extra cost' });
    await dialog.getByLabel('Description').fill('Stock photos');
    await dialog.getByLabel('Amount').fill('129.90');
    await dialog.getByLabel('Date').fill('2026-11-02');
    await dialog.getByRole('button', { name: 'Add cost' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const table = mia.getByRole('table', { name: 'Extra costs' });
    await table.getByRole('row').filter({ hasText: 'Stock photos' }).getByText('€129.90').waitFor();
    await figure(mia, 'Spent').getByText('€129.90').waitFor();
    await figure(mia, 'Remaining').getByText('€9,870.10').waitFor();
    assert.equal(await mia.getByRole('progressbar', { name: 'Budget used' }).getAttribute('aria-valuenow'), '1');
    await mia.getByText('1% of the budget spent.').waitFor();
    const costs = await apiCall(mia, 'GET', `/api/projects/${project.id}/costs`);
    assert.deepEqual(costs.items.map((c) => [c.description, c.amount, c.date]), [['Stock photos', 12_990, '2026-11-02']]);
  }, server);

  await withScreenshot(mia, 'costs-manager-rate', async () => {
    await mia.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    const row = mia.getByRole('table', { name: 'Users' }).getByRole('row').filter({ hasText: SAM.email });
    await row.getByText('€65.00').waitFor();
    // Nothing to open on Sam, and nothing anywhere that changes a rate.
    assert.equal(await row.getByRole('button', { name: SAM.name, exact: true }).count(), 0, 'the Manager opens Sam’s account');
    assert.equal(await mia.getByRole('button', { name: 'Change hour rate' }).count(), 0, 'the Manager is offered a rate change');
    const refused = await mia.evaluate(async (id) => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch(`/api/users/${id}/hour-rate`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ hourRate: 1 }),
      });
      return r.status;
    }, sam.id);
    assert.equal(refused, 403, 'a Manager changes an hour rate');
  }, server);

  // Sam, on the project, sees neither the tab nor any figure.
  const { page: samPage, problems: samProblems } = await openPage(browser);
  await withScreenshot(samPage, 'costs-staff', async () => {
    await samPage.goto(server.url);
    await firstSignIn(samPage, SAM);
    await openProject(samPage, 'Website');
    await samPage.getByRole('tab', { name: /Tasks/ }).waitFor();
    assert.equal(await samPage.getByRole('tab', { name: 'Costs' }).count(), 0, 'Staff sees the Costs tab');
    assert.doesNotMatch(await samPage.locator('body').innerText(), /€|Budget/, 'Staff sees a figure');
    const p = await apiCall(samPage, 'GET', `/api/projects/${project.id}`);
    assert.ok(!('budget' in p) && !('spent' in p), 'Staff is sent the budget');
    assert.ok(!p.actions.includes('viewCosts'));
    const me = await apiCall(samPage, 'GET', '/api/me');
    assert.ok(!('hourRate' in me.user), 'Staff is sent their own hour rate');
  }, server);

  assert.deepEqual(ownerProblems, []);
  // Mia's one refusal (403) was asked for on purpose.
  assert.deepEqual(miaProblems.filter((p) => !p.includes('403')), []);
  assert.deepEqual(samProblems, []);
});
