// Chromium from Debian, driven by playwright-core (no browser downloads here).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const artifactsDir = path.resolve(here, '../build');

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** Runs steps; on failure saves ../build/e2e-<name>.png (and the server log) before rethrowing. */
export async function withScreenshot(page, name, steps, server) {
  try {
    await steps();
  } catch (err) {
    await mkdir(artifactsDir, { recursive: true });
    const file = path.join(artifactsDir, `e2e-${name}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    let extra = `\nScreenshot: ${file}`;
    if (server) extra += `\nServer output:\n${server.logs().slice(-4000)}`;
    if (err instanceof Error) err.message += extra;
    throw err;
  }
}

/**
 * Collects uncaught page errors, console errors and 5xx answers. Expected 4xx answers
 * (a wrong password, a missing favicon) only log "Failed to load resource", skipped here.
 */
export function watchPage(page) {
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(`console: ${m.text()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} from ${r.request().method()} ${r.url()}`);
  });
  return problems;
}

/** A page in a fresh browser context (a person of their own), its problems watched. */
export async function openPage(browser) {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(15_000);
  return { page, problems: watchPage(page) };
}
