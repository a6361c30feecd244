// Backups in the browser: the owner chooses a backup folder in Settings → Backups (a
// relative path is refused under the field), turns the daily backup on, makes one now and
// sees it listed, downloads another; then, with the server stopped, `gatehouse admin
// restore` puts the first back — a project added after it is gone, the data that was there
// is kept aside — and the owner signs in to the restored folder.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, signIn } from './flows.mjs';
import { gatehouseBin, startServer } from './server.mjs';

const run = promisify(execFile);

test('backups: choose a folder, back up now, download, restore from the command line', async (t) => {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-e2e-data-'));
  const folder = await mkdtemp(path.join(tmpdir(), 'gatehouse-e2e-backups-'));
  t.after(() => Promise.all([rm(dataDir, { recursive: true, force: true }), rm(folder, { recursive: true, force: true })]));
  let server = await startServer({ dataDir, sqlite: true });
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);

  let made;
  await withScreenshot(page, 'backups-settings', async () => {
    await page.goto(server.url);
    await createOwner(page);
    await signIn(page, OWNER);
    await page.locator('header').getByText(OWNER.name).waitFor();
    await apiCall(page, 'POST', '/api/projects', { name: 'Before the backup' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('tab', { name: 'Backups' }).click();
    await page.getByRole('heading', { name: 'Backups', level: 2 }).waitFor();
    const input = page.getByLabel('Backup folder');
    await input.fill('Backups');
    await page.getByRole('switch', { name: /every day/ }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText("Give the folder's full path").waitFor();
    await input.fill(folder);
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Backup settings saved.').waitFor();
    // The daily backup is made at the hour's check; "Back up now" makes one at once.
    await page.getByRole('button', { name: 'Back up now' }).click();
    await page.getByText(/^Backup gatehouse-\d{8}-\d{6}\.gatehouse-backup made/).waitFor();
    const table = page.getByRole('table', { name: 'Backups in the folder' });
    await table.getByText(/^gatehouse-\d{8}-\d{6}\.gatehouse-backup$/).first().waitFor();
    made = (await readdir(folder)).filter((n) => /^gatehouse-\d{8}-\d{6}\.gatehouse-backup$/.test(n));
    assert.equal(made.length, 1, `one backup made by hand in ${folder}: ${made}`);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download a backup' }).click()]);
    const zip = await readFile(await download.path());
    assert.equal(zip.subarray(0, 2).toString(), 'PK', 'the download is a zip');
    assert.ok(zip.includes(Buffer.from('manifest.json')), 'with its manifest');
    await apiCall(page, 'POST', '/api/projects', { name: 'After the backup' });
  }, server);

  await server.stop();
  const archive = path.join(folder, made[0]);
  const { stdout } = await run(gatehouseBin, ['admin', 'restore', '--from', archive, '--yes', '--data', dataDir]);
  assert.match(stdout, /Its checksums are right/);
  assert.match(stdout, /kept in .*before-restore-/);
  assert.ok((await readdir(dataDir)).some((n) => n.startsWith('before-restore-')), 'the data that was there is kept aside');

  server = await startServer({ dataDir, sqlite: true });
  await withScreenshot(page, 'backups-restored', async () => {
    await page.goto(server.url);
    await signIn(page, OWNER);
    await page.locator('header').getByText(OWNER.name).waitFor();
    const projects = await apiCall(page, 'GET', '/api/projects');
    const names = projects.items.map((p) => p.name);
    assert.ok(names.includes('Before the backup'), `restored: ${names}`);
    assert.ok(!names.includes('After the backup'), `nothing after the backup: ${names}`);
  }, server);
  assert.deepEqual(problems, []);
});
