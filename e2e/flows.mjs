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
