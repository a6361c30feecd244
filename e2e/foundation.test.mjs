// Fresh server → setup → wrong password → sign in → shell → dark mode → sign out.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, watchPage, withScreenshot } from './browser.mjs';
import { startServer } from './server.mjs';

const OWNER = { name: 'Olivia Owner', email: 'owner@example.test', password: 'correct-horse-battery-1' };

test('foundation: setup, sign-in, shell, dark mode, sign out', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems = watchPage(page);

  await withScreenshot(page, 'foundation', async () => {
    await page.goto(server.url);

    // 1. Setup: the first owner.
    await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
    await page.getByLabel('Full name').fill(OWNER.name);
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Confirm password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Create owner account' }).click();

    // 2. Sign-in with a wrong password: the server's message in an alert.
    await page.getByText('Owner account created — sign in').waitFor();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.getByLabel('Email').inputValue(), OWNER.email);
    await page.getByLabel('Password', { exact: true }).fill('not-the-password-99');
    await page.getByLabel('Password', { exact: true }).press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();

    // 3. The right password: the shell with the owner's name and role.
    await page.getByLabel('Password', { exact: true }).fill(OWNER.password);
    await page.getByLabel('Password', { exact: true }).press('Enter');
    const header = page.locator('header');
    await header.getByText(OWNER.name).waitFor();
    await header.getByText('Admin', { exact: true }).waitFor();
    await page.getByRole('heading', { name: `Welcome, ${OWNER.name}` }).waitFor();
    await page.getByRole('navigation').getByRole('link', { name: 'Overview' }).waitFor();

    // 4. Dark mode, remembered across a reload (the session survives it too).
    await page.getByRole('button', { name: 'Switch to dark mode' }).click();
    assert.equal(await page.locator('html').getAttribute('data-mantine-color-scheme'), 'dark');
    await page.reload();
    await header.getByText(OWNER.name).waitFor();
    assert.equal(await page.locator('html').getAttribute('data-mantine-color-scheme'), 'dark');

    // 5. Sign out: back to the sign-in screen; the old token is gone.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gatehouse.token')), null);
  }, server);

  assert.deepEqual(problems, [], 'no page errors');
});
