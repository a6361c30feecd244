// Repeated wrong passwords: the server throttles (429 + Retry-After) and the sign-in
// screen counts down with the button disabled.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, withScreenshot } from './browser.mjs';
import { OWNER } from './flows.mjs';
import { startServer } from './server.mjs';

test('sign-in throttling shows a countdown and disables the button', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const setup = await fetch(`${server.url}/api/setup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  assert.equal(setup.status, 201, await setup.text());

  const browser = await launchBrowser();
  t.after(() => browser.close());
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);

  await withScreenshot(page, 'throttle', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Email').fill(OWNER.email);
    const password = page.getByLabel('Password', { exact: true });
    const button = page.getByRole('button', { name: /^Sign in/ });
    const countdown = page.getByRole('alert').filter({ hasText: /Too many attempts\. Try again in \d+ seconds?\./ });
    for (let i = 0; i < 20; i++) {
      await password.fill(`wrong-password-${i}`);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/sessions'));
      await password.press('Enter');
      if ((await answered).status() === 429) break;
      await page.getByRole('alert').filter({ hasText: 'Email or password is wrong.' }).waitFor();
    }
    await countdown.waitFor();
    assert.equal(await button.isDisabled(), true, 'the button waits for the countdown');
    const first = Number((await countdown.innerText()).match(/in (\d+) second/)[1]);
    await page.waitForTimeout(2200);
    const later = Number((await countdown.innerText()).match(/in (\d+) second/)[1]);
    assert.ok(later < first, `the countdown moves (${first} → ${later})`);
  }, server);
});
