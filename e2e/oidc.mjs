// Builds and starts the local OpenID Connect provider (e2e/oidc-provider, Go) that stands in
// for Google: offline, on 127.0.0.1.
import { startHelper } from './helper.mjs';

/** Starts the provider and waits for its "issuer http://…" line. Returns { issuer, stop() }. */
export async function startProvider({ clientId, clientSecret }) {
  const h = await startHelper('oidc-provider', ['--client-id', clientId, '--client-secret', clientSecret], /issuer (http:\/\/\S+)/);
  return { issuer: h.match[1], stop: h.stop };
}
