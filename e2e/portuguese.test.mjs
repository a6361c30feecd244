// One journey in Brazilian Portuguese, as an owner in Brazil would take it: they make
// Portuguese the organisation's default in Settings → General and the screens turn
// Portuguese; a member added from Usuários gets the welcome mail in Portuguese, chooses a
// password on a Portuguese page and lands in a Portuguese app; choosing English in My
// account turns only their own screens English. The server's messages follow: an address
// already taken is refused in Portuguese.
// (Every other browser test is the English journey.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launchBrowser, openPage, withScreenshot } from './browser.mjs';
import { OWNER, apiCall, apiMe, createOwner, signIn } from './flows.mjs';
import { startServer } from './server.mjs';
import { linkIn, startSMTP } from './smtp.mjs';

/** Chooses option in the Mantine Select labelled label, inside scope. */
async function choose(page, scope, label, option) {
  await scope.getByRole('combobox', { name: label, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

const ANA = { name: 'Ana Araújo', email: 'ana@example.test', password: 'ana-escolheu-esta-senha' };

test('Português (Brasil): default language, welcome mail, a member’s own choice', async (t) => {
  const smtp = await startSMTP();
  t.after(() => smtp.stop());
  const server = await startServer();
  t.after(() => server.stop());
  const browser = await launchBrowser();
  t.after(() => browser.close());

  const { page: owner, problems: ownerProblems } = await openPage(browser);
  const nav = owner.getByRole('navigation', { name: /^(Main|Principal)$/ });
  await withScreenshot(owner, 'pt-default-language', async () => {
    await owner.goto(server.url);
    await createOwner(owner);
    await signIn(owner, OWNER);
    await owner.locator('header').getByText(OWNER.name).waitFor();
    await apiCall(owner, 'PUT', '/api/settings/email', {
      host: smtp.host, port: smtp.port, security: 'none', fromName: 'Gatehouse', fromAddress: 'gatehouse@example.test',
    });
    // Settings → General: the default language, saved; the screens follow at once.
    await nav.getByRole('link', { name: 'Settings', exact: true }).click();
    await owner.getByRole('heading', { name: 'General', exact: true }).waitFor();
    await choose(owner, owner, 'Default language', 'Português (Brasil)');
    await owner.getByRole('button', { name: 'Save', exact: true }).click();
    await nav.getByRole('link', { name: 'Configurações', exact: true }).waitFor();
    await nav.getByRole('link', { name: 'Visão geral', exact: true }).waitFor();
    assert.equal(await owner.evaluate(() => document.documentElement.lang), 'pt-BR');
  }, server);

  // Usuários → Adicionar usuário, with a welcome mail.
  await withScreenshot(owner, 'pt-add-user', async () => {
    await nav.getByRole('link', { name: 'Usuários', exact: true }).click();
    await owner.getByRole('heading', { name: 'Usuários', exact: true }).waitFor();
    await owner.getByRole('button', { name: 'Adicionar usuário' }).first().click();
    const drawer = owner.getByRole('dialog');
    // A bad address is refused in Portuguese before anything is sent.
    await drawer.getByLabel('Nome completo').fill(ANA.name);
    await drawer.getByRole('textbox', { name: 'E-mail' }).fill('ana-sem-arroba');
    await drawer.getByRole('button', { name: 'Adicionar usuário' }).click();
    await drawer.getByText('Informe um endereço de e-mail válido, como nome@exemplo.com').waitFor();
    // An address someone has already is refused by the server, in Portuguese too.
    await drawer.getByRole('textbox', { name: 'E-mail' }).fill(OWNER.email);
    await drawer.getByLabel('Função', { exact: true }).click();
    await owner.getByRole('option', { name: 'Staff', exact: true }).click();
    await drawer.getByRole('checkbox', { name: 'Enviar um e-mail de boas-vindas' }).check();
    await drawer.getByRole('button', { name: 'Adicionar usuário' }).click();
    await drawer.getByText('Outro usuário já tem este endereço de e-mail.').waitFor();
    await drawer.getByRole('textbox', { name: 'E-mail' }).fill(ANA.email);
    await drawer.getByRole('button', { name: 'Adicionar usuário' }).click();
    await owner.getByText(`Um e-mail de boas-vindas está a caminho de ${ANA.email}.`).waitFor();
  }, server);

  // The welcome mail speaks Portuguese, and so does the page its link opens.
  const welcome = await smtp.waitFor((m) => m.to.includes(ANA.email), 'welcome mail');
  assert.equal(welcome.subject, 'Boas-vindas ao Gatehouse');
  const { page: ana, problems: anaProblems } = await openPage(browser);
  await withScreenshot(ana, 'pt-welcome-link', async () => {
    await ana.goto(linkIn(welcome));
    await ana.getByRole('heading', { name: `Boas-vindas, ${ANA.name}` }).waitFor();
    await ana.getByLabel('Nova senha', { exact: true }).fill(ANA.password);
    await ana.getByLabel('Confirme a nova senha').fill('outra-coisa-qualquer');
    await ana.getByRole('button', { name: 'Definir senha e entrar' }).click();
    await ana.getByText('As senhas não coincidem').waitFor();
    await ana.getByLabel('Confirme a nova senha').fill(ANA.password);
    await ana.getByRole('button', { name: 'Definir senha e entrar' }).click();
    await ana.locator('header').getByText(ANA.name).waitFor();
    await ana.getByRole('navigation', { name: 'Principal' }).getByRole('link', { name: 'Visão geral', exact: true }).waitFor();
    assert.equal((await apiMe(ana)).language, 'pt-BR');
  }, server);

  // Minha conta → Idioma: English for Ana alone.
  await withScreenshot(ana, 'pt-own-choice', async () => {
    await ana.locator('header').getByRole('link', { name: new RegExp(`^Minha conta: ${ANA.name}`) }).click();
    await ana.getByRole('heading', { name: 'Minha conta', exact: true }).waitFor();
    const section = ana.getByRole('region', { name: 'Idioma' });
    await choose(ana, section, 'Idioma', 'English');
    await ana.getByRole('heading', { name: 'My account', exact: true }).waitFor();
    await ana.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview', exact: true }).waitFor();
    assert.equal((await apiMe(ana)).language, 'en');
  }, server);

  // The owner, who chose nothing, still reads Portuguese after a reload.
  await owner.reload();
  await nav.getByRole('link', { name: 'Usuários', exact: true }).waitFor();

  assert.deepEqual(ownerProblems, []);
  assert.deepEqual(anaProblems, []);
});
