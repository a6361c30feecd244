// Project discussions in the browser: a team member starts an internal discussion and one
// shared with the client, mentioning the client in it; the client sees only the shared one
// and replies; the team member's open discussion shows the reply without a reload (it
// polls); the client never reaches the internal one, by its link or by the API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const SAM = { name: 'Sam Staff', email: 'sam@example.test', password: 'first-password-for-sam', next: 'sams-own-passphrase-42' };
const CLEO = { name: 'Cleo Client', email: 'cleo@example.test', password: 'first-password-for-cleo', next: 'cleos-own-passphrase-42' };

const INTERNAL = 'Internal budget';
const SHARED = 'Launch plan';
const REPLY = 'Looks good to us, go ahead.';

async function openDiscussions(page, projectName) {
  await page.getByRole('navigation').getByRole('link', { name: 'Projects', exact: true }).click();
  await page.getByRole('link', { name: projectName }).first().click();
  await page.getByRole('tab', { name: 'Discussions' }).click();
}

async function startDiscussion(page, title, body, { shared }) {
  await page.getByRole('button', { name: 'New discussion' }).click();
  const dialog = page.getByRole('dialog', { name: 'New discussion' });
  await dialog.getByLabel('Title').fill(title);
  await dialog.getByLabel('First message').fill(body);
  const visible = dialog.getByLabel("Visible to the project's clients");
  assert.equal(await visible.isChecked(), false, 'a new discussion is internal by default');
  if (shared) await visible.check();
  await dialog.getByRole('button', { name: 'Start discussion' }).click();
  await dialog.waitFor({ state: 'hidden' });
  // The new discussion opens.
  await page.getByRole('heading', { name: title }).waitFor();
}

/** The options a Mantine MultiSelect offers, by its label (closed again afterwards). */
async function optionsOf(page, label) {
  const input = page.getByRole('combobox', { name: label, exact: true });
  await input.click();
  await page.getByRole('option').first().waitFor();
  const texts = (await page.getByRole('option').allInnerTexts()).map((s) => s.trim());
  await input.press('Escape');
  return texts;
}

test('discussions: internal and shared threads, mentions, a client reply seen by polling', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  let project;
  await withScreenshot(owner, 'discussions-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const sam = await apiCall(owner, 'POST', '/api/users', { name: SAM.name, email: SAM.email, roleId: 'staff', password: SAM.password, sendWelcome: false });
    const cleo = await apiCall(owner, 'POST', '/api/users', { name: CLEO.name, email: CLEO.email, roleId: 'client', password: CLEO.password, sendWelcome: false });
    project = await apiCall(owner, 'POST', '/api/projects', { name: 'Website', members: [sam.id], clients: [cleo.id] });
  }, server);

  // Sam starts an internal discussion and a shared one, and mentions Cleo in the shared one.
  const { page: sam, problems: samProblems } = await openPage(browser);
  await withScreenshot(sam, 'discussions-staff-start', async () => {
    await sam.goto(server.url);
    await firstSignIn(sam, SAM);
    await openDiscussions(sam, 'Website');
    await sam.getByText('No discussions yet').waitFor();

    await startDiscussion(sam, INTERNAL, 'Our margin on this one is thin.', { shared: false });
    // An internal discussion offers only the team to mention: never the client.
    const internalOptions = await optionsOf(sam, 'Mention');
    assert.ok(internalOptions.includes(OWNER.name), `the owner can be mentioned: ${internalOptions}`);
    assert.ok(!internalOptions.includes(CLEO.name), `the client is offered in an internal discussion: ${internalOptions}`);

    await sam.getByRole('button', { name: 'All discussions' }).click();
    await startDiscussion(sam, SHARED, 'Here is the plan for the launch.', { shared: true });
    const sharedOptions = await optionsOf(sam, 'Mention');
    assert.ok(sharedOptions.includes(CLEO.name), `the client can be mentioned in a shared discussion: ${sharedOptions}`);

    await sam.getByRole('combobox', { name: 'Mention', exact: true }).click();
    await sam.getByRole('option', { name: CLEO.name, exact: true }).click();
    await sam.getByRole('combobox', { name: 'Mention', exact: true }).press('Escape');
    const composer = sam.getByRole('textbox', { name: 'Message', exact: true });
    await composer.fill('Could you check the dates?');
    await composer.press('Control+Enter');
    const mine = sam.getByRole('listitem').filter({ hasText: 'Could you check the dates?' });
    await mine.getByText(`@${CLEO.name}`).waitFor();
    assert.equal(await composer.inputValue(), '', 'the composer is emptied once sent');
  }, server);

  const threads = (await apiCall(owner, 'GET', `/api/projects/${project.id}/threads`)).items;
  const internal = threads.find((x) => x.title === INTERNAL);
  const shared = threads.find((x) => x.title === SHARED);
  assert.equal(internal.clientVisible, false);
  assert.equal(shared.clientVisible, true);

  // Cleo sees only the shared discussion, with the mention, and replies.
  const { page: cleo, problems: cleoProblems } = await openPage(browser);
  await withScreenshot(cleo, 'discussions-client-reply', async () => {
    await cleo.goto(server.url);
    await firstSignIn(cleo, CLEO);
    await openDiscussions(cleo, 'Website');
    const list = cleo.getByRole('table', { name: 'Discussions' });
    await list.getByRole('button', { name: SHARED }).waitFor();
    assert.equal(await list.getByText(INTERNAL).count(), 0, 'the client sees an internal discussion');
    assert.equal(await list.getByText('Shared with client').count(), 0, 'a client is shown no visibility badge');
    await list.getByRole('button', { name: SHARED }).click();
    await cleo.getByRole('listitem').filter({ hasText: 'Could you check the dates?' }).getByText(`@${CLEO.name}`).waitFor();
    await cleo.getByRole('textbox', { name: 'Message', exact: true }).fill(REPLY);
    await cleo.getByRole('button', { name: 'Send' }).click();
    await cleo.getByRole('listitem').filter({ hasText: REPLY }).waitFor();
  }, server);

  // Sam's discussion is still open: the reply appears by polling, without a reload.
  await withScreenshot(sam, 'discussions-staff-sees-reply', async () => {
    const started = Date.now();
    await sam.getByRole('listitem').filter({ hasText: REPLY }).waitFor({ timeout: 8_000 });
    assert.ok(Date.now() - started < 8_000);
    await sam.getByRole('listitem').filter({ hasText: REPLY }).getByText(CLEO.name).waitFor();
  }, server);

  // The internal discussion is nowhere for Cleo: not by its link, not by the API.
  await withScreenshot(cleo, 'discussions-client-internal', async () => {
    await cleo.goto(`${server.url}/#/projects/${project.id}?thread=${internal.id}`);
    await cleo.getByText('This discussion does not exist, or you cannot see it.').waitFor();
    assert.equal(await cleo.getByText(INTERNAL).count(), 0, 'the internal title shows to the client');
    const byAPI = await cleo.evaluate(async (id) => {
      const token = sessionStorage.getItem('gatehouse.token');
      const headers = { Authorization: `Bearer ${token}` };
      const out = {};
      for (const path of [`/api/threads/${id}`, `/api/threads/${id}/messages`, `/api/threads/${id}/people`]) {
        const r = await fetch(path, { headers });
        out[path.replace(id, 'ID')] = { status: r.status, body: await r.text() };
      }
      const post = await fetch(`/api/threads/${id}/messages`, {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({ body: 'let me in' }),
      });
      out.post = { status: post.status, body: await post.text() };
      return out;
    }, internal.id);
    for (const [what, r] of Object.entries(byAPI)) {
      assert.equal(r.status, 404, `${what}: ${r.status} ${r.body}`);
      assert.ok(!r.body.includes('margin'), `${what} leaks the internal message`);
    }
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(samProblems, []);
  // The client's page asked for the internal discussion on purpose (404s).
  assert.deepEqual(cleoProblems.filter((p) => !p.includes('404')), []);
});
