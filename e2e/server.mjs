// Starts the built Gatehouse binary on a free loopback port with a fresh data folder.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The binary under test: GATEHOUSE_BIN, or the one `make build` leaves in build/bin. */
export const gatehouseBin = process.env.GATEHOUSE_BIN || path.resolve(here, '../build/bin/gatehouse');

/**
 * On a PostgreSQL run (GATEHOUSE_TEST_POSTGRES: a superuser URL of a throwaway server, set by
 * scripts/with-postgres.sh), the database of the data folder dataDir: made empty the first
 * time and named in the folder, so a restart on the folder opens the same one.
 */
async function postgresFor(dataDir) {
  const admin = process.env.GATEHOUSE_TEST_POSTGRES;
  const marker = path.join(dataDir, 'postgres-database');
  let name = (await readFile(marker, 'utf8').catch(() => '')).trim();
  let made = false;
  if (!name) {
    name = `e2e_${randomBytes(6).toString('hex')}`;
    await psql(admin, `CREATE DATABASE ${name}`);
    await writeFile(marker, name);
    made = true;
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: made ? () => psql(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) : async () => {} };
}

function psql(url, sql) {
  return new Promise((resolve, reject) =>
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], (err, _out, stderr) =>
      err ? reject(new Error(`psql ${sql}: ${stderr || err.message}`)) : resolve(),
    ),
  );
}

/**
 * Runs `gatehouse serve --addr 127.0.0.1:0 --data <temp dir>` and waits for its
 * "serving on http://…" line (with dataDir: on that folder, which stays). Returns { url,
 * dataDir, logs(), stop(), kill() }; stop() sends SIGTERM, waits for the exit and removes a
 * folder it made; kill() is a crash (SIGKILL). On a PostgreSQL run the server keeps its data in
 * a database of its own (`--db`), unless sqlite is set (what only the SQLite file has, such as
 * backups); the database goes with the folder.
 */
export async function startServer({ timeoutMs = 30_000, extraArgs = [], dataDir: reuse, sqlite = false } = {}) {
  // A given data folder is the caller's (a restart on it); a new one is removed at stop().
  const dataDir = reuse ?? (await mkdtemp(path.join(tmpdir(), 'gatehouse-e2e-')));
  const pg = process.env.GATEHOUSE_TEST_POSTGRES && !sqlite ? await postgresFor(dataDir) : null;
  const dbArgs = pg ? ['--db', pg.url] : [];
  const child = spawn(gatehouseBin, ['serve', '--addr', '127.0.0.1:0', '--data', dataDir, ...dbArgs, ...extraArgs], {
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

  const cleanup = async () => {
    if (reuse) return;
    await pg?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  };

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
