// Starts the built Gatehouse binary on a free loopback port with a fresh data folder.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary under test: GATEHOUSE_BIN, or the one `make build` leaves in build/bin. */
export const gatehouseBin = process.env.GATEHOUSE_BIN || path.resolve(here, '../build/bin/gatehouse');

/**
 * Runs `gatehouse serve --addr 127.0.0.1:0 --data <temp dir>` and waits for its
 * "serving on http://…" line (with dataDir: on that folder, which stays). Returns { url,
 * dataDir, logs(), stop(), kill() }; stop() sends SIGTERM, waits for the exit and removes a
 * folder it made; kill() is a crash (SIGKILL).
 */
export async function startServer({ timeoutMs = 30_000, extraArgs = [], dataDir: reuse } = {}) {
  // A given data folder is the caller's (a restart on it); a new one is removed at stop().
  const dataDir = reuse ?? (await mkdtemp(path.join(tmpdir(), 'gatehouse-e2e-')));
  const child = spawn(gatehouseBin, ['serve', '--addr', '127.0.0.1:0', '--data', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: process.env,
  });
  let output = '';
  let exited = false;
  const exit = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });

  const cleanup = () => (reuse ? Promise.resolve() : rm(dataDir, { recursive: true, force: true }));

  let url;
  try {
    url = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`gatehouse printed no "serving on" line within ${timeoutMs} ms. Output so far:\n${output}`)),
        timeoutMs,
      );
      child.stdout.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
        const m = output.match(/serving on (http:\/\/\S+)/);
        if (m) {
          clearTimeout(timer);
          resolve(m[1].replace(/[.,;)]+$/, ''));
        }
      });
      child.stderr.setEncoding('utf8').on('data', (chunk) => {
        output += chunk;
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(new Error(`cannot start ${gatehouseBin}: ${err.message}`));
      });
      exit.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`gatehouse exited (${code ?? signal}) before serving. Output:\n${output}`));
      });
    });
  } catch (err) {
    if (!exited) child.kill('SIGKILL');
    await exit.catch(() => {});
    await cleanup();
    throw err;
  }

  async function stop() {
    if (!exited) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (!exited) child.kill('SIGKILL');
      }, 10_000);
      await exit;
      clearTimeout(timer);
    }
    await cleanup();
  }

  /** Kills the process with SIGKILL (a crash: nothing is flushed or closed) and keeps the folder. */
  async function kill() {
    if (!exited) {
      child.kill('SIGKILL');
      await exit;
    }
  }

  return { url, dataDir, logs: () => output, stop, kill };
}
