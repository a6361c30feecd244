// Builds and starts the end-to-end tests' mail server (e2e/smtp-server, Go): a real SMTP
// server on 127.0.0.1 with a small HTTP API to read what it delivered and to stop and
// start it.
import { startHelper } from './helper.mjs';

/** Returns { host, port, messages(), waitFor(pred), stop(), down(), up() }. */
export async function startSMTP() {
  const h = await startHelper('smtp-server', [], /smtp (\S+) http (http:\/\/\S+)/);
  const [, smtp, api] = h.match;
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
    stop: h.stop,
  };
}

/** The set-password link in a mail's text. */
export function linkIn(mail) {
  const m = mail.body.match(/(http:\/\/\S+\/set-password\?token=[a-z2-7]+)/);
  if (!m) throw new Error(`no set-password link in:\n${mail.body}`);
  return m[1];
}
