// Team chat and 1:1 messages in the browser: one staff member writes in their team's
// channel and to a colleague; the colleague, signed in elsewhere, sees the unread badge on
// Chat appear without a reload (the menu polls), reads both, the badge goes, and replies;
// the first sees the reply without a reload (the open conversation polls). A client has no
// Chat in the menu, and the API refuses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, createOwner, firstSignIn, navLinks, signIn } from './flows.mjs';
import { startServer } from './server.mjs';

const AMY = { name: 'Amy Staff', email: 'amy@example.test', password: 'first-password-for-amy', next: 'amys-own-passphrase-42' };
const BEN = { name: 'Ben Staff', email: 'ben@example.test', password: 'first-password-for-ben', next: 'bens-own-passphrase-42' };
const CLEO = { name: 'Cleo Client', email: 'cleo@example.test', password: 'first-password-for-cleo', next: 'cleos-own-passphrase-42' };

const TEAM_NOTE = 'Stand-up moves to 10:00 tomorrow.';
const DIRECT = 'Ben, can you review the brief today?';
const REPLY = 'Sure, this afternoon.';

// The polls: the menu every 5 s, an open conversation every 3 s; a few seconds more for CI.
const POLL_WAIT = { timeout: 15_000 };

const chatLink = (page) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /^Chat/ });

async function send(page, text) {
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await box.press('Control+Enter');
  await page.getByRole('log').getByText(text).waitFor();
  assert.equal(await box.inputValue(), '', 'the composer is emptied once sent');
}

test('chat: a team channel and a 1:1 conversation, unread badge and replies without reloading', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  await withScreenshot(owner, 'chat-owner-setup', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    const user = (p, roleId) => apiCall(owner, 'POST', '/api/users', { name: p.name, email: p.email, roleId, password: p.password, sendWelcome: false });
    const amy = await user(AMY, 'staff');
    const ben = await user(BEN, 'staff');
    await user(CLEO, 'client');
    await apiCall(owner, 'POST', '/api/teams', { name: 'Design', members: [amy.id, ben.id] });
  }, server);

  // Ben signs in first and stays on the overview: nothing unread yet.
  const { page: ben, problems: benProblems } = await openPage(browser);
  await withScreenshot(ben, 'chat-ben-signin', async () => {
    await ben.goto(server.url);
    await firstSignIn(ben, BEN);
    await chatLink(ben).waitFor();
    assert.equal(await chatLink(ben).getAttribute('aria-label'), null);
    assert.equal((await chatLink(ben).innerText()).trim(), 'Chat', 'no badge while nothing is unread');
  }, server);

  // Amy writes in the team's channel, then to Ben one to one.
  const { page: amy, problems: amyProblems } = await openPage(browser);
  await withScreenshot(amy, 'chat-amy-writes', async () => {
    await amy.goto(server.url);
    await firstSignIn(amy, AMY);
    await chatLink(amy).click();
    await amy.getByRole('heading', { name: 'Chat', exact: true }).waitFor();
    await amy.getByRole('link', { name: 'Design' }).click();
    await amy.getByRole('heading', { name: 'Design' }).waitFor();
    await send(amy, TEAM_NOTE);

    // Whom one may write to: the team, never the client.
    const picker = amy.getByRole('combobox', { name: 'Message someone' });
    await picker.click();
    await amy.getByRole('option').first().waitFor();
    const offered = (await amy.getByRole('option').allInnerTexts()).map((s) => s.trim());
    assert.ok(offered.includes(BEN.name), `Ben is offered: ${offered}`);
    assert.ok(!offered.includes(CLEO.name), `the client is offered: ${offered}`);
    assert.ok(!offered.includes(AMY.name), `oneself is offered: ${offered}`);
    await amy.getByRole('option', { name: BEN.name, exact: true }).click();
    await amy.getByRole('heading', { name: BEN.name }).waitFor();
    await amy.getByText('No messages yet — say hello.').waitFor();
    await send(amy, DIRECT);
    // The conversation joins the list.
    await amy.getByRole('navigation', { name: 'Channels and conversations' }).getByRole('link', { name: BEN.name }).waitFor();
  }, server);

  // Ben's menu shows 2 unread without a reload; reading both channels takes the badge away.
  await withScreenshot(ben, 'chat-ben-reads', async () => {
    await ben.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat 2 unread messages' }).waitFor(POLL_WAIT);
    await chatLink(ben).click();
    const list = ben.getByRole('navigation', { name: 'Channels and conversations' });
    await list.getByRole('link', { name: `${AMY.name} 1 unread message` }).click();
    await ben.getByRole('log').getByText(DIRECT).waitFor();
    await ben.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat 1 unread message' }).waitFor(POLL_WAIT);
    await list.getByRole('link', { name: 'Design 1 unread message' }).click();
    await ben.getByRole('log').getByText(TEAM_NOTE).waitFor();
    await ben.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).waitFor(POLL_WAIT);
    assert.equal(await ben.getByTestId('nav-badge').count(), 0);

    await list.getByRole('link', { name: AMY.name }).click();
    await ben.getByRole('log').getByText(DIRECT).waitFor();
    await send(ben, REPLY);
  }, server);

  // Amy, still in the conversation, sees the reply arrive.
  await withScreenshot(amy, 'chat-amy-sees-reply', async () => {
    await amy.getByRole('log').getByText(REPLY).waitFor(POLL_WAIT);
    const author = amy.getByRole('log').getByRole('listitem').filter({ hasText: REPLY });
    await author.getByText(BEN.name).waitFor();
    // Only one's own messages can be changed.
    assert.equal(await author.getByRole('button', { name: /Edit|Delete/ }).count(), 0);
    const mine = amy.getByRole('log').getByRole('listitem').filter({ hasText: DIRECT });
    await mine.getByRole('button', { name: /^Edit your message/ }).waitFor();
  }, server);

  // A client: no Chat in the menu, and the API says no.
  const { page: cleo, problems: cleoProblems } = await openPage(browser);
  await withScreenshot(cleo, 'chat-client', async () => {
    await cleo.goto(server.url);
    await firstSignIn(cleo, CLEO);
    const links = await navLinks(cleo);
    assert.ok(!links.some((l) => l.startsWith('Chat')), `the client's menu has Chat: ${links}`);
    const status = await cleo.evaluate(async () => {
      const token = sessionStorage.getItem('gatehouse.token');
      return (await fetch('/api/chat', { headers: { Authorization: `Bearer ${token}` } })).status;
    });
    assert.equal(status, 403);
  }, server);

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(amyProblems, []);
  assert.deepEqual(benProblems, []);
  assert.deepEqual(cleoProblems, []);
});
