// Two-factor sign-in in the browser: the owner sets it up from My account with the QR code's
// key and a code this test computes (RFC 6238, written here with node:crypto, apart from the
// backend's library), keeps the recovery codes, signs out, signs in with password and code,
// then with a recovery code — which works once.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, createOwner, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

function base32(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, '0');
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238: HMAC-SHA1 over the 30-second step, dynamically truncated (RFC 4226 §5.3). */
function totp(secret, ms = Date.now(), digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(ms / 1000 / 30)));
  const h = createHmac('sha1', base32(secret)).update(msg).digest();
  const off = h[h.length - 1] & 0x0f;
  return String((h.readUInt32BE(off) & 0x7fffffff) % 10 ** digits).padStart(digits, '0');
}

const step = (ms = Date.now()) => Math.floor(ms / 1000 / 30);

/** Waits for the next 30-second step: each step's code works once. */
async function nextStep(after) {
  while (step() <= after) await sleep(500);
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
}

test('two-factor: enrol from My account, sign in with a code, a recovery code works once', async (t) => {
  // The test's own TOTP against RFC 6238's first SHA1 vector, so a wrong helper fails here.
  assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 59_000, 8), '94287082');

  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());
  const { page, problems } = await openPage(browser);

  let secret;
  let codes;
  let used;
  await withScreenshot(page, 'twofactor-enrol', async () => {
    await page.goto(server.url);
    await createOwner(page);
    await signIn(page, OWNER);
    await page.locator('header').getByText(OWNER.name).waitFor();
    await page.getByRole('link', { name: /^My account/ }).first().click();
    const section = page.getByRole('region', { name: 'Two-factor sign-in' });
    await section.getByRole('button', { name: 'Set up two-factor sign-in' }).click();
    // The QR code the server drew is an image the page shows (not a broken one).
    const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => img.complete && img.naturalWidth >= 200), 'the QR code image loads');
    secret = (await page.getByTestId('two-factor-secret').innerText()).replace(/\s/g, '');
    assert.match(secret, /^[A-Z2-7]{32}$/, 'a 160-bit base32 key');
    used = step();
    await page.getByLabel('Code from the app').fill(totp(secret));
    await page.getByRole('button', { name: 'Turn on' }).click();
    codes = (await page.getByTestId('recovery-codes').innerText()).trim().split('\n');
    assert.equal(codes.length, 10, 'ten recovery codes');
    await page.getByLabel('I have saved my recovery codes').check();
    await page.getByRole('button', { name: 'Done' }).click();
    await section.getByText('On', { exact: true }).waitFor();
    await section.getByText('Recovery codes left: 10.').waitFor();
    // The key is not shown again.
    assert.equal(await page.getByTestId('two-factor-secret').count(), 0);
  }, server);

  await withScreenshot(page, 'twofactor-code', async () => {
    await signOut(page);
    await signIn(page, OWNER);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    // The password alone opened nothing.
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gatehouse.token')), null);
    await page.getByLabel('Code from your authenticator app').fill('000000');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That code is not right.', { exact: false }).waitFor();
    await nextStep(used); // the enrolment's code was this step's
    await page.getByLabel('Code from your authenticator app').fill(totp(secret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('header').getByText(OWNER.name).waitFor();
  }, server);

  await withScreenshot(page, 'twofactor-recovery', async () => {
    await signOut(page);
    await signIn(page, OWNER);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(codes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('header').getByText(OWNER.name).waitFor();
    // It says so until dismissed (it sits over the header's Sign out).
    const note = page.getByRole('alert').filter({ hasText: 'You signed in with a recovery code' });
    await note.getByText('Recovery codes left: 9.', { exact: false }).waitFor();
    await note.getByRole('button').click();
    await note.waitFor({ state: 'detached' });

    // Once: the same recovery code is refused at the next sign-in.
    await signOut(page);
    await signIn(page, OWNER);
    await page.getByRole('heading', { name: 'Two-factor sign-in' }).waitFor();
    await page.getByRole('button', { name: 'Use a recovery code' }).click();
    await page.getByLabel('Recovery code').fill(codes[0]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('That code is not right.', { exact: false }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('gatehouse.token')), null, 'a used recovery code opens nothing');
    // Another one still works.
    await page.getByLabel('Recovery code').fill(codes[1]);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.locator('header').getByText(OWNER.name).waitFor();
  }, server);

  assert.deepEqual(problems, [], 'no page errors');
});
