// Email with a real SMTP server on 127.0.0.1: a new member's welcome link sets their
// password in the browser and signs them in; "Forgot password?" mails a link that works
// once; with the mail server down the email log shows the mail queued with the reason,
// and "Retry now" sends it once the server is back.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
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

// The outbox survives a crash: mail queued while the mail server is down is sent after a
// SIGKILL and a restart, and a mail already sent is not sent again after another restart.
test('mail: kill -9 loses no queued mail, and nothing is sent twice', async (t) => {
  const smtp = await startSMTP();
  t.after(() => smtp.stop());
  const dataDir = await mkdtemp(path.join(tmpdir(), 'gatehouse-e2e-crash-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const api = (url, token) => async (method, p, body) => {
    const r = await fetch(url + p, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  const signedIn = async (server) => {
    const { token } = await api(server.url)('POST', '/api/sessions', { email: OWNER.email, password: OWNER.password });
    return api(server.url, token);
  };

  let server = await startServer({ dataDir });
  t.after(() => server.kill());
  await api(server.url)('POST', '/api/setup', OWNER);
  let call = await signedIn(server);
  await call('PUT', '/api/settings/email', { host: smtp.host, port: smtp.port, security: 'none', fromAddress: 'gatehouse@example.test' });
  await smtp.down();
  await call('POST', '/api/users', { name: 'Kim Crash', email: 'kim@example.test', roleId: 'staff' });
  // Tried once and refused: queued, with the reason.
  for (let i = 0; ; i++) {
    const [m] = (await call('GET', '/api/email/outbox')).items;
    if (m?.lastError) {
      assert.equal(m.state, 'queued');
      break;
    }
    assert.ok(i < 100, 'the mail was never tried');
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill();
  await smtp.up();
  server = await startServer({ dataDir });
  await smtp.waitFor((m) => m.to.includes('kim@example.test'), 'the mail queued before the crash');
  call = await signedIn(server);
  for (let i = 0; (await call('GET', '/api/email/outbox')).items[0].state !== 'sent'; i++) {
    assert.ok(i < 100, 'the mail is not marked sent');
    await new Promise((r) => setTimeout(r, 100));
  }
  await server.kill();
  server = await startServer({ dataDir });
  await new Promise((r) => setTimeout(r, 1500));
  const toKim = (await smtp.messages()).filter((m) => m.to.includes('kim@example.test'));
  assert.equal(toKim.length, 1, 'a sent mail went out again after a restart');
});
