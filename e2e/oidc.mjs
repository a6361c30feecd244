// Builds and starts the local OpenID Connect provider (e2e/oidc-provider, Go) that stands in
// for Google: offline, on 127.0.0.1.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = path.join(root, 'build', 'bin', 'oidc-provider');

/**
 * Builds the provider with `go build` (Go's cache makes a rebuild instant), starts it and
 * waits for its "issuer http://…" line. Returns { issuer, stop() }.
 */
export async function startProvider({ clientId, clientSecret, timeoutMs = 120_000 }) {
  await promisify(execFile)('go', ['build', '-o', bin, './e2e/oidc-provider'], { cwd: root, timeout: timeoutMs });
  const child = spawn(bin, ['--client-id', clientId, '--client-secret', clientSecret], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise((resolve) => child.once('exit', resolve));
  const issuer = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start:\n${output}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const m = output.match(/issuer (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`oidc-provider exited (${code}):\n${output}`));
    });
  });
  return {
    issuer,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
