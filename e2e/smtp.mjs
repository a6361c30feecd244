// Builds and starts the end-to-end tests' mail server (e2e/smtp-server, Go): a real SMTP
// server on 127.0.0.1 with a small HTTP API to read what it delivered and to stop and
// start it.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const bin = path.join(root, 'build', 'bin', 'smtp-server');

/** Returns { host, port, messages(), waitFor(pred), stop(), down(), up() }. */
export async function startSMTP({ timeoutMs = 120_000 } = {}) {
  await promisify(execFile)('go', ['build', '-o', bin, './e2e/smtp-server'], { cwd: root, timeout: timeoutMs });
  const child = spawn(bin, [], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exit = new Promise((resolve) => child.once('exit', resolve));
  const [smtp, api] = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`smtp-server did not start:\n${output}`)), 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const m = output.match(/smtp (\S+) http (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve([m[1], m[2]]);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    exit.then((code) => {
      clearTimeout(timer);
      reject(new Error(`smtp-server exited (${code}):\n${output}`));
    });
  });
  const [host, port] = smtp.split(':');
  const messages = async () => (await fetch(`${api}/messages`)).json();
  return {
    host,
    port: Number(port),
    messages,
    /** Waits for a delivered message matching pred and returns it. */
    async waitFor(pred, what = 'a mail', ms = 15_000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const m = (await messages()).find(pred);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`no ${what} arrived; delivered: ${JSON.stringify(await messages())}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    down: () => fetch(`${api}/stop`, { method: 'POST' }),
    up: () => fetch(`${api}/start`, { method: 'POST' }),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}

/** The set-password link in a mail's text. */
export function linkIn(mail) {
  const m = mail.body.match(/(http:\/\/\S+\/set-password\?token=[a-z2-7]+)/);
  if (!m) throw new Error(`no set-password link in:\n${mail.body}`);
  return m[1];
}
