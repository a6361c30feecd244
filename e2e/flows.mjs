// Steps shared by the browser tests, written as a person would do them.

export const OWNER = { name: 'Olivia Owner', email: 'owner@example.test', password: 'correct-horse-battery-1' };

export async function createOwner(page, owner = OWNER) {
  await page.getByRole('heading', { name: 'Create the owner account' }).waitFor();
  await page.getByLabel('Full name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password', { exact: true }).fill(owner.password);
  await page.getByLabel('Confirm password').fill(owner.password);
  await page.getByRole('button', { name: 'Create owner account' }).click();
  await page.getByText('Owner account created — sign in').waitFor();
}

export async function signIn(page, { email, password }) {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Password', { exact: true }).press('Enter');
}

export async function navLinks(page) {
  const nav = page.getByRole('navigation');
  await nav.getByRole('link').first().waitFor();
  return (await nav.getByRole('link').allInnerTexts()).map((s) => s.trim());
}

/** GET /api/me with the page's own session token. */
export async function apiMe(page) {
  return page.evaluate(async () => {
    const token = sessionStorage.getItem('gatehouse.token');
    const r = await fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } });
    return r.json();
  });
}

/** First sign-in of a user an admin gave a password: choose a new one, land in the app. */
export async function firstSignIn(page, { email, password, next, name }) {
  await signIn(page, { email, password });
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('Current password').fill(password);
  await page.getByLabel('New password', { exact: true }).fill(next);
  await page.getByLabel('Confirm new password').fill(next);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.locator('header').getByText(name).waitFor();
}

/** Calls the API with the page's own session (for setting up what other tests cover). */
export async function apiCall(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const token = sessionStorage.getItem('gatehouse.token');
      const r = await fetch(path, {
        method,
        headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    { method, path, body },
  );
}

/** Picks options in a Mantine Select or MultiSelect by its label, inside `scope`. */
export async function pick(page, scope, label, ...options) {
  await scope.getByLabel(label, { exact: true }).click();
  for (const o of options) await page.getByRole('option', { name: o, exact: true }).click();
  // Leaving the field closes a MultiSelect's dropdown (Escape would close the drawer too).
  await scope.getByLabel(label, { exact: true }).blur();
}
