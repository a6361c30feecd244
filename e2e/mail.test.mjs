// Email with a real SMTP server on 127.0.0.1: a new member's welcome link sets their
// password in the browser and signs them in; "Forgot password?" mails a link that works
// once; with the mail server down the email log shows the mail queued with the reason,
// and "Retry now" sends it once the server is back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, signIn } from './flows.mjs';
import { startServer } from './server.mjs';
import { linkIn, startSMTP } from './smtp.mjs';

const WES = { name: 'Wes Welcome', email: 'wes@example.test', password: 'wes-chose-this-passphrase' };

test('mail: welcome link, forgot password, server down then up', async (t) => {
  const smtp = await startSMTP();
  t.after(() => smtp.stop());
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'mail-owner', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    await apiCall(owner, 'PUT', '/api/settings/email', {
      host: smtp.host, port: smtp.port, security: 'none', fromName: 'Gatehouse', fromAddress: 'gatehouse@example.test',
    });
    const created = await apiCall(owner, 'POST', '/api/users', { name: WES.name, email: WES.email, roleId: 'staff' });
    assert.equal(created.welcome, 'queued');
    assert.equal(created.generatedPassword, undefined, 'no password to hand over when a welcome mail goes out');
  }, server);

  // The welcome mail's link: choose a password, land in the app.
  const welcome = await smtp.waitFor((m) => m.to.includes(WES.email) && m.subject === 'Welcome to Gatehouse', 'welcome mail');
  assert.ok(welcome.body.includes(server.url), `the mail says where to sign in:\n${welcome.body}`);
  const { page, problems } = await openPage(browser);
  await withScreenshot(page, 'mail-welcome-link', async () => {
    await page.goto(linkIn(welcome));
    await page.getByLabel('New password', { exact: true }).fill(WES.password);
    await page.getByLabel('Confirm new password').fill(WES.password);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.locator('header').getByText(WES.name).waitFor();
  }, server);

  // Forgot password: a reset link that works once.
  const { page: other } = await openPage(browser);
  await withScreenshot(other, 'mail-forgot', async () => {
    await other.goto(server.url);
    await other.getByRole('link', { name: 'Forgot password?' }).click();
    await other.getByLabel('Email').fill(WES.email);
    await other.getByRole('button', { name: 'Send reset link' }).click();
    await other.getByText('Check your email').waitFor();
    const reset = await smtp.waitFor((m) => m.to.includes(WES.email) && m.subject === 'Reset your Gatehouse password', 'reset mail');
    const link = linkIn(reset);
    await other.goto(link);
    await other.getByLabel('New password', { exact: true }).fill('wes-second-passphrase-2');
    await other.getByLabel('Confirm new password').fill('wes-second-passphrase-2');
    await other.getByRole('button', { name: 'Set password and sign in' }).click();
    await other.locator('header').getByText(WES.name).waitFor();
    await other.goto(link);
    await other.getByText('This link has expired or was already used').waitFor();
  }, server);

  // The mail server is down: the log shows the mail queued with why; back up, retry.
  await smtp.down();
  await withScreenshot(owner, 'mail-log', async () => {
    await apiCall(owner, 'POST', '/api/users', { name: 'Dora Down', email: 'dora@example.test', roleId: 'staff' });
    await owner.getByRole('navigation').getByRole('link', { name: 'Email log', exact: true }).click();
    const row = owner.getByRole('row').filter({ hasText: 'dora@example.test' });
    await row.getByText(/refused/).waitFor({ timeout: 20_000 });
    await row.getByText('Queued').waitFor();
    await smtp.up();
    await row.getByRole('button', { name: /Retry now/ }).click();
    await row.getByText('Sent').waitFor({ timeout: 20_000 });
    await smtp.waitFor((m) => m.to.includes('dora@example.test'), 'the retried mail');
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(problems, []);
});
