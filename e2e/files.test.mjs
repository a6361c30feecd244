// Project files in the browser: a team member uploads two files, the owner shares one with
// the client, and the client downloads it; the client never reaches the internal one, not
// even by its URL.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const SAM = { name: 'Sam Staff', email: 'sam@example.test', password: 'first-password-for-sam', next: 'sams-own-passphrase-42' };
const CLEO = { name: 'Cleo Client', email: 'cleo@example.test', password: 'first-password-for-cleo', next: 'cleos-own-passphrase-42' };

async function openFiles(page, projectName) {
  await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: projectName }).first().click();
  await page.getByRole('tab', { name: 'Files' }).click();
}

test('files: staff uploads, the owner shares, the client downloads only what is shared', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let project;
  await withScreenshot(owner, 'files-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const sam = await apiCall(owner, 'POST', '/api/users', { name: SAM.name, email: SAM.email, roleId: 'staff', password: SAM.password, sendWelcome: false });
    const cleo = await apiCall(owner, 'POST', '/api/users', { name: CLEO.name, email: CLEO.email, roleId: 'client', password: CLEO.password, sendWelcome: false });
    project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website', members: [sam.id], clients: [cleo.id] });
  }, server);

  // Sam uploads two files through the Files tab.
  const { page: sam, problems: samProblems } = await openPage(browser);
  await withScreenshot(sam, 'files-staff-upload', async () => {
    await sam.goto(server.url);
    await firstSignIn(sam, SAM);
    await openFiles(sam, 'Website');
    await sam.getByText('No files yet').first().waitFor();
    await sam.locator('input[type="file"]').setInputFiles([
      { name: 'brief.txt', mimeType: 'text/plain', buffer: Buffer.from('the brief for the client') },
      { name: 'salaries.txt', mimeType: 'text/plain', buffer: Buffer.from('internal numbers') },
    ]);
    await sam.getByRole('button', { name: 'Download brief.txt' }).waitFor();
    await sam.getByRole('button', { name: 'Download salaries.txt' }).waitFor();
  }, server);
  const { files } = await apiCall(owner, 'GET', `/api/projects/${project.id}/files`);
  const brief = files.find((f) => f.name === 'brief.txt');
  const salaries = files.find((f) => f.name === 'salaries.txt');

  // The owner shares the brief (Staff's role does not hold files.share_clients).
  await withScreenshot(owner, 'files-owner-share', async () => {
    await openFiles(owner, 'Website');
    await owner.getByRole('switch', { name: 'Share brief.txt with clients' }).click();
    await owner.getByText('Shared with clients').first().waitFor();
  }, server);

  // Cleo sees the brief only, downloads it, and cannot reach the internal file by its URL.
  const { page: cleo, problems: cleoProblems } = await openPage(browser);
  await withScreenshot(cleo, 'files-client-download', async () => {
    await cleo.goto(server.url);
    await firstSignIn(cleo, CLEO);
    await openFiles(cleo, 'Website');
    await cleo.getByText('Files shared with you').first().waitFor();
    await cleo.getByRole('button', { name: 'Download brief.txt' }).waitFor();
    assert.equal(await cleo.getByText('salaries.txt').count(), 0, 'the client sees an internal file');
    const [download] = await Promise.all([
      cleo.waitForEvent('download'),
      cleo.getByRole('button', { name: 'Download brief.txt' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'brief.txt');
    assert.equal(await readFile(await download.path(), 'utf8'), 'the brief for the client');
    const byURL = await cleo.evaluate(async (id) => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch(`/api/files/${id}/content`, { headers: { Authorization: `Bearer ${token}` } });
      return { status: r.status, body: await r.text() };
    }, salaries.id);
    assert.equal(byURL.status, 404, `the internal file by its URL: ${byURL.status}`);
    assert.ok(!byURL.body.includes('internal numbers'));
    const shared = await cleo.evaluate(async (id) => {
      const token = sessionStorage.getItem('gatehouse.token');
      return (await fetch(`/api/files/${id}/content`, { headers: { Authorization: `Bearer ${token}` } })).status;
    }, brief.id);
    assert.equal(shared, 200);
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(samProblems, []);
  // The client's page asked for the internal file once, on purpose (404).
  assert.deepEqual(cleoProblems.filter((p) => !p.includes('404')), []);
});
