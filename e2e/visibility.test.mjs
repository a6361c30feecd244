// Visibility end to end: the owner builds two projects in the UI, a staff member on one,
// a client attached to it with one client-visible and one internal task, and a follower of
// one task in the other project. Then each person, in a browser context of their own, sees
// exactly what they should: the staff member only the assigned project, the client only the
// client-visible task, the follower exactly the one task.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, navLinks, pick, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const SAM = { name: 'Sam Staff', email: 'sam@example.test', password: 'first-password-for-sam', next: 'sams-own-password-42' };
const FAY = { name: 'Fay Follower', email: 'fay@example.test', password: 'first-password-for-fay', next: 'fays-own-password-42' };
const CLEO = { name: 'Cleo Client', email: 'cleo@example.test', password: 'first-password-for-cleo', next: 'cleos-own-password-42' };

const ALPHA = 'Alpha website';
const BETA = 'Beta rebrand';
const VISIBLE_TASK = 'Homepage copy for review';
const INTERNAL_TASK = 'Internal budget check';
const BETA_TASK = 'Beta logo sketches';
const BETA_OTHER = 'Beta secret pricing';

async function taskRows(page) {
  await page.getByRole('table', { name: 'Tasks' }).waitFor();
  return (await page.getByTestId('task-row').getByRole('button').allInnerTexts()).map((s) => s.trim());
}

async function projectRows(page) {
  await page.getByRole('table', { name: 'Projects' }).waitFor();
  return (await page.getByRole('table', { name: 'Projects' }).getByRole('link').allInnerTexts()).map((s) => s.trim());
}

async function createTask(page, title, { clientVisible = false } = {}) {
  await page.getByRole('button', { name: 'New task' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Title').fill(title);
  const toggle = dialog.getByLabel('Visible to the client');
  assert.equal(await toggle.isChecked(), false, 'a new task is internal by default');
  if (clientVisible) await toggle.check();
  await dialog.getByRole('button', { name: 'Create task' }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByTestId('task-row').filter({ hasText: title }).waitFor();
}

test('visibility: assigned projects, client-visible tasks, followers', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  // ---- the owner sets everything up ------------------------------------------------------
  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'visibility-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();

    // Alone, the owner (who sees every project) is not "staff without projects".
    await owner.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await owner.getByText('Create your first project').waitFor();
    await owner.getByRole('table', { name: 'Projects' }).or(owner.getByText('0 projects')).waitFor();
    await owner.waitForLoadState('networkidle');
    assert.equal(await owner.getByTestId('staff-without-projects').count(), 0, 'nobody lacks a project yet');

    // People (the users page itself is covered by roles.test.mjs).
    for (const [u, roleId] of [
      [SAM, 'staff'],
      [FAY, 'staff'],
      [CLEO, 'client'],
    ]) {
      await apiCall(owner, 'POST', '/api/users', { name: u.name, email: u.email, roleId, password: u.password });
    }

    // Two projects, in the UI: Alpha with Sam as member and Cleo as client; Beta alone.
    await owner.reload();
    await owner.getByRole('heading', { name: 'Projects', exact: true }).waitFor();
    // Before any project: the staff are listed as without projects.
    const without = owner.getByTestId('staff-without-projects');
    await without.getByText(SAM.name).waitFor();

    await owner.getByRole('button', { name: 'New project' }).first().click();
    let drawer = owner.getByRole('dialog');
    await drawer.getByLabel('Name').fill(ALPHA);
    await pick(owner, drawer, 'Members', SAM.name);
    await pick(owner, drawer, 'Clients', CLEO.name);
    await drawer.getByRole('button', { name: 'Create project' }).click();
    await drawer.waitFor({ state: 'hidden' });

    await owner.getByRole('button', { name: 'New project' }).first().click();
    drawer = owner.getByRole('dialog');
    await drawer.getByLabel('Name').fill(BETA);
    await drawer.getByRole('button', { name: 'Create project' }).click();
    await drawer.waitFor({ state: 'hidden' });
    assert.deepEqual((await projectRows(owner)).sort(), [ALPHA, BETA].sort());
    // Sam is on a project now; Fay (staff) is not yet; clients and the owner never count.
    await without.getByText(FAY.name).waitFor();
    await without.getByText(SAM.name).waitFor({ state: 'detached' });
    assert.deepEqual((await without.locator('.mantine-Badge-root').allInnerTexts()).map((s) => s.trim()), [FAY.name]);

    // Alpha: one client-visible task and one internal task.
    await owner.getByRole('link', { name: ALPHA }).click();
    await owner.getByRole('heading', { name: ALPHA }).waitFor();
    await createTask(owner, VISIBLE_TASK, { clientVisible: true });
    await createTask(owner, INTERNAL_TASK);
    const alphaRows = owner.getByTestId('task-row');
    assert.match(await alphaRows.filter({ hasText: VISIBLE_TASK }).innerText(), /Client-visible/);
    assert.match(await alphaRows.filter({ hasText: INTERNAL_TASK }).innerText(), /Internal/);

    // Alpha's Access tab: Sam as member, Cleo as client, the owner through the role.
    await owner.getByRole('tab', { name: 'Access' }).click();
    const access = owner.getByRole('table', { name: 'Access to this project' });
    await access.getByRole('row').filter({ hasText: SAM.name }).getByText('Member', { exact: true }).waitFor();
    await access.getByRole('row').filter({ hasText: CLEO.name }).getByText('Client', { exact: true }).last().waitFor();
    await access.getByRole('row').filter({ hasText: OWNER.name }).getByText('Role: Admin sees all projects').waitFor();

    // Beta: two tasks; Fay follows one of them, added from the task drawer.
    await owner.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await owner.getByRole('link', { name: BETA }).click();
    await owner.getByRole('heading', { name: BETA }).waitFor();
    await createTask(owner, BETA_TASK);
    await createTask(owner, BETA_OTHER);
    await owner.getByRole('button', { name: BETA_TASK, exact: true }).click();
    drawer = owner.getByRole('dialog');
    await drawer.getByRole('heading', { name: BETA_TASK }).waitFor();
    await pick(owner, drawer, 'Add a follower', FAY.name);
    await drawer.getByRole('button', { name: 'Add', exact: true }).click();
    await drawer.getByLabel(`Remove follower ${FAY.name}`).waitFor();
    // The task's Access tab names the follower path.
    await drawer.getByRole('tab', { name: 'Access' }).click();
    await drawer
      .getByRole('table', { name: 'Access to this task' })
      .getByRole('row')
      .filter({ hasText: FAY.name })
      .getByText('Follower', { exact: true })
      .waitFor();
    // Explain: Fay may see the task, not the project.
    await pick(owner, drawer, 'Person', FAY.name);
    await drawer.getByRole('button', { name: 'Explain' }).click();
    await drawer.getByTestId('explain-result').getByText('Allowed').waitFor();
    await owner.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  }, server);

  // ---- the staff member sees only the assigned project ------------------------------------
  const { page: sam, problems: samProblems } = await openPage(browser);
  await withScreenshot(sam, 'visibility-staff', async () => {
    await sam.goto(server.url);
    await firstSignIn(sam, SAM);
    await sam.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    assert.deepEqual(await projectRows(sam), [ALPHA]);
    await sam.getByRole('link', { name: ALPHA }).click();
    assert.deepEqual((await taskRows(sam)).sort(), [INTERNAL_TASK, VISIBLE_TASK].sort());
    // Every task Sam sees is Alpha's: nothing of Beta.
    await sam.getByRole('navigation').getByRole('link', { name: 'Tasks', exact: true }).click();
    await sam.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    assert.deepEqual((await taskRows(sam)).sort(), [INTERNAL_TASK, VISIBLE_TASK].sort());
  }, server);

  // ---- the client sees only the client-visible task ----------------------------------------
  const { page: cleo, problems: cleoProblems } = await openPage(browser);
  await withScreenshot(cleo, 'visibility-client', async () => {
    await cleo.goto(server.url);
    await firstSignIn(cleo, CLEO);
    const links = await navLinks(cleo);
    assert.ok(links.includes('Projects'), `navbar: ${links}`);
    for (const hidden of ['Boards', 'Users', 'Teams']) assert.ok(!links.includes(hidden), `${hidden} in the portal navbar: ${links}`);
    await cleo.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    assert.deepEqual(await projectRows(cleo), [ALPHA]);
    await cleo.getByRole('link', { name: ALPHA }).click();
    assert.deepEqual(await taskRows(cleo), [VISIBLE_TASK]);
    assert.equal(await cleo.getByRole('tab', { name: 'Access' }).count(), 0, 'no Access tab in the portal');
  }, server);

  // ---- the follower sees exactly that one task ---------------------------------------------
  const { page: fay, problems: fayProblems } = await openPage(browser);
  await withScreenshot(fay, 'visibility-follower', async () => {
    await fay.goto(server.url);
    await firstSignIn(fay, FAY);
    await fay.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await fay.getByText('You are not on any project yet. Ask an administrator to add you to a project.').waitFor();
    await fay.getByRole('navigation').getByRole('link', { name: 'Tasks', exact: true }).click();
    await fay.getByRole('heading', { name: 'Tasks', exact: true }).waitFor();
    assert.deepEqual(await taskRows(fay), [BETA_TASK]);
    await fay.getByRole('button', { name: BETA_TASK, exact: true }).click();
    const drawer = fay.getByRole('dialog');
    await drawer.getByRole('heading', { name: BETA_TASK }).waitFor();
    // Following lets Fay see the task, not change it.
    assert.equal(await drawer.getByRole('button', { name: 'Save changes' }).count(), 0);
  }, server);

  // ---- "view as": the owner sees the app as the client, read-only --------------------------
  await withScreenshot(owner, 'visibility-view-as', async () => {
    await owner.getByRole('navigation').getByRole('link', { name: 'Users', exact: true }).click();
    await owner.getByRole('button', { name: `View as ${CLEO.name}` }).click();
    await owner.getByTestId('view-as-banner').getByText(`Viewing as ${CLEO.name} — read-only`).waitFor();
    await owner.locator('header').getByText(CLEO.name).waitFor();
    await owner.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    assert.deepEqual(await projectRows(owner), [ALPHA]);
    assert.equal(await owner.getByRole('button', { name: 'New project' }).count(), 0);
    await owner.getByTestId('view-as-banner').getByRole('button', { name: 'Exit' }).click();
    await owner.getByTestId('view-as-banner').waitFor({ state: 'detached' });
    await owner.locator('header').getByText(OWNER.name).waitFor();
  }, server);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(samProblems, [], 'no page errors for the staff member');
  assert.deepEqual(cleoProblems, [], 'no page errors for the client');
  assert.deepEqual(fayProblems, [], 'no page errors for the follower');
});
