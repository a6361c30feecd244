// The activity log in the browser: a team member moves a task (and signs in twice); the owner
// opens Activity, filters it by kind and by person, and reads the move in words — from stage
// to stage, with the task's name as it is now after a rename; the filters live in the
// address; the export downloads what they select, in words; and in Brazilian Portuguese the
// same line reads in Portuguese.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, pick, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const SAM = { name: 'Sam Staff', email: 'sam@example.test', password: 'first-password-for-sam', next: 'sams-own-passphrase-42' };

test('activity: a task move in words, filtered by kind and person, exported', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let task;
  let samId;
  await withScreenshot(owner, 'activity-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const sam = await apiCall(owner, 'POST', '/api/users', { name: SAM.name, email: SAM.email, roleId: 'staff', password: SAM.password, sendWelcome: false });
    samId = sam.id;
    const project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website', members: [sam.id] });
    const board = await apiCall(owner, 'POST', '/api/boards', { name: 'Flow', visibility: 'all' });
    task = await apiCall(owner, 'POST', `/api/projects/${project.id}/tasks`, { title: 'Poster', boardId: board.id, stageId: board.stages[0].id });
    task.stages = board.stages;
  }, server);

  // Sam signs in (twice) and moves the task.
  const { page: sam, problems: samProblems } = await openPage(browser);
  await withScreenshot(sam, 'activity-staff', async () => {
    await sam.goto(server.url);
    await firstSignIn(sam, SAM);
    // A second sign-in the same day (say, from his other computer).
    await apiCall(sam, 'POST', '/api/sessions', { email: SAM.email, password: SAM.next });
    await apiCall(sam, 'PATCH', `/api/tasks/${task.id}`, { stageId: task.stages[1].id });
  }, server);
  // The owner renames the task afterwards: the log names it as it is now.
  await apiCall(owner, 'PATCH', `/api/tasks/${task.id}`, { title: 'Big poster' });

  await withScreenshot(owner, 'activity-filter', async () => {
    await owner.getByRole('navigation').getByRole('link', { name: 'Activity', exact: true }).click();
    await owner.getByRole('heading', { name: 'Activity' }).waitFor();
    const table = owner.getByRole('table', { name: 'Activity' });
    await table.getByText('Created a task').first().waitFor();

    const filters = owner.getByRole('search', { name: 'Activity' });
    await pick(owner, filters, 'Kind', 'Tasks');
    await pick(owner, filters, 'Who', SAM.name);
    await owner.waitForURL((u) => u.href.includes('kind=task') && u.href.includes(`actorId=${samId}`));
    const rows = table.getByTestId('activity-row');
    await rows.filter({ hasText: 'Moved a task' }).first().waitFor();
    await owner.waitForFunction(() => document.querySelectorAll('[data-testid="activity-row"]').length === 1);
    const move = rows.first();
    assert.match(await move.innerText(), /Sam Staff/);
    assert.match(await move.innerText(), /To do → In progress/);
    assert.match(await move.innerText(), /Big poster/, 'the task reads with its name now');
    assert.doesNotMatch(await move.innerText(), /\{"/, 'no JSON');

    // The filters are in the address: a reload keeps them.
    await owner.reload();
    await table.getByText('Moved a task').waitFor();
    assert.equal(await owner.getByRole('table', { name: 'Activity' }).getByTestId('activity-row').count(), 1);

    // The export downloads what they select, in words.
    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = await readFile(await download.path(), 'utf8');
    const lines = csv.trim().split(/\r?\n/);
    assert.equal(lines[0], 'at,actor,action,code,target_type,target,address,details');
    assert.equal(lines.length, 2, csv);
    assert.match(lines[1], /Sam Staff,Moved a task,task\.move,task,Big poster,/);
    assert.match(lines[1], /Stage: To do → In progress/);

    // Nothing matches a day before everything: the page says what to do.
    await filters.getByLabel('To', { exact: true }).fill('2020-01-01');
    await owner.getByText('No activity matches these filters').waitFor();
    await owner.getByRole('button', { name: 'Clear filters' }).last().click();
    await table.getByText('Signed in').first().waitFor();
    assert.ok(!owner.url().includes('kind='), owner.url());
    // Sam's two sign-ins of the day are one line.
    await table.getByTestId('activity-row').filter({ hasText: 'Signed in 2 times' }).first().waitFor();
  }, server);

  // The same line in Brazilian Portuguese.
  await withScreenshot(owner, 'activity-pt-BR', async () => {
    await apiCall(owner, 'PUT', '/api/me/language', { language: 'pt-BR' });
    await owner.goto(`${server.url}/#/activity?kind=task&actorId=${samId}`);
    await owner.reload(); // the language is read when the app starts
    const table = owner.getByRole('table', { name: 'Atividade' });
    await table.getByText('Moveu uma tarefa').waitFor();
    assert.match(await table.getByTestId('activity-row').first().innerText(), /Etapa:\s*To do → In progress/);
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(samProblems, []);
});
