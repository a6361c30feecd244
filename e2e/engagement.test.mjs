// Client activity in the browser: a client signs in, downloads the file shared with them
// and opens their invoice (its PDF, as the portal offers it); the owner opens Client
// activity and sees one sign-in, one download and one invoice viewed, then the client's
// login history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const CARL = { name: 'Carl Client', email: 'carl@client.example', password: 'first-password-for-carl', next: 'carls-own-passphrase-42' };

/** Uploads a file to a project through the API with the page's session (the upload's body is the file). */
async function upload(page, projectId, name, text) {
  return page.evaluate(
    async ({ projectId, name, text }) => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch(`/api/projects/${projectId}/files?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'text/plain' },
        body: text,
      });
      if (!r.ok) throw new Error(`upload ${name}: ${r.status} ${await r.text()}`);
      return r.json();
    },
    { projectId, name, text },
  );
}

test('client activity: a client signs in, downloads a file and opens an invoice; the owner sees it counted', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let number;
  await withScreenshot(owner, 'engagement-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const carl = await apiCall(owner, 'POST', '/api/users', { name: CARL.name, email: CARL.email, roleId: 'client', password: CARL.password, sendWelcome: false });
    const project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website', clients: [carl.id] });
    const brief = await upload(owner, project.id, 'brief.txt', 'the brief for the client');
    await apiCall(owner, 'PATCH', `/api/files/${brief.id}`, { shared: true });
    await apiCall(owner, 'PUT', '/api/invoicing/settings', { issuerName: 'Acme Studio Ltd' });
    const { companyId } = await apiCall(owner, 'GET', `/api/users/${carl.id}`);
    const invoice = await apiCall(owner, 'POST', '/api/invoices', {
      companyId,
      lines: [{ description: 'Website redesign', quantityMilli: 1000, unitPrice: 125_000, taxRateBP: 0 }],
    });
    number = (await apiCall(owner, 'POST', `/api/invoices/${invoice.id}/send`)).number;

    // Before the client comes: the row is there, never signed in.
    await owner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Client activity', exact: true }).click();
    await owner.getByRole('heading', { name: 'Client activity' }).waitFor();
    await owner.getByRole('status').filter({ hasText: 'No client has signed in yet' }).waitFor();
    await owner.getByRole('table', { name: 'Client activity' }).getByText('Never signed in').waitFor();
  }, server);

  // Carl: signs in, downloads the brief, saves his invoice's PDF.
  const { page: carl, problems: carlProblems } = await openPage(browser);
  await withScreenshot(carl, 'engagement-client', async () => {
    await carl.goto(server.url);
    await firstSignIn(carl, CARL);
    await carl.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
    await carl.getByRole('link', { name: 'Website' }).first().click();
    await carl.getByRole('tab', { name: 'Files' }).click();
    const [file] = await Promise.all([carl.waitForEvent('download'), carl.getByRole('button', { name: 'Download brief.txt' }).click()]);
    assert.equal(file.suggestedFilename(), 'brief.txt');
    await carl.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Invoices', exact: true }).click();
    const [pdf] = await Promise.all([
      carl.waitForEvent('download'),
      carl.getByRole('button', { name: `Download invoice ${number} as PDF` }).click(),
    ]);
    assert.match(pdf.suggestedFilename(), /\.pdf$/);
  }, server);

  // The owner: one sign-in, one download, one invoice viewed; then Carl's login history.
  await withScreenshot(owner, 'engagement-owner-sees', async () => {
    await owner.reload();
    const table = owner.getByRole('table', { name: 'Client activity' });
    await table.getByLabel(`Sign-ins of ${CARL.name}`).filter({ hasText: /^1$/ }).waitFor();
    assert.equal(await table.getByLabel(`Files downloaded by ${CARL.name}`).innerText(), '1');
    assert.equal(await table.getByLabel(`Invoices viewed by ${CARL.name}`).innerText(), '1');
    await table.getByText('Last: brief.txt', { exact: false }).waitFor();
    await table.getByText(`Last: ${number}`, { exact: false }).waitFor();
    assert.equal(await owner.getByRole('status').filter({ hasText: 'No client has signed in yet' }).count(), 0);

    // Sorting by files downloaded, then the CSV of the same rows.
    await owner.getByRole('button', { name: 'Sort by Files downloaded' }).click();
    await owner.locator('th[aria-sort="descending"]').getByText('Files downloaded').waitFor();
    const [csv] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('button', { name: 'Download CSV' }).click()]);
    assert.match(csv.suggestedFilename(), /^client-activity-\d{4}-\d{2}-\d{2}\.csv$/);

    await table.getByRole('button', { name: `Login history of ${CARL.name}` }).click();
    const history = owner.getByRole('table', { name: `Login history of ${CARL.name}` });
    await history.getByText('Signed in · with a password').waitFor();
    assert.equal(await history.getByRole('row').count(), 2, 'the header and one sign-in');
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(carlProblems, []);
});
