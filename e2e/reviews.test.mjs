// Access reviews (the first article's "Review roles quarterly … Remove or deactivate
// accounts that are no longer needed"): the owner starts a review of a project with a team
// member as its reviewer; the reviewer, in their own session, finds the checklist in the
// menu and revokes a project membership; the owner sees it decided, closes the review, the
// membership is gone, and the report downloads as CSV and PDF.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const MIA = { name: 'Mia Member', email: 'mia@example.test', password: 'first-password-from-owner', next: 'mias-own-secret-phrase-7' };
const SAM = { name: 'Sam Staffer', email: 'sam@example.test', password: 'sams-password-from-owner' };

test('access review: a member revokes a project membership, the owner closes, the report downloads', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  // ---- set-up through the API: Mia may see people and projects; Sam is on Apollo ----------
  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let projectId;
  let samId;
  await withScreenshot(owner, 'reviews-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const role = await apiCall(owner, 'POST', '/api/roles', {
      name: 'Reviewer',
      kind: 'internal',
      permissions: [
        { key: 'users.view', scope: 'all' },
        { key: 'projects.view', scope: 'all' },
      ],
    });
    await apiCall(owner, 'POST', '/api/users', { name: MIA.name, email: MIA.email, roleId: role.id, password: MIA.password });
    samId = (await apiCall(owner, 'POST', '/api/users', { name: SAM.name, email: SAM.email, roleId: 'staff', password: SAM.password })).id;
    projectId = (await apiCall(owner, 'POST', '/api/projects', { name: 'Apollo', members: [samId] })).id;
  }, server);

  // ---- the owner starts a review of Apollo with Mia as reviewer -------------------------
  await withScreenshot(owner, 'reviews-owner-start', async () => {
    await owner.reload();
    await owner.getByRole('navigation').getByRole('link', { name: 'Access reviews', exact: true }).click();
    await owner.getByRole('heading', { name: 'Access reviews', exact: true }).waitFor();
    await owner.getByText('No access reviews yet').waitFor();
    await owner.getByRole('button', { name: 'Start a review' }).first().click();
    const dialog = owner.getByRole('dialog', { name: 'Start an access review' });
    await dialog.waitFor();
    await dialog.getByText('One project', { exact: true }).click();
    // Required fields' labels end with an asterisk.
    await dialog.getByLabel(/^Project/).click();
    await owner.getByRole('option', { name: 'Apollo', exact: true }).click();
    // The picker offers only who the server accepts: the owner and Mia, never Sam (Staff cannot see people).
    await dialog.getByLabel(/^Reviewers/).click();
    const offered = (await owner.getByRole('option').allInnerTexts()).map((s) => s.trim()).sort();
    assert.deepEqual(offered, [MIA.name, OWNER.name].sort(), `reviewers offered: ${offered}`);
    await owner.getByRole('option', { name: MIA.name, exact: true }).click();
    await dialog.getByLabel(/^Reviewers/).blur();
    await dialog.getByRole('button', { name: 'Start the review' }).click();
    await owner.getByRole('heading', { name: 'Project: Apollo' }).waitFor();
    await owner.getByTestId('review-progress').getByText('0 of 1 lines decided').waitFor();
    const line = owner.getByTestId('review-line');
    assert.match(await line.innerText(), /Sam Staffer[\s\S]*Project: Apollo \(member\)[\s\S]*Mia Member[\s\S]*Undecided/);
  }, server);

  // ---- Mia: the checklist is in her menu; she revokes Sam's membership -------------------
  const { page: mia, problems: miaProblems } = await openPage(browser);
  await withScreenshot(mia, 'reviews-reviewer', async () => {
    await mia.goto(server.url);
    await firstSignIn(mia, MIA);
    await mia.getByRole('navigation').getByRole('link', { name: 'My access review', exact: true }).click();
    await mia.getByRole('heading', { name: 'My access review', exact: true }).waitFor();
    const row = mia.getByTestId('my-line').filter({ hasText: SAM.name });
    await row.getByText('Project: Apollo (member)').waitFor();
    await row.getByLabel('Note').fill('Sam left the Apollo team');
    await row.getByText('Revoke', { exact: true }).click();
    await row.getByText('Saved').waitFor();
    await mia.getByTestId('my-progress').getByText('1 of 1 of your lines decided').waitFor();
    // Deciding is not applying: Sam is still on the project until the review is closed.
    const p = await apiCall(owner, 'GET', `/api/projects/${projectId}`);
    assert.ok(p.members.includes(samId), 'a decision applied before the close');
  }, server);

  // ---- the owner sees it decided, closes the review; the membership is gone --------------
  await withScreenshot(owner, 'reviews-owner-close', async () => {
    await owner.reload();
    await owner.getByTestId('review-progress').getByText('1 of 1 lines decided').waitFor();
    await owner.getByTestId('review-line').getByText('Sam left the Apollo team').waitFor();
    await owner.getByRole('button', { name: 'Close the review' }).click();
    const dialog = owner.getByRole('dialog', { name: 'Close the access review' });
    await dialog.getByRole('button', { name: 'Close and apply' }).click();
    await owner.getByText('Review closed: 1 applied, 0 not applied, 0 kept.').waitFor();
    await owner.getByTestId('review-line').getByText('Applied: Done.').waitFor();
    const p = await apiCall(owner, 'GET', `/api/projects/${projectId}`);
    assert.ok(!p.members.includes(samId), `Sam is still a member: ${p.members}`);

    // The report: CSV and PDF.
    const [csvFile] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Report (CSV)' }).click()]);
    assert.equal(csvFile.suggestedFilename(), 'access-review.csv');
    const csv = await readFile(await csvFile.path(), 'utf8');
    assert.match(csv.split('\n')[0], /^line,person,email,access,name,detail,reviewer,decision/);
    assert.match(csv, /Sam Staffer,sam@example\.test,project,Apollo,member,Mia Member,revoke,Revoke,,Sam left the Apollo team,[^,]+,applied,/);
    const [pdfFile] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Report (PDF)' }).click()]);
    const pdf = await readFile(await pdfFile.path());
    assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  }, server);

  // ---- Mia's menu no longer offers a closed review's checklist ----------------------------
  await mia.reload();
  await mia.getByRole('navigation').getByRole('link').first().waitFor();
  assert.equal(await mia.getByRole('navigation').getByRole('link', { name: 'My access review', exact: true }).count(), 0);

  assert.deepEqual(ownerProblems, [], 'no page errors for the owner');
  assert.deepEqual(miaProblems, [], 'no page errors for the reviewer');
});
