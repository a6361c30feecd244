// The end-to-end tests' helper programs (Go, under e2e/): each is built with `go build`
// (Go's cache makes a rebuild instant), started, and ready once it prints its address.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

/**
 * Builds e2e/<name> into build/bin/<name>, runs it with args (in the module's folder) and
 * waits up to startMs for its output to match ready. Returns { match, stop() }: the match
 * of ready, and stop(), which ends the program and waits for it.
 */
export async function startHelper(name, args, ready, { buildMs = 120_000, startMs = 15_000 } = {}) {
  const bin = path.join(root, 'build', 'bin', name);
  await promisify(execFile)('go', ['build', '-o', bin, `./e2e/${name}`], { cwd: root, timeout: buildMs });
  const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise((resolve) => child.once('exit', resolve));
  const match = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start:\n${output}`)), startMs);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const m = output.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${output}`));
    });
  });
  return {
    match,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
