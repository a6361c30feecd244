// Builds and starts Stripe's own stripe-mock for the end-to-end tests (e2e/stripe-mock,
// Go, over backend/testkit/stripemock) on 127.0.0.1, its Checkout Sessions answering as
// paid with `amount` (minor units) in `currency`.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = path.join(root, 'build', 'bin', 'stripe-mock');

/** Returns { url, stop() }. */
export async function startStripeMock({ amount, currency = 'eur', timeoutMs = 120_000 }) {
  await promisify(execFile)('go', ['build', '-o', bin, './e2e/stripe-mock'], { cwd: root, timeout: timeoutMs });
  // cwd: the module, whose go.mod pins the stripe-mock it builds.
  const child = spawn(bin, ['-amount', String(amount), '-currency', currency], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise((resolve) => child.once('exit', resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stripe-mock did not start:\n${output}`)), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const m = output.match(/stripe-mock (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`stripe-mock exited (${code}):\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
